//! The host API table (`PiHostApi`) plugins call, from any thread. Every entry finds its instance
//! through `host_data`, never takes an instance's call lock (except inter-plugin calls, which lock
//! the *target*), answers CLOSED after destroy, and never lets a panic cross the C boundary.

use crate::bus::{CREDIT_LOW_WATER, CreditToken};
use crate::error::{HostError, status_of};
use crate::events::{FrontendEvent, StreamEvent};
use crate::host::{CHAIN, IN_CALL, resolve_target};
use crate::instance::{Instance, is_closed};
use crate::lifecycle::log_line;
use crate::limits::{MAX_CALL_DEPTH, MAX_MESSAGE_BYTES, STREAM_CREDIT_WINDOW};
use crate::messages::deliver_message;
use crate::worker::request_work;
use plugin_interfaces::ffi;
use std::ffi::{CStr, CString, c_char};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The table every instance gets (`host_data` is filled in per instance).
pub fn host_api() -> ffi::PiHostApi {
    ffi::PiHostApi {
        struct_size: std::mem::size_of::<ffi::PiHostApi>() as u32,
        abi_major: ffi::PI_ABI_MAJOR,
        abi_minor: ffi::PI_ABI_MINOR,
        host_data: std::ptr::null_mut(),
        send_message: Some(send_message),
        reply: Some(reply),
        stream_start: Some(stream_start),
        stream_data: Some(stream_data),
        stream_end: Some(stream_end),
        stream_pause: Some(stream_pause),
        stream_resume: Some(stream_resume),
        stream_cancel: Some(stream_cancel),
        stream_wait: Some(stream_wait),
        send_to_frontend: Some(send_to_frontend),
        get_app_config: Some(get_app_config),
        call_other_plugin: Some(call_other_plugin),
        log: Some(log),
        request_refresh: Some(request_refresh),
        request_disconnect: Some(request_disconnect),
        free_string: Some(free_string),
    }
}

fn text(p: *const c_char) -> Option<String> {
    if p.is_null() {
        None
    } else {
        Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }
}

/// Run a service for the instance behind `host`: NULL → INVALID_ARGUMENT, closed → CLOSED,
/// panic → INTERNAL.
fn serve(
    host: *const ffi::PiHostApi,
    f: impl FnOnce(&Arc<Instance>) -> ffi::PiStatus,
) -> ffi::PiStatus {
    let Some(inst) = (unsafe { Instance::from_api(host) }) else {
        return ffi::PI_STATUS_INVALID_ARGUMENT;
    };
    if is_closed(&inst) {
        return ffi::PI_STATUS_CLOSED;
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&inst)))
        .unwrap_or(ffi::PI_STATUS_INTERNAL)
}

fn too_large(s: &str) -> bool {
    s.len() as u64 > MAX_MESSAGE_BYTES
}

const MESSAGE_TYPES: [&str; 5] = ["normal", "success", "warning", "error", "info"];
const LOG_LEVELS: [&str; 5] = ["error", "warn", "info", "debug", "trace"];

unsafe extern "C" fn send_message(
    host: *const ffi::PiHostApi,
    kind: ffi::PiMessageType,
    content: *const c_char,
) -> ffi::PiStatus {
    serve(host, |inst| {
        let (Some(content), Some(kind)) = (
            text(content),
            usize::try_from(kind)
                .ok()
                .and_then(|k| MESSAGE_TYPES.get(k)),
        ) else {
            return ffi::PI_STATUS_INVALID_ARGUMENT;
        };
        if too_large(&content) {
            return ffi::PI_STATUS_LIMIT_EXCEEDED;
        }
        let mut st = inst.state();
        let entry = st.append(inst, "plugin", &content, "completed", Some(kind), None);
        inst.emit(
            FrontendEvent::Message {
                who: inst.who(),
                message_type: (*kind).into(),
                message_id: entry.id,
                content,
            },
            None,
        );
        ffi::PI_STATUS_OK
    })
}

