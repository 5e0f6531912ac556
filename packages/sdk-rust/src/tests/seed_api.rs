//! The calls the seed's API had and the port needed: untitled streams, `send(chunk, is_final)`,
//! cancel tokens raised by the host's cancel, metadata and history from any hook, a sleep that
//! ends with the instance, a switch without a label and a combo box bound to text.

use super::fake_host::FakeHost;
use super::fake_ui::{Event, FakeUi};
use crate::ffi::{self, PiPluginMetadata, PiPluginVTable};
use crate::{CancelToken, ErrorCode, Host, Plugin, PluginContext, PluginError, Reply, Responder, StreamControl, Ui, empty_error};
use std::ffi::{CStr, c_void};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Records what its hooks saw, for the assertions below.
#[derive(Default)]
struct Seen {
    token_raised_before_hook: Option<bool>,
    history_in_message: Option<Option<usize>>,
    plugin_id_in_connect: Option<String>,
    sleeper_result: Option<bool>,
}

struct Watcher {
    host: Host,
    seen: Arc<Mutex<Seen>>,
    token: Option<CancelToken>,
}

static SEEN: Mutex<Option<Arc<Mutex<Seen>>>> = Mutex::new(None);

impl Plugin for Watcher {
    fn create(ctx: PluginContext) -> Result<Self, PluginError> {
        let seen = SEEN.lock().unwrap().clone().ok_or("no test state")?;
        Ok(Watcher { host: ctx.host, seen, token: None })
    }

    fn update_ui(&mut self, _ui: &mut Ui) {}

    fn on_connect(&mut self) -> Result<(), PluginError> {
        self.seen.lock().unwrap().plugin_id_in_connect = Some(self.host.metadata().id.clone());
        Ok(())
    }

    fn handle_message(&mut self, message: &str, _r: Responder) -> Result<Reply, PluginError> {
        self.seen.lock().unwrap().history_in_message = Some(self.host.history().map(|h| h.len()));
        if message == "stream" {
            let stream = self.host.start_stream()?;
            let token = stream.cancel_token();
            self.token = Some(token.clone());
            let seen = self.seen.clone();
            // A producer blocked for 30 s: only the token can wake it.
            self.host.spawn(move || {
                let slept = token.sleep(Duration::from_secs(30));
                seen.lock().unwrap().sleeper_result = Some(slept);
                drop(stream);
            })?;
        }
        Ok(Reply::Nothing)
    }

    fn on_stream_control(&mut self, _stream: u64, control: StreamControl) -> Result<(), PluginError> {
        if control == StreamControl::Cancel {
            let raised = self.token.as_ref().map(CancelToken::is_cancelled);
            self.seen.lock().unwrap().token_raised_before_hook = raised;
        }
        Ok(())
    }
}

fn table() -> PiPluginVTable {
    crate::vtable::<Watcher>()
}

fn meta() -> PiPluginMetadata {
    PiPluginMetadata {
        struct_size: size_of::<PiPluginMetadata>() as u32,
        abi_major: ffi::PI_ABI_MAJOR,
        abi_minor: ffi::PI_ABI_MINOR,
        id: c"watcher".as_ptr(),
        name: c"Watcher".as_ptr(),
        description: c"".as_ptr(),
        version: c"1.0.0".as_ptr(),
        author: std::ptr::null(),
        plugin_dir: c"/p".as_ptr(),
        library_path: c"/p/lib.so".as_ptr(),
        config_path: c"/p/config.toml".as_ptr(),
        instance_id: c"w-1".as_ptr(),
        settings_json: c"{}".as_ptr(),
        require_history: 1,
    }
}

/// One Watcher instance over `fake`; the lock keeps tests that share `SEEN` apart.
fn watcher(fake: &FakeHost) -> (*mut c_void, Arc<Mutex<Seen>>, std::sync::MutexGuard<'static, ()>) {
    static SERIAL: Mutex<()> = Mutex::new(());
    let serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let seen = Arc::new(Mutex::new(Seen::default()));
    *SEEN.lock().unwrap() = Some(seen.clone());
    let (mut instance, mut err, meta) = (std::ptr::null_mut(), empty_error(), meta());
    let status = unsafe { table().create.unwrap()(&fake.api, &meta, &mut instance, &mut err) };
    assert_eq!(status, ffi::PI_STATUS_OK);
    (instance, seen, serial)
}

fn message(instance: *mut c_void, text: &CStr) {
    let (mut out, mut err) = (std::ptr::null_mut(), empty_error());
    let status = unsafe { table().handle_message.unwrap()(instance, 1, text.as_ptr(), &mut out, &mut err) };
    assert_eq!(status, ffi::PI_STATUS_OK);
}

#[test]
fn the_hosts_cancel_raises_the_token_before_on_stream_control_and_wakes_a_blocked_thread() {
    let fake = FakeHost::new();
    let (instance, seen, _serial) = watcher(&fake);
    message(instance, c"stream");
    assert_eq!(fake.calls(), ["stream_start NULL"], "an untitled stream passes no title");
    let started = Instant::now();
    let mut err = empty_error();
    let status = unsafe { table().on_stream_control.unwrap()(instance, 7, ffi::PI_STREAM_CONTROL_CANCEL, &mut err) };
    assert_eq!(status, ffi::PI_STATUS_OK);
    // destroy joins the producer thread: it returns only once the token woke it.
    unsafe { table().destroy.unwrap()(instance) };
    assert!(started.elapsed() < Duration::from_secs(10), "the blocked thread woke after {:?}", started.elapsed());
    let seen = seen.lock().unwrap();
    assert_eq!(seen.token_raised_before_hook, Some(true));
    assert_eq!(seen.sleeper_result, Some(false));
    // The cancelled stream was over on the host side already: dropping it sends no stream_end.
    assert!(!fake.calls().iter().any(|c| c.starts_with("stream_end")), "{:?}", fake.calls());
}

