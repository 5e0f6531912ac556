//! [`Responder`]: answers one `handle_message` request later, from any thread, exactly once.

use crate::{ErrorCode, Host, HostError, PluginError, ffi};
use std::sync::{Arc, Mutex};

/// Where the request is. Shared by the [`Responder`] and the SDK's `handle_message` glue.
enum Phase {
    /// `handle_message` is still running; an answer given now is kept and returned directly.
    InCall(Option<(ffi::PiStatus, String)>),
    /// `handle_message` returned `Reply::Later`: the answer goes through `host.reply`.
    Pending,
    /// Answered (by the return value, or by a reply already sent).
    Settled,
}

/// The right to answer one chat message later. `Send`: move it into a thread, then call
/// [`Responder::reply`] or [`Responder::fail`] (both consume it, so an answer is sent at most
/// once). Only meaningful when `handle_message` returns [`Reply::Later`](crate::Reply::Later);
/// otherwise the return value is the answer and the responder does nothing.
///
/// Dropping it unanswered replies with an `INTERNAL` error so the user is never left waiting.
pub struct Responder {
    host: Host,
    request_id: u64,
    phase: Arc<Mutex<Phase>>,
    answered: bool,
}

/// The glue's half: decides, after `handle_message` returned, how the request is answered.
pub(crate) struct Ticket {
    phase: Arc<Mutex<Phase>>,
}

impl Responder {
    pub(crate) fn new(host: Host, request_id: u64) -> (Responder, Ticket) {
        let phase = Arc::new(Mutex::new(Phase::InCall(None)));
        (Responder { host, request_id, phase: phase.clone(), answered: false }, Ticket { phase })
    }

    /// The host's id of this request.
    pub fn request_id(&self) -> u64 {
        self.request_id
    }

    /// Answers with a reply text.
    pub fn reply(mut self, text: &str) -> Result<(), HostError> {
        self.settle(ffi::PI_STATUS_OK, text)
    }

    /// Answers with an error.
    pub fn fail(mut self, error: PluginError) -> Result<(), HostError> {
        self.settle(error.code.status(), &error.message)
    }

    fn settle(&mut self, status: ffi::PiStatus, text: &str) -> Result<(), HostError> {
        self.answered = true;
        let mut phase = self.phase.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *phase {
            Phase::InCall(slot @ None) => {
                *slot = Some((status, text.to_owned()));
                Ok(())
            }
            Phase::Pending => {
                *phase = Phase::Settled;
                drop(phase);
                self.host.reply(self.request_id, status, Some(text))
            }
            Phase::InCall(Some(_)) | Phase::Settled => Err(ErrorCode::InvalidState),
        }
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        if !self.answered {
            let _ = self.settle(ffi::PI_STATUS_INTERNAL, "the plugin dropped the request without answering it");
        }
    }
}

impl std::fmt::Debug for Responder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Responder").field("request_id", &self.request_id).finish_non_exhaustive()
    }
}

impl Ticket {
    /// Called when `handle_message` returned. With `later`, returns an answer the responder
    /// already gave (to be returned directly) or marks the request pending. Without, the return
    /// value answered the request and the responder is disarmed.
    pub(crate) fn finish(self, later: bool) -> Option<(ffi::PiStatus, String)> {
        let mut phase = self.phase.lock().unwrap_or_else(|e| e.into_inner());
        let early = match &mut *phase {
            Phase::InCall(early) => early.take(),
            _ => None,
        };
        *phase = if later && early.is_none() { Phase::Pending } else { Phase::Settled };
        if later { early } else { None }
    }
}
