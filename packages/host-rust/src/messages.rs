//! Messages: history first, set_history, handle_message with the call chain, deferred replies,
//! the answer in history, and the redraw.

use crate::error::{HostError, HostResult};
use crate::events::FrontendEvent;
use crate::frames::render;
use crate::host::{CHAIN, IN_CALL, Inner, cstring, in_call, plugin_error, too_large_reply};
use crate::instance::{Instance, Pending, new_error, take_plugin_string};
use crate::lifecycle::check_state;
use crate::limits::{MAX_MESSAGE_BYTES, MAX_REPLY_BYTES};
use plugin_interfaces::ffi;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

pub(crate) fn send_history(inst: &Instance, call: &crate::instance::Call) -> HostResult<()> {
    let (Some(f), false) = (
        call.vtable().and_then(|v| v.set_history),
        call.plugin.is_null(),
    ) else {
        return Ok(());
    };
    let json = cstring(&inst.state().history_json());
    let mut err = new_error();
    let status = in_call(|| unsafe { f(call.plugin, json.as_ptr(), &mut err) });
    if status == ffi::PI_STATUS_OK {
        Ok(())
    } else {
        Err(plugin_error(inst, "set_history", status, &err))
    }
}

/// Deliver a message to an instance (a user's, or another plugin's with `role` "system"), wait for a
/// deferred reply, record history, redraw. The chain of the calling thread is extended.
pub(crate) fn deliver_message(
    inner: &Inner,
    inst: &Arc<Instance>,
    request: u64,
    text: &str,
    role: &str,
) -> HostResult<Option<String>> {
    if text.len() as u64 > MAX_MESSAGE_BYTES {
        return Err(HostError::new(
            "PAYLOAD_TOO_LARGE",
            format!(
                "the message has {} bytes (limit {MAX_MESSAGE_BYTES})",
                text.len()
            ),
        ));
    }
    let allowed: &[&str] = if role == "user" {
        &["connected"]
    } else {
        &["mounted", "connected"]
    };
    // A plugin calling from inside one of its entry points must not wait for a busy target (the
    // spec: INVALID_STATE, and nothing reaches it); every other caller waits its turn.
    let from_entry = role != "user" && IN_CALL.with(|c| c.get()) > 0;
    let call = if from_entry {
        match inst.call.try_lock() {
            Ok(call) => call,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                return Err(HostError::new(
                    "LIFECYCLE_ORDER",
                    format!(
                        "instance {} is busy; a call from inside an entry point does not wait",
                        inst.id
                    ),
                ));
            }
        }
    } else {
        inst.lock_call()
    };
    check_state(inst, "a message", allowed)?;
    let vt = call
        .vtable()
        .ok_or_else(|| HostError::new("LIFECYCLE_ORDER", "the instance is closed"))?;
    let Some(handle) = vt.handle_message else {
        return Err(HostError::new(
            "UNSUPPORTED",
            format!("plugin {} does not handle messages", inst.plugin_id),
        ));
    };
    {
        // The message goes to history first, so set_history ends with it (as host-node does).
        let mut st = inst.state();
        let entry = st.append(inst, role, text, "completed", None, None);
        inst.emit(
            FrontendEvent::History {
                who: inst.who(),
                message: entry,
            },
            None,
        );
    }
    if let Err(e) = if inst.config.plugin.require_history {
        send_history(inst, &call)
    } else {
        Ok(())
    } {
        drop(call);
        return finish_message(inst, request, Err(e), role == "user");
    }
    let chain: Vec<String> = CHAIN.with(|c| c.borrow().clone());
    inst.state().pending.insert(
        request,
        Pending {
            chain: [chain.clone(), vec![inst.id.clone()]].concat(),
            result: None,
        },
    );
    let message = cstring(text);
    let mut out: *mut std::ffi::c_char = std::ptr::null_mut();
    let mut err = new_error();
    CHAIN.with(|c| c.borrow_mut().push(inst.id.clone()));
    let status =
        in_call(|| unsafe { handle(call.plugin, request, message.as_ptr(), &mut out, &mut err) });
    CHAIN.with(|c| c.borrow_mut().pop());
    let outcome: HostResult<Option<String>> = match status {
        ffi::PI_STATUS_OK => match unsafe { take_plugin_string(vt, out) } {
            Some(r) if r.len() as u64 > MAX_REPLY_BYTES => Err(too_large_reply(r.len())),
            r => Ok(r),
        },
        ffi::PI_STATUS_PENDING if from_entry => {
            // The target took the message and will answer later; a caller inside one of its entry
            // points cannot wait for that (the ABI: INVALID_STATE). The late answer still goes to
            // the target's history.
            drop(call);
            let (late, timeout) = (Arc::clone(inst), inner.reply_timeout);
            std::thread::spawn(move || {
                let r = wait_reply_for(&late, request, timeout);
                let _ = finish_message(&late, request, r, false);
            });
            return Err(HostError::new(
                "LIFECYCLE_ORDER",
                format!(
                    "instance {} deferred its answer, and a call from inside an entry point cannot wait for it",
                    inst.id
                ),
            ));
        }
        ffi::PI_STATUS_PENDING => {
            drop(call);
            let r = wait_reply(inner, inst, request);
            return finish_message(inst, request, r, role == "user");
        }
        s => Err(plugin_error(inst, "handle_message", s, &err)),
    };
    drop(call);
    finish_message(inst, request, outcome, role == "user")
}

pub(crate) fn wait_reply(
    inner: &Inner,
    inst: &Instance,
    request: u64,
) -> HostResult<Option<String>> {
    wait_reply_for(inst, request, inner.reply_timeout)
}

/// Wait up to `timeout` for the deferred reply to `request`.
fn wait_reply_for(
    inst: &Instance,
    request: u64,
    timeout: std::time::Duration,
) -> HostResult<Option<String>> {
    let deadline = Instant::now() + timeout;
    let mut st = inst.state();
    loop {
        if let Some(r) = st.pending.get_mut(&request).and_then(|p| p.result.take()) {
            return r;
        }
        if inst.closed.load(Ordering::SeqCst) {
            return Err(HostError::new(
                "HOST_CLOSED",
                "the instance was destroyed before it replied",
            ));
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(HostError::new(
                "TIMEOUT",
                format!(
                    "no reply to request {request} within {} ms",
                    timeout.as_millis()
                ),
            ));
        }
        st = inst
            .cond
            .wait_timeout(st, deadline - now)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

/// Record the answer in history and, for a user's message, draw a new frame (as host-node does,
/// a message from another plugin does not redraw its target).
pub(crate) fn finish_message(
    inst: &Arc<Instance>,
    request: u64,
    outcome: HostResult<Option<String>>,
    redraw: bool,
) -> HostResult<Option<String>> {
    // A failure's text may come from the plugin (a deferred error reply): no secret leaves.
    let outcome = outcome.map_err(|e| inst.scrub(e));
    {
        let mut st = inst.state();
        st.pending.remove(&request);
        match &outcome {
            Ok(Some(reply)) => {
                st.append(inst, "plugin", reply, "completed", None, None);
            }
            Ok(None) => {}
            Err(e) => {
                let entry = st.append(inst, "system", "", "error", None, Some(e.message.clone()));
                inst.emit(
                    FrontendEvent::History {
                        who: inst.who(),
                        message: entry,
                    },
                    None,
                );
            }
        }
    }
    if redraw {
        let call = inst.lock_call();
        let _ = render(inst, &call, &[]);
    }
    outcome
}