unsafe extern "C" fn reply(
    host: *const ffi::PiHostApi,
    request: u64,
    status: ffi::PiStatus,
    content: *const c_char,
) -> ffi::PiStatus {
    serve(host, |inst| {
        let content = text(content);
        let mut st = inst.state();
        let Some(p) = st.pending.get_mut(&request) else {
            return ffi::PI_STATUS_NOT_FOUND;
        };
        if p.result.is_some() {
            // Answered already: like an unknown request (the ABI's PiHostReplyFn).
            return ffi::PI_STATUS_NOT_FOUND;
        }
        if content
            .as_ref()
            .is_some_and(|c| c.len() as u64 > crate::limits::MAX_REPLY_BYTES)
        {
            let len = content.map_or(0, |c| c.len());
            p.result = Some(Err(crate::host::too_large_reply(len)));
            drop(st);
            inst.notify();
            return ffi::PI_STATUS_LIMIT_EXCEEDED;
        }
        p.result = Some(if status == ffi::PI_STATUS_OK {
            Ok(content)
        } else {
            let message = content.unwrap_or_else(|| {
                format!(
                    "the deferred reply failed with {}",
                    crate::error::status_name(status)
                )
            });
            Err(HostError::new("PLUGIN_CALL_FAILED", message).with_detail(serde_json::json!({ "status": crate::error::status_name(status), "statusCode": status, "entry": "reply" })))
        });
        drop(st);
        inst.notify();
        ffi::PI_STATUS_OK
    })
}

unsafe extern "C" fn stream_start(
    host: *const ffi::PiHostApi,
    title: *const c_char,
    out: *mut u64,
) -> ffi::PiStatus {
    serve(host, |inst| {
        if out.is_null() {
            return ffi::PI_STATUS_INVALID_ARGUMENT;
        }
        let mut st = inst.state();
        let open = st
            .streams
            .iter()
            .filter(|s| matches!(s.info.state.as_str(), "active" | "paused"))
            .count() as u64;
        if open >= crate::limits::MAX_OPEN_STREAMS {
            return ffi::PI_STATUS_LIMIT_EXCEEDED;
        }
        let handle = st.open_stream(inst, text(title), STREAM_CREDIT_WINDOW as i64);
        drop(st);
        unsafe { *out = handle };
        ffi::PI_STATUS_OK
    })
}

unsafe extern "C" fn stream_data(
    host: *const ffi::PiHostApi,
    stream: u64,
    chunk: *const c_char,
) -> ffi::PiStatus {
    serve(host, |inst| {
        let Some(chunk) = text(chunk) else {
            return ffi::PI_STATUS_INVALID_ARGUMENT;
        };
        if too_large(&chunk) {
            return ffi::PI_STATUS_LIMIT_EXCEEDED;
        }
        let mut st = inst.state();
        let Some(s) = st.stream(stream) else {
            return ffi::PI_STATUS_NOT_FOUND;
        };
        match s.info.state.as_str() {
            "cancelled" => return ffi::PI_STATUS_CANCELLED,
            // Paused: like no credit, the producer waits (on_stream_control told it why).
            "paused" => return ffi::PI_STATUS_BACKPRESSURE,
            "active" => {}
            _ => return ffi::PI_STATUS_INVALID_STATE,
        }
        if s.credit.load(Ordering::SeqCst) <= 0 {
            return ffi::PI_STATUS_BACKPRESSURE;
        }
        s.credit.fetch_sub(1, Ordering::SeqCst);
        let token = CreditToken {
            credit: s.credit.clone(),
            wake: inst.wake.clone(),
        };
        let Some((stream_id, seq)) = st.add_chunk(stream, &chunk) else {
            return ffi::PI_STATUS_NOT_FOUND;
        };
        inst.emit(
            FrontendEvent::Stream {
                who: inst.who(),
                stream: StreamEvent::StreamData {
                    stream_id,
                    chunk,
                    is_final: false,
                    seq,
                },
            },
            Some(token),
        );
        ffi::PI_STATUS_OK
    })
}

