//! The exported `extern "C"` entries, called the way the host calls them: through
//! `pi_plugin_entry`, with a fake host table, including panicking plugin code.

use super::fake_host::FakeHost;
use super::fake_ui::FakeUi;
use crate::ffi::{self, PiPluginMetadata, PiPluginVTable};
use crate::{ErrorCode, Plugin, PluginContext, PluginError, Reply, Responder, Ui, empty_error, error_message};
use std::ffi::{CStr, CString, c_char, c_void};

struct Probe {
    host: crate::Host,
    panic_in: String,
}

impl Plugin for Probe {
    fn create(ctx: PluginContext) -> Result<Self, PluginError> {
        let settings = ctx.settings()?;
        let panic_in = settings.get("panic_in").and_then(|v| v.as_str()).unwrap_or("").to_owned();
        if panic_in == "create" {
            panic!("probe panicked in create");
        }
        Ok(Probe { host: ctx.host, panic_in })
    }

    fn update_ui(&mut self, ui: &mut Ui) {
        let _ = ui.with_id("x").button("One");
        if self.panic_in == "clash" {
            let _ = ui.with_id("x").button("Two");
        }
    }

    fn on_connect(&mut self) -> Result<(), PluginError> {
        if self.panic_in == "on_connect" {
            panic!("probe panicked in on_connect");
        }
        Ok(())
    }

    fn handle_message(&mut self, message: &str, responder: Responder) -> Result<Reply, PluginError> {
        match message {
            "panic" => panic!("probe panicked on {message:?}"),
            "fail" => Err(PluginError::invalid_argument("probe refuses")),
            "later" => {
                self.host.spawn(move || responder.reply("later answer").unwrap()).map_err(PluginError::from)?;
                Ok(Reply::Later)
            }
            other => Ok(Reply::now(format!("probe: {other}"))),
        }
    }
}

crate::export_plugin!(Probe);

fn vtable() -> &'static PiPluginVTable {
    let entry = unsafe { &*pi_plugin_entry() };
    assert_eq!(entry.abi_major, ffi::PI_ABI_MAJOR);
    unsafe { &*entry.vtable }
}

fn metadata(settings: &CStr) -> PiPluginMetadata {
    PiPluginMetadata {
        struct_size: size_of::<PiPluginMetadata>() as u32,
        abi_major: ffi::PI_ABI_MAJOR,
        abi_minor: ffi::PI_ABI_MINOR,
        id: c"probe".as_ptr(),
        name: c"Probe".as_ptr(),
        description: c"".as_ptr(),
        version: c"0.1.0".as_ptr(),
        author: std::ptr::null(),
        plugin_dir: c"/plugins/probe".as_ptr(),
        library_path: c"/plugins/probe/libprobe.so".as_ptr(),
        config_path: c"/plugins/probe/config.toml".as_ptr(),
        instance_id: c"i-1".as_ptr(),
        settings_json: settings.as_ptr(),
        require_history: 0,
    }
}

fn create(fake: &FakeHost, settings: &CStr) -> Result<*mut c_void, (i32, String)> {
    let (mut instance, mut err) = (std::ptr::null_mut(), empty_error());
    let meta = metadata(settings);
    let status = unsafe { vtable().create.unwrap()(&fake.api, &meta, &mut instance, &mut err) };
    if status == ffi::PI_STATUS_OK { Ok(instance) } else { Err((status, error_message(&err))) }
}

fn send(instance: *mut c_void, text: &str) -> (i32, Option<String>, String) {
    let (mut out, mut err) = (std::ptr::null_mut::<c_char>(), empty_error());
    let message = CString::new(text).unwrap();
    let status = unsafe { vtable().handle_message.unwrap()(instance, 1, message.as_ptr(), &mut out, &mut err) };
    let reply = (!out.is_null()).then(|| {
        let text = unsafe { CStr::from_ptr(out) }.to_string_lossy().into_owned();
        unsafe { vtable().free_string.unwrap()(out) };
        text
    });
    (status, reply, error_message(&err))
}

