//! Event delivery with stream credit: every subscriber gets each event; a stream chunk's credit
//! goes back to its producer when every subscriber has dropped the delivered chunk (the host-node
//! `streamCredit: 'consumed'` policy), so a slow consumer slows the stream down.

use crate::events::FrontendEvent;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Wakes plugin threads blocked in stream_wait. A generation counter behind its own small lock:
/// a waiter reads the generation *before* checking the stream, then sleeps only while it is
/// unchanged, so no wake-up is lost. Its lock is never held while taking another lock.
#[derive(Default)]
pub struct Wake {
    generation: Mutex<u64>,
    cond: Condvar,
}

impl Wake {
    /// The current generation (read before checking the condition waited for).
    pub fn current(&self) -> u64 {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Something changed: wake every waiter.
    pub fn bump(&self) {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.cond.notify_all();
    }

    /// Sleep until the generation differs from `seen` or `timeout` passes.
    pub fn wait(&self, seen: u64, timeout: Duration) {
        let g = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        if *g == seen {
            let _ = self.cond.wait_timeout(g, timeout);
        }
    }
}

/// Gives one chunk of credit back when dropped (safe to drop anywhere, also under the state lock).
pub struct CreditToken {
    pub(crate) credit: Arc<AtomicI64>,
    pub(crate) wake: Arc<Wake>,
}

/// Credit at which a producer blocked in stream_wait is woken for a burst, rather than for every
/// single chunk of credit (a quarter of the window from `LIMIT_DEFS`).
pub const CREDIT_LOW_WATER: i64 = (crate::limits::STREAM_CREDIT_WINDOW / 4) as i64;

impl Drop for CreditToken {
    fn drop(&mut self) {
        // Wake waiters when credit comes back at all (0 → 1) and when a burst is possible.
        let after = self.credit.fetch_add(1, Ordering::SeqCst) + 1;
        if after == 1 || after == CREDIT_LOW_WATER {
            self.wake.bump();
        }
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