unsafe extern "C" fn stream_end(
    host: *const ffi::PiHostApi,
    stream: u64,
    success: u8,
    error: *const c_char,
) -> ffi::PiStatus {
    serve(host, |inst| {
        let mut st = inst.state();
        let Some(s) = st.stream(stream) else {
            return ffi::PI_STATUS_NOT_FOUND;
        };
        if s.info.state != "active" && s.info.state != "paused" {
            return ffi::PI_STATUS_INVALID_STATE;
        }
        let stream_id = s.info.stream_id.clone();
        let error = if success != 0 {
            None
        } else {
            Some(text(error).unwrap_or_else(|| "the stream failed".into()))
        };
        st.set_stream_state(
            stream,
            if success != 0 { "completed" } else { "error" },
            error.clone(),
        );
        inst.emit(
            FrontendEvent::Stream {
                who: inst.who(),
                stream: StreamEvent::StreamEnd {
                    stream_id,
                    success: success != 0,
                    error,
                },
            },
            None,
        );
        drop(st);
        inst.notify();
        ffi::PI_STATUS_OK
    })
}

/// Pause (1), resume (2) or cancel (3) from the plugin side.
fn stream_op(host: *const ffi::PiHostApi, stream: u64, op: ffi::PiStreamControl) -> ffi::PiStatus {
    serve(host, |inst| {
        let mut st = inst.state();
        let Some(s) = st.stream(stream) else {
            return ffi::PI_STATUS_NOT_FOUND;
        };
        let state = s.info.state.clone();
        let stream_id = s.info.stream_id.clone();
        let (allowed, next, ev): (&[&str], &str, StreamEvent) = match op {
            ffi::PI_STREAM_CONTROL_PAUSE => (
                &["active"],
                "paused",
                StreamEvent::StreamPause { stream_id },
            ),
            ffi::PI_STREAM_CONTROL_RESUME => (
                &["paused"],
                "active",
                StreamEvent::StreamResume { stream_id },
            ),
            _ => (
                &["active", "paused"],
                "cancelled",
                StreamEvent::StreamCancel {
                    stream_id,
                    by: "plugin".into(),
                },
            ),
        };
        if !allowed.contains(&state.as_str()) {
            return ffi::PI_STATUS_INVALID_STATE;
        }
        st.set_stream_state(stream, next, None);
        inst.emit(
            FrontendEvent::Stream {
                who: inst.who(),
                stream: ev,
            },
            None,
        );
        drop(st);
        inst.notify();
        ffi::PI_STATUS_OK
    })
}

unsafe extern "C" fn stream_pause(host: *const ffi::PiHostApi, stream: u64) -> ffi::PiStatus {
    stream_op(host, stream, ffi::PI_STREAM_CONTROL_PAUSE)
}
unsafe extern "C" fn stream_resume(host: *const ffi::PiHostApi, stream: u64) -> ffi::PiStatus {
    stream_op(host, stream, ffi::PI_STREAM_CONTROL_RESUME)
}
unsafe extern "C" fn stream_cancel(host: *const ffi::PiHostApi, stream: u64) -> ffi::PiStatus {
    stream_op(host, stream, ffi::PI_STREAM_CONTROL_CANCEL)
}

/// How long stream_wait lets a little credit grow towards CREDIT_LOW_WATER before returning.
const TOP_UP_WAIT: Duration = Duration::from_millis(1);