#[test]
fn destroy_raises_the_token_of_every_open_stream() {
    let fake = FakeHost::new();
    let (instance, seen, _serial) = watcher(&fake);
    message(instance, c"stream");
    let started = Instant::now();
    unsafe { table().destroy.unwrap()(instance) };
    assert!(started.elapsed() < Duration::from_secs(10), "destroy took {:?}", started.elapsed());
    assert_eq!(seen.lock().unwrap().sleeper_result, Some(false));
}

#[test]
fn metadata_and_history_are_reachable_from_every_hook() {
    let fake = FakeHost::new();
    let (instance, seen, _serial) = watcher(&fake);
    let mut err = empty_error();
    assert_eq!(unsafe { table().on_connect.unwrap()(instance, &mut err) }, ffi::PI_STATUS_OK);
    message(instance, c"before any history");
    assert_eq!(seen.lock().unwrap().history_in_message, Some(None), "no history yet is None");
    let history = cr#"[{"id":"u1","type":"normal","status":"completed","content":"hi","pluginId":"watcher","role":"user","createdAt":"2026-01-01T00:00:00Z"}]"#;
    assert_eq!(unsafe { table().set_history.unwrap()(instance, history.as_ptr(), &mut err) }, ffi::PI_STATUS_OK);
    message(instance, c"hi");
    assert_eq!(seen.lock().unwrap().history_in_message, Some(Some(1)));
    assert_eq!(unsafe { table().set_history.unwrap()(instance, std::ptr::null(), &mut err) }, ffi::PI_STATUS_OK);
    message(instance, c"after clear");
    assert_eq!(seen.lock().unwrap().history_in_message, Some(None), "a cleared history is None");
    assert_eq!(seen.lock().unwrap().plugin_id_in_connect.as_deref(), Some("watcher"));
    unsafe { table().destroy.unwrap()(instance) };
}

#[test]
fn host_sleep_returns_false_as_soon_as_the_instance_starts_closing() {
    let fake = FakeHost::new();
    let host = fake.host();
    assert!(host.sleep(Duration::from_millis(1)), "an uninterrupted sleep returns true");
    let sleeper = host.clone();
    let thread = std::thread::spawn(move || sleeper.sleep(Duration::from_secs(30)));
    let started = Instant::now();
    host.begin_close();
    assert!(!thread.join().unwrap());
    assert!(started.elapsed() < Duration::from_secs(10), "woke after {:?}", started.elapsed());
    assert!(!host.sleep(Duration::from_secs(30)), "a sleep after closing returns at once");
}

#[test]
fn send_with_is_final_ends_the_stream_and_refuses_more() {
    let fake = FakeHost::new();
    let mut stream = fake.host().stream("Title").unwrap();
    stream.send("a", false).unwrap();
    stream.send("b", true).unwrap();
    assert_eq!(stream.send("c", false), Err(ErrorCode::InvalidState));
    drop(stream);
    assert_eq!(fake.calls(), ["stream_start Title", "stream_data 7 a", "stream_data 7 b", "stream_end 7 1 NULL"]);
}

#[test]
fn a_write_refused_as_cancelled_raises_the_token_for_other_threads() {
    let fake = FakeHost::new();
    fake.script_data(&[ffi::PI_STATUS_CANCELLED]);
    let mut stream = fake.host().start_stream().unwrap();
    let token = stream.cancel_token();
    assert!(!stream.is_cancelled());
    assert_eq!(stream.write("x"), Err(ErrorCode::Cancelled));
    assert!(token.is_cancelled());
    assert_eq!(stream.write("y"), Err(ErrorCode::Cancelled), "no second chunk reaches the host");
    assert_eq!(fake.calls().iter().filter(|c| c.starts_with("stream_data")).count(), 1);
}

#[test]
fn a_switch_has_no_label_and_a_text_combo_binds_the_option_text() {
    let fake = FakeUi::new();
    fake.event("on", Event::Toggle(true));
    fake.event("model", Event::Select(1));
    let mut ui = Ui::new(&fake.table);
    let mut on = false;
    assert!(ui.with_id("on").switch(&mut on).changed());
    assert!(on);
    let mut model = Some("not listed".to_owned());
    assert!(ui.with_id("model").combo_box_text("Model", &["small", "large"], &mut model).changed());
    assert_eq!(model.as_deref(), Some("large"));
    let mut kept = Some("small".to_owned());
    assert!(!ui.combo_box_text("Other", &["small", "large"], &mut kept).changed());
    assert_eq!(kept.as_deref(), Some("small"));
    assert_eq!(
        fake.calls(),
        ["toggle on NULL 0 0", "combo_box model Model [small,large] -1 0", "combo_box NULL Other [small,large] 0 0"]
    );
}

#[test]
fn the_closing_token_runs_its_callbacks_when_destroy_begins() {
    let fake = FakeHost::new();
    let host = fake.host();
    let token = host.closing_token();
    let ran = Arc::new(Mutex::new(false));
    let flag = ran.clone();
    token.on_cancel(move || *flag.lock().unwrap() = true);
    assert!(!token.is_cancelled());
    host.begin_close();
    assert!(*ran.lock().unwrap());
    assert!(host.closing_token().is_cancelled());
}
