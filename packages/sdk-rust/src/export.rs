//! The `extern "C"` entries behind [`export_plugin!`](crate::export_plugin): each one checks its
//! pointers, runs the [`Plugin`] method inside [`guard`] and converts values across the ABI.

use crate::cstr::{from_c, into_plugin_owned};
use crate::ffi::{self, PiError, PiHostApi, PiPluginMetadata, PiPluginVTable, PiUi};
use crate::guard::guard;
use crate::json;
use crate::{Host, Metadata, Plugin, PluginContext, PluginError, Reply, Responder, StreamControl, Ui, history};
use std::ffi::{c_char, c_void};

/// One live instance: the plugin and its host handle.
struct Instance<P> {
    plugin: P,
    host: Host,
}

/// Builds the vtable for plugin type `P` (used by `export_plugin!` in a `static`).
pub const fn vtable<P: Plugin>() -> PiPluginVTable {
    PiPluginVTable {
        struct_size: size_of::<PiPluginVTable>() as u32,
        abi_major: ffi::PI_ABI_MAJOR,
        abi_minor: ffi::PI_ABI_MINOR,
        create: Some(create::<P>),
        destroy: Some(destroy::<P>),
        on_mount: Some(on_mount::<P>),
        on_dispose: Some(on_dispose::<P>),
        on_connect: Some(on_connect::<P>),
        on_disconnect: Some(on_disconnect::<P>),
        update_ui: Some(update_ui::<P>),
        handle_message: Some(handle_message::<P>),
        set_history: Some(set_history::<P>),
        get_metadata: Some(get_metadata::<P>),
        on_stream_control: Some(on_stream_control::<P>),
        apply_settings: Some(apply_settings::<P>),
        free_string: Some(crate::cstr::free_plugin_string),
    }
}

fn null_argument(what: &str) -> PluginError {
    PluginError::invalid_argument(format!("{what} must not be NULL"))
}

/// The instance behind `self_`, or an error for NULL.
///
/// # Safety
/// `self_` is NULL or came from `create::<P>` and was not destroyed; no other reference to it
/// is live (the host never calls one instance concurrently).
unsafe fn instance<'a, P>(self_: *mut c_void) -> Result<&'a mut Instance<P>, PluginError> {
    // SAFETY: per the contract above.
    unsafe { self_.cast::<Instance<P>>().as_mut() }.ok_or_else(|| null_argument("self"))
}

unsafe extern "C" fn create<P: Plugin>(
    host: *const PiHostApi,
    meta: *const PiPluginMetadata,
    out_instance: *mut *mut c_void,
    err: *mut PiError,
) -> ffi::PiStatus {
    guard("create", err, || {
        if host.is_null() || out_instance.is_null() {
            return Err(null_argument("host and out_instance"));
        }
        // SAFETY: the host passes metadata valid for the duration of create.
        let meta = unsafe { meta.as_ref() }.ok_or_else(|| null_argument("meta"))?;
        // SAFETY: as above; every string is copied before returning.
        let metadata = unsafe { Metadata::from_raw(meta) };
        let handle = Host::new(host, metadata.clone());
        let created = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            P::create(PluginContext { metadata, host: handle.clone() })
        }));
        match created {
            Ok(Ok(plugin)) => {
                let boxed = Box::new(Instance { plugin, host: handle });
                // SAFETY: checked non-NULL above; the host owns the out slot.
                unsafe { *out_instance = Box::into_raw(boxed).cast() };
                Ok(ffi::PI_STATUS_OK)
            }
            failed => {
                // No instance exists: stop threads the failed create may have started.
                handle.begin_close();
                handle.finish_close();
                match failed {
                    Ok(Err(error)) => Err(error),
                    Err(payload) => std::panic::resume_unwind(payload),
                    Ok(Ok(_)) => unreachable!(),
                }
            }
        }
    })
}

unsafe extern "C" fn destroy<P: Plugin>(self_: *mut c_void) {
    if self_.is_null() {
        return;
    }
    // SAFETY: `self_` came from `create::<P>` and the host destroys it exactly once.
    let instance = unsafe { Box::from_raw(self_.cast::<Instance<P>>()) };
    let host = instance.host.clone();
    host.begin_close();
    // The plugin's Drop may still call the host (the table is valid until we return).
    if let Err(payload) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(instance))) {
        let why = crate::guard::panic_message(payload.as_ref());
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(payload)));
        crate::log_error!(host, "the plugin panicked while being dropped: {why}");
    }
    host.finish_close();
}

/// Generates the four lifecycle entries, which differ only in the trait method they call.
macro_rules! lifecycle_entry {
    ($name:ident) => {
        unsafe extern "C" fn $name<P: Plugin>(self_: *mut c_void, err: *mut PiError) -> ffi::PiStatus {
            guard(stringify!($name), err, || {
                // SAFETY: see `instance`.
                let instance = unsafe { instance::<P>(self_) }?;
                instance.plugin.$name().map(|()| ffi::PI_STATUS_OK)
            })
        }
    };
}

lifecycle_entry!(on_mount);
lifecycle_entry!(on_dispose);
lifecycle_entry!(on_connect);
lifecycle_entry!(on_disconnect);

unsafe extern "C" fn update_ui<P: Plugin>(self_: *mut c_void, ui: *const PiUi, err: *mut PiError) -> ffi::PiStatus {
    guard("update_ui", err, || {
        // SAFETY: see `instance`.
        let instance = unsafe { instance::<P>(self_) }?;
        // SAFETY: the builder table is valid for the duration of this call.
        let raw = unsafe { ui.as_ref() }.ok_or_else(|| null_argument("ui"))?;
        let mut frame = Ui::new(raw);
        instance.plugin.update_ui(&mut frame);
        let problems = frame.into_errors();
        if problems.is_empty() {
            return Ok(ffi::PI_STATUS_OK);
        }
        for problem in &problems {
            crate::log_error!(instance.host, "update_ui: {problem}");
        }
        Err(PluginError::invalid_argument(problems.join("; ")))
    })
}