unsafe extern "C" fn stream_wait(
    host: *const ffi::PiHostApi,
    stream: u64,
    timeout_ms: u32,
) -> ffi::PiStatus {
    serve(host, |inst| {
        // Inside an entry point it never blocks: BACKPRESSURE says it would have to.
        let in_call = IN_CALL.with(|c| c.get()) > 0;
        let deadline = Instant::now() + Duration::from_millis(timeout_ms as u64);
        let mut topped_up = false;
        loop {
            // Read the wake generation first: a change after this point ends the wait at once.
            let seen = inst.wake.current();
            if is_closed(inst) {
                return ffi::PI_STATUS_CLOSED;
            }
            let credit = {
                let mut st = inst.state();
                let Some(s) = st.stream(stream) else {
                    return ffi::PI_STATUS_NOT_FOUND;
                };
                match s.info.state.as_str() {
                    "cancelled" => return ffi::PI_STATUS_CANCELLED,
                    "active" => s.credit.load(Ordering::SeqCst),
                    "paused" => 0,
                    _ => return ffi::PI_STATUS_INVALID_STATE,
                }
            };
            // Some credit: wait a moment for a burst's worth (CREDIT_LOW_WATER), then go anyway.
            if credit >= CREDIT_LOW_WATER || (credit > 0 && (topped_up || in_call)) {
                return ffi::PI_STATUS_OK;
            }
            if in_call {
                return ffi::PI_STATUS_BACKPRESSURE;
            }
            let now = Instant::now();
            if now >= deadline {
                return if credit > 0 {
                    ffi::PI_STATUS_OK
                } else {
                    ffi::PI_STATUS_TIMEOUT
                };
            }
            let slice = if credit > 0 {
                TOP_UP_WAIT.min(deadline - now)
            } else {
                deadline - now
            };
            topped_up = credit > 0;
            inst.wake.wait(seen, slice);
        }
    })
}

unsafe extern "C" fn send_to_frontend(
    host: *const ffi::PiHostApi,
    event: *const c_char,
    payload: *const c_char,
) -> ffi::PiStatus {
    serve(host, |inst| {
        let (Some(event), Some(payload)) = (text(event), text(payload)) else {
            return ffi::PI_STATUS_INVALID_ARGUMENT;
        };
        if too_large(&payload) {
            return ffi::PI_STATUS_LIMIT_EXCEEDED;
        }
        let Ok(payload) = serde_json::from_str(&payload) else {
            return ffi::PI_STATUS_INVALID_ARGUMENT;
        };
        let _st = inst.state();
        inst.emit(
            FrontendEvent::Custom {
                who: inst.who(),
                event,
                payload,
            },
            None,
        );
        ffi::PI_STATUS_OK
    })
}

fn host_string(s: &str, out: *mut *mut c_char) {
    let c = CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default();
    unsafe { *out = c.into_raw() };
}

fn denied(inst: &Instance, what: &str) -> ffi::PiStatus {
    log_line(inst, "warn", &format!("PERMISSION_DENIED: {what}"));
    ffi::PI_STATUS_PERMISSION_DENIED
}

unsafe extern "C" fn get_app_config(
    host: *const ffi::PiHostApi,
    key: *const c_char,
    out: *mut *mut c_char,
) -> ffi::PiStatus {
    serve(host, |inst| {
        let Some(key) = text(key) else {
            return ffi::PI_STATUS_INVALID_ARGUMENT;
        };
        if out.is_null() {
            return ffi::PI_STATUS_INVALID_ARGUMENT;
        }
        if !inst.config.permissions.app_config.contains(&key) {
            return denied(
                inst,
                &format!(
                    "app config key {key:?} is not listed in [permissions] app_config of plugin {}",
                    inst.plugin_id
                ),
            );
        }
        let Some(h) = inst.bus() else {
            return ffi::PI_STATUS_CLOSED;
        };
        let value = h
            .app_config
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        match value {
            Some(v) => {
                host_string(&v.to_string(), out);
                ffi::PI_STATUS_OK
            }
            None => ffi::PI_STATUS_NOT_FOUND,
        }
    })
}

