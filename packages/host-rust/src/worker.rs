//! The host's worker thread: coalesced redraws (request_refresh) and disconnects
//! (request_disconnect) that a plugin asks for from inside its own calls.

use crate::frames::render;
use crate::host::{Inner, lock};
use crate::instance::Instance;
use crate::lifecycle::disconnect_instance;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;

/// Work a plugin asked for from inside its own calls.
pub(crate) enum Work {
    Refresh(std::sync::Weak<Instance>),
    Disconnect(std::sync::Weak<Instance>),
}

/// Ask the worker thread to redraw an instance (coalesced) or disconnect it.
pub(crate) fn request_work(inst: &Arc<Instance>, refresh: bool) {
    let Some(h) = inst.bus() else { return };
    if refresh && inst.refresh_pending.swap(true, Ordering::SeqCst) {
        return;
    }
    let w = Arc::downgrade(inst);
    if let Some(tx) = lock(&h.work).as_ref() {
        let _ = tx.send(if refresh {
            Work::Refresh(w)
        } else {
            Work::Disconnect(w)
        });
    }
}

pub(crate) fn worker(_host: std::sync::Weak<Inner>, rx: Receiver<Work>) {
    while let Ok(work) = rx.recv() {
        match work {
            Work::Refresh(w) => {
                let Some(inst) = w.upgrade() else { continue };
                if !inst.refresh_pending.load(Ordering::SeqCst)
                    || inst.closed.load(Ordering::SeqCst)
                {
                    continue;
                }
                let call = inst.lock_call();
                let _ = render(&inst, &call, &[]);
            }
            Work::Disconnect(w) => {
                if let Some(inst) = w.upgrade() {
                    let _ = disconnect_instance(&inst);
                }
            }
        }
    }
}
