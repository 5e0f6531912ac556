//! The lifecycle state machine: allowed states per call, status events, lifecycle entries,
//! destroy, and the log line every failure leaves.

use crate::error::{HostError, HostResult};
use crate::events::{FrontendEvent, StreamEvent};
use crate::frames::render;
use crate::host::{in_call, plugin_error};
use crate::instance::{Instance, new_error};
use plugin_interfaces::ffi;
use std::sync::Arc;
use std::sync::atomic::Ordering;

pub(crate) fn check_state(inst: &Instance, what: &str, allowed: &[&str]) -> HostResult<()> {
    let state = inst.state().lifecycle;
    if allowed.contains(&state) {
        return Ok(());
    }
    Err(HostError::new(
        "LIFECYCLE_ORDER",
        format!(
            "instance {} is {state}: {what} needs {}",
            inst.id,
            allowed.join(" or ")
        ),
    )
    .with_detail(serde_json::json!({ "state": state, "allowed": allowed })))
}

pub(crate) fn set_state(inst: &Instance, state: &'static str, error: Option<HostError>) {
    let mut st = inst.state();
    st.lifecycle = state;
    inst.emit(
        FrontendEvent::Status {
            who: inst.who(),
            state: state.into(),
            error,
        },
        None,
    );
}

pub(crate) fn lifecycle_call(
    inst: &Instance,
    call: &crate::instance::Call,
    entry: &str,
    f: ffi::PiPluginLifecycleFn,
) -> HostResult<()> {
    let (Some(f), false) = (f, call.plugin.is_null()) else {
        return Ok(());
    };
    let mut err = new_error();
    let status = in_call(|| unsafe { f(call.plugin, &mut err) });
    if status == ffi::PI_STATUS_OK {
        return Ok(());
    }
    let e = plugin_error(inst, entry, status, &err);
    log_line(inst, "error", &format!("{entry} failed: {}", e.message));
    Err(e)
}

pub(crate) fn destroy(inst: &Instance, call: &mut crate::instance::Call) {
    if let (Some(vt), false) = (call.vtable(), call.plugin.is_null()) {
        let d = vt.destroy.expect("checked at load");
        in_call(|| unsafe { d(call.plugin) });
    }
    inst.closed.store(true, Ordering::SeqCst);
    call.plugin = std::ptr::null_mut();
    call.lib = None;
    {
        // The instance object outlives destroy (late calls through its table get CLOSED); its
        // frame, history and streams do not need to.
        inst.state().release();
    }
    inst.notify();
}

pub(crate) fn end_open_streams(inst: &Instance, why: &str) {
    let mut st = inst.state();
    let open: Vec<(u64, String)> = st
        .streams
        .iter()
        .filter(|s| s.info.state == "active" || s.info.state == "paused")
        .map(|s| (s.handle, s.info.stream_id.clone()))
        .collect();
    for (handle, stream_id) in open {
        st.set_stream_state(handle, "error", Some(why.into()));
        inst.emit(
            FrontendEvent::Stream {
                who: inst.who(),
                stream: StreamEvent::StreamEnd {
                    stream_id,
                    success: false,
                    error: Some(why.into()),
                },
            },
            None,
        );
    }
}

/// A log line into the host's logger and as a plugin-log event.
pub(crate) fn log_line(inst: &Instance, level: &str, text: &str) {
    let text = &inst.redact(text);
    if let Some(h) = inst.bus() {
        (h.logger)(level, &format!("[{}/{}] {text}", inst.plugin_id, inst.id));
    }
    inst.emit(
        FrontendEvent::Log {
            who: inst.who(),
            level: level.into(),
            message: text.into(),
        },
        None,
    );
}

pub(crate) fn disconnect_instance(inst: &Arc<Instance>) -> HostResult<()> {
    let call = inst.lock_call();
    check_state(inst, "disconnect", &["connected"])?;
    lifecycle_call(
        inst,
        &call,
        "on_disconnect",
        call.vtable().and_then(|v| v.on_disconnect),
    )?;
    set_state(inst, "disconnected", None);
    let _ = render(inst, &call, &[]);
    Ok(())
}