unsafe extern "C" fn call_other_plugin(
    host: *const ffi::PiHostApi,
    target: *const c_char,
    message: *const c_char,
    out: *mut *mut c_char,
) -> ffi::PiStatus {
    serve(host, |inst| {
        let (Some(target), Some(message)) = (text(target), text(message)) else {
            return ffi::PI_STATUS_INVALID_ARGUMENT;
        };
        if out.is_null() {
            return ffi::PI_STATUS_INVALID_ARGUMENT;
        }
        if too_large(&message) {
            return ffi::PI_STATUS_LIMIT_EXCEEDED;
        }
        let Some(h) = inst.bus() else {
            return ffi::PI_STATUS_CLOSED;
        };
        let resolved = resolve_target(&h, &target);
        let target_plugin = resolved
            .as_ref()
            .map(|t| t.plugin_id.clone())
            .unwrap_or_else(|| target.clone());
        let allowed = &inst.config.permissions.call_plugins;
        if !allowed.iter().any(|p| p == "*" || *p == target_plugin) {
            return denied(
                inst,
                &format!(
                    "plugin {} may not call {target_plugin:?} (not in [permissions] call_plugins)",
                    inst.plugin_id
                ),
            );
        }
        let Some(t) = resolved else {
            return ffi::PI_STATUS_NOT_FOUND;
        };
        // The chain this call runs in: this thread's, else that of the caller's unanswered requests.
        let mut chain: Vec<String> = CHAIN.with(|c| c.borrow().clone());
        if chain.is_empty() {
            let st = inst.state();
            chain = st
                .pending
                .values()
                .next()
                .map(|p| p.chain.clone())
                .unwrap_or_else(|| vec![inst.id.clone()]);
        }
        if chain.contains(&t.id) || chain.len() as u64 >= MAX_CALL_DEPTH {
            log_line(
                inst,
                "warn",
                &format!(
                    "CALL_DEPTH_EXCEEDED: {} → {} would make the chain {} (limit {MAX_CALL_DEPTH}, no cycles)",
                    inst.id,
                    t.id,
                    [chain.clone(), vec![t.id.clone()]].concat().join(" → ")
                ),
            );
            return ffi::PI_STATUS_LIMIT_EXCEEDED;
        }
        let request = h.next_request.fetch_add(1, Ordering::SeqCst);
        let saved = CHAIN.with(|c| std::mem::replace(&mut *c.borrow_mut(), chain));
        let result = deliver_message(&h, &t, request, &message, "system");
        CHAIN.with(|c| *c.borrow_mut() = saved);
        match result {
            Ok(reply) => {
                host_string(&reply.unwrap_or_default(), out);
                ffi::PI_STATUS_OK
            }
            Err(e) => status_of(&e),
        }
    })
}

unsafe extern "C" fn log(
    host: *const ffi::PiHostApi,
    level: ffi::PiLogLevel,
    line: *const c_char,
) -> ffi::PiStatus {
    serve(host, |inst| {
        let (Some(line), Some(level)) = (
            text(line),
            usize::try_from(level - 1)
                .ok()
                .and_then(|l| LOG_LEVELS.get(l)),
        ) else {
            return ffi::PI_STATUS_INVALID_ARGUMENT;
        };
        if too_large(&line) {
            return ffi::PI_STATUS_LIMIT_EXCEEDED;
        }
        log_line(inst, level, &line);
        ffi::PI_STATUS_OK
    })
}

unsafe extern "C" fn request_refresh(host: *const ffi::PiHostApi) -> ffi::PiStatus {
    serve(host, |inst| {
        request_work(inst, true);
        ffi::PI_STATUS_OK
    })
}

unsafe extern "C" fn request_disconnect(host: *const ffi::PiHostApi) -> ffi::PiStatus {
    serve(host, |inst| {
        inst.emit(FrontendEvent::DisconnectRequest { who: inst.who() }, None);
        request_work(inst, false);
        ffi::PI_STATUS_OK
    })
}

unsafe extern "C" fn free_string(_host: *const ffi::PiHostApi, s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: host strings are made by CString::into_raw in host_string.
        drop(unsafe { CString::from_raw(s) });
    }
}