#[test]
fn a_panic_in_handle_message_becomes_internal_with_the_message() {
    let fake = FakeHost::new();
    let instance = create(&fake, c"{}").unwrap();
    let (status, reply, message) = send(instance, "panic");
    assert_eq!(status, ffi::PI_STATUS_INTERNAL);
    assert_eq!(reply, None);
    assert_eq!(message, "panic in handle_message: probe panicked on \"panic\"");
    // The instance keeps working after a contained panic.
    assert_eq!(send(instance, "hi").1.as_deref(), Some("probe: hi"));
    unsafe { vtable().destroy.unwrap()(instance) };
}

#[test]
fn panics_in_create_and_lifecycle_entries_are_contained() {
    let fake = FakeHost::new();
    assert_eq!(create(&fake, cr#"{"panic_in":"create"}"#), Err((ffi::PI_STATUS_INTERNAL, "panic in create: probe panicked in create".into())));
    let instance = create(&fake, cr#"{"panic_in":"on_connect"}"#).unwrap();
    let mut err = empty_error();
    let status = unsafe { vtable().on_connect.unwrap()(instance, &mut err) };
    assert_eq!(status, ffi::PI_STATUS_INTERNAL);
    assert_eq!(err.code, ffi::PI_STATUS_INTERNAL);
    assert_eq!(error_message(&err), "panic in on_connect: probe panicked in on_connect");
    unsafe { vtable().destroy.unwrap()(instance) };
}

#[test]
fn errors_and_pending_replies_follow_the_abi() {
    let fake = FakeHost::new();
    let instance = create(&fake, c"{}").unwrap();
    let (status, _, message) = send(instance, "fail");
    assert_eq!((status, message.as_str()), (ErrorCode::InvalidArgument.status(), "probe refuses"));
    let (status, reply, _) = send(instance, "later");
    assert!(status == ffi::PI_STATUS_PENDING || (status == ffi::PI_STATUS_OK && reply.as_deref() == Some("later answer")));
    // destroy joins the responder's thread, so a pending reply has been sent by now.
    unsafe { vtable().destroy.unwrap()(instance) };
    if status == ffi::PI_STATUS_PENDING {
        assert_eq!(fake.calls(), ["reply 1 0 later answer"]);
    }
}

#[test]
fn an_id_clash_fails_update_ui_and_is_logged_through_the_host() {
    let fake = FakeHost::new();
    let instance = create(&fake, cr#"{"panic_in":"clash"}"#).unwrap();
    let ui = FakeUi::new();
    let mut err = empty_error();
    let status = unsafe { vtable().update_ui.unwrap()(instance, &ui.table, &mut err) };
    assert_eq!(status, ffi::PI_STATUS_INVALID_ARGUMENT);
    assert!(error_message(&err).contains("duplicate widget id \"x\""));
    assert_eq!(fake.calls().len(), 1);
    assert!(fake.calls()[0].starts_with("log 1 update_ui: duplicate widget id"));
    unsafe { vtable().destroy.unwrap()(instance) };
}

#[test]
fn null_arguments_are_refused_not_dereferenced() {
    let mut err = empty_error();
    let status = unsafe { vtable().on_mount.unwrap()(std::ptr::null_mut(), &mut err) };
    assert_eq!(status, ffi::PI_STATUS_INVALID_ARGUMENT);
    let fake = FakeHost::new();
    let instance = create(&fake, c"{}").unwrap();
    let status = unsafe { vtable().set_history.unwrap()(instance, c"not json".as_ptr(), &mut err) };
    assert_eq!(status, ffi::PI_STATUS_INVALID_ARGUMENT);
    unsafe { vtable().destroy.unwrap()(instance) };
}

#[test]
fn a_short_metadata_struct_reads_missing_trailing_fields_as_absent() {
    let fake = FakeHost::new();
    let mut meta = metadata(cr#"{"panic_in":"create"}"#);
    meta.struct_size = std::mem::offset_of!(PiPluginMetadata, settings_json) as u32;
    meta.require_history = 1;
    let (mut instance, mut err) = (std::ptr::null_mut(), empty_error());
    // The settings field is not part of this struct, so the panic setting is never read.
    let status = unsafe { vtable().create.unwrap()(&fake.api, &meta, &mut instance, &mut err) };
    assert_eq!(status, ffi::PI_STATUS_OK, "{}", error_message(&err));
    unsafe { vtable().destroy.unwrap()(instance) };
}