unsafe extern "C" fn handle_message<P: Plugin>(
    self_: *mut c_void,
    request_id: u64,
    message: *const c_char,
    out_reply: *mut *mut c_char,
    err: *mut PiError,
) -> ffi::PiStatus {
    guard("handle_message", err, || {
        // SAFETY: see `instance`.
        let instance = unsafe { instance::<P>(self_) }?;
        if out_reply.is_null() {
            return Err(null_argument("out_reply"));
        }
        // SAFETY: checked non-NULL; the host owns the slot for this call.
        unsafe { *out_reply = std::ptr::null_mut() };
        // SAFETY: the message is borrowed for this call.
        let text = unsafe { from_c(message) }.ok_or_else(|| null_argument("message"))?;
        let (responder, ticket) = Responder::new(instance.host.clone(), request_id);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| instance.plugin.handle_message(&text, responder)));
        let later = matches!(result, Ok(Ok(Reply::Later)));
        let early = ticket.finish(later);
        let reply = match result {
            Err(payload) => std::panic::resume_unwind(payload),
            Ok(Err(error)) => return Err(error),
            Ok(Ok(Reply::Now(text))) => Some(text),
            Ok(Ok(Reply::Nothing)) => None,
            Ok(Ok(Reply::Later)) => match early {
                None => return Ok(ffi::PI_STATUS_PENDING),
                // The responder answered before handle_message returned: answer directly.
                Some((ffi::PI_STATUS_OK, text)) => Some(text),
                Some((status, text)) => return Err(PluginError::new(crate::ErrorCode::from_status(status), text)),
            },
        };
        if let Some(text) = reply {
            // SAFETY: as above; the host releases it with the vtable's free_string.
            unsafe { *out_reply = into_plugin_owned(&text) };
        }
        Ok(ffi::PI_STATUS_OK)
    })
}

unsafe extern "C" fn set_history<P: Plugin>(self_: *mut c_void, json: *const c_char, err: *mut PiError) -> ffi::PiStatus {
    guard("set_history", err, || {
        // SAFETY: see `instance`.
        let instance = unsafe { instance::<P>(self_) }?;
        // SAFETY: borrowed for this call; NULL clears the history.
        let entries = match unsafe { from_c(json) } {
            None => None,
            Some(text) => Some(history::parse_history(&text)?),
        };
        instance.host.store_history(entries.clone());
        instance.plugin.set_history(entries.unwrap_or_default()).map(|()| ffi::PI_STATUS_OK)
    })
}

unsafe extern "C" fn get_metadata<P: Plugin>(self_: *mut c_void, out_json: *mut *mut c_char, err: *mut PiError) -> ffi::PiStatus {
    guard("get_metadata", err, || {
        // SAFETY: see `instance`.
        let instance = unsafe { instance::<P>(self_) }?;
        if out_json.is_null() {
            return Err(null_argument("out_json"));
        }
        let text = instance.plugin.metadata().to_string();
        // SAFETY: checked non-NULL; the host releases it with the vtable's free_string.
        unsafe { *out_json = into_plugin_owned(&text) };
        Ok(ffi::PI_STATUS_OK)
    })
}

unsafe extern "C" fn on_stream_control<P: Plugin>(
    self_: *mut c_void,
    stream: u64,
    control: ffi::PiStreamControl,
    err: *mut PiError,
) -> ffi::PiStatus {
    guard("on_stream_control", err, || {
        // SAFETY: see `instance`.
        let instance = unsafe { instance::<P>(self_) }?;
        let control = match control {
            ffi::PI_STREAM_CONTROL_PAUSE => StreamControl::Pause,
            ffi::PI_STREAM_CONTROL_RESUME => StreamControl::Resume,
            ffi::PI_STREAM_CONTROL_CANCEL => StreamControl::Cancel,
            other => return Err(PluginError::invalid_argument(format!("unknown stream control {other}"))),
        };
        if control == StreamControl::Cancel {
            // Wake whatever the stream's producer is blocked on before the plugin hears of it.
            instance.host.cancel_stream_token(stream);
        }
        instance.plugin.on_stream_control(stream, control).map(|()| ffi::PI_STATUS_OK)
    })
}

unsafe extern "C" fn apply_settings<P: Plugin>(self_: *mut c_void, json: *const c_char, err: *mut PiError) -> ffi::PiStatus {
    guard("apply_settings", err, || {
        // SAFETY: see `instance`.
        let instance = unsafe { instance::<P>(self_) }?;
        // SAFETY: borrowed for this call.
        let text = unsafe { from_c(json) }.ok_or_else(|| null_argument("settings json"))?;
        let settings = json::parse(&text).map_err(|e| PluginError::invalid_argument(format!("settings: {e}")))?;
        instance.plugin.apply_settings(settings).map(|()| ffi::PI_STATUS_OK)
    })
}

/// Exports a [`Plugin`] type from a `cdylib`: defines the static vtable and the
/// `pi_plugin_entry` symbol. Use once per library: `export_plugin!(MyPlugin);`.
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty) => {
        static __PI_PLUGIN_VTABLE: $crate::ffi::PiPluginVTable = $crate::vtable::<$plugin>();
        $crate::pi_export_plugin_vtable!(__PI_PLUGIN_VTABLE);
    };
}
