//! Event delivery with stream credit: every subscriber gets each event; a stream chunk's credit
//! goes back to its producer when every subscriber has dropped the delivered chunk (the host-node
//! `streamCredit: 'consumed'` policy), so a slow consumer slows the stream down.

use crate::events::FrontendEvent;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};

/// Gives one chunk of credit back when dropped (no locks: safe to drop anywhere).
pub struct CreditToken {
    pub(crate) credit: Arc<AtomicI64>,
    pub(crate) wake: Arc<Condvar>,
}

impl Drop for CreditToken {
    fn drop(&mut self) {
        self.credit.fetch_add(1, Ordering::SeqCst);
        self.wake.notify_all();
    }
}

/// An event as a subscriber receives it. Drop it when handled: that releases stream credit.
pub struct Delivered {
    pub event: Arc<FrontendEvent>,
    _credit: Option<Arc<CreditToken>>,
}

/// A subscriber: takes each delivered event; returns false to unsubscribe. Runs on the emitting
/// thread (inside the host call that caused the event), so it must not call the host.
pub type Subscriber = Box<dyn Fn(Delivered) -> bool + Send>;

/// Fan-out of events to subscribers.
#[derive(Default)]
pub struct EventBus {
    subs: Mutex<Vec<Subscriber>>,
}

impl EventBus {
    /// A new subscription: every event from now on, in emission order.
    pub fn subscribe(&self) -> Receiver<Delivered> {
        let (tx, rx): (Sender<Delivered>, Receiver<Delivered>) = channel();
        self.subscribe_with(Box::new(move |d| tx.send(d).is_ok()));
        rx
    }

    /// A subscriber function (e.g. one that forwards into a channel shared with other output).
    pub fn subscribe_with(&self, f: Subscriber) {
        self.subs.lock().unwrap_or_else(|e| e.into_inner()).push(f);
    }

    /// Send an event to every subscriber (dropped subscriptions are forgotten).
    pub fn emit(&self, event: FrontendEvent, credit: Option<CreditToken>) {
        let event = Arc::new(event);
        let credit = credit.map(Arc::new);
        let mut subs = self.subs.lock().unwrap_or_else(|e| e.into_inner());
        subs.retain(|f| {
            f(Delivered {
                event: event.clone(),
                _credit: credit.clone(),
            })
        });
    }
}
