//! The README's migration table, right-hand column: every row's new-API call, compiled and run
//! against the fake host and UI (one test per group of the table). A row whose call changes
//! breaks this file, so the table cannot silently drift from the SDK.

use super::fake_host::FakeHost;
use super::fake_ui::{Event, FakeUi};
use crate::json::Value;
use crate::{
    CancelToken, ErrorCode, HistoryMessage, Host, HostError, Level, MessageKind, MessageStatus, MessageType, Metadata, Plugin,
    PluginContext, PluginError, Reply, Responder, Role, StreamControl, Ui,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A seed plugin after the port: the shapes of the "Plugin, exports, lifecycle" rows.
struct Port {
    host: Host,
    age: Arc<Mutex<u32>>,
    name: String,
}

impl Plugin for Port {
    // `T::new()` / `initialize(callbacks, metadata)` → `create(ctx)`, keeping `ctx.host`.
    fn create(ctx: PluginContext) -> Result<Self, PluginError> {
        let settings = ctx.settings()?; // `[user]` values arrive as settings
        let name = settings.get("name").and_then(Value::as_str).unwrap_or("Debin").to_owned();
        Ok(Port { host: ctx.host, age: Arc::new(Mutex::new(32)), name })
    }

    // `update_ui(ctx, ui, plugin_ctx)` → `update_ui(&mut self, ui)`.
    fn update_ui(&mut self, ui: &mut Ui) {
        ui.label(&self.name);
    }

    // `on_mount(&mut self, &PluginMetadata)` → metadata from the host.
    fn on_mount(&mut self) -> Result<(), PluginError> {
        let _ = &self.host.metadata().name;
        Ok(())
    }

    fn on_connect(&mut self) -> Result<(), PluginError> {
        // `runtime.block_on(connect())` → a blocking std call, its error returned with `?`.
        let _ = std::net::TcpListener::bind("127.0.0.1:0")?;
        Ok(())
    }

    fn on_disconnect(&mut self) -> Result<(), PluginError> {
        Ok(())
    }

    // Runtime shutdown → nothing to do.
    fn on_dispose(&mut self) -> Result<(), PluginError> {
        Ok(())
    }

    // `handle_message(msg, plugin_ctx) -> Result<String>` → `Reply`.
    fn handle_message(&mut self, message: &str, responder: Responder) -> Result<Reply, PluginError> {
        match message {
            "" => Err("empty message".into()),
            "format" => Err(format!("cannot handle {message}").into()),
            "io" => Ok(Reply::now(std::fs::read_to_string("/no/such/plugin-interfaces/file")?)),
            "later" => {
                self.host.spawn(move || {
                    let _ = responder.reply("done");
                })?;
                Ok(Reply::Later)
            }
            "nothing" => Ok(Reply::Nothing),
            other => Ok(Reply::now(format!("Echo: {other}"))),
        }
    }

    // `set_history` / `clear_history` → be told of each new history.
    fn set_history(&mut self, history: Vec<HistoryMessage>) -> Result<(), PluginError> {
        let _ = history.len();
        Ok(())
    }

    fn on_stream_control(&mut self, _stream: u64, control: StreamControl) -> Result<(), PluginError> {
        let _ = control == StreamControl::Cancel;
        Ok(())
    }

    fn apply_settings(&mut self, settings: Value) -> Result<(), PluginError> {
        self.name = settings.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
        Ok(())
    }

    // `get_metadata` → extra JSON.
    fn metadata(&self) -> Value {
        Value::object().with("age", *self.age.lock().unwrap())
    }
}

fn port(fake: &FakeHost, settings: &str) -> Port {
    let metadata = Metadata { settings_json: settings.into(), ..Default::default() };
    Port::create(PluginContext { metadata, host: fake.host() }).unwrap()
}

fn ask(plugin: &mut Port, fake: &FakeHost, message: &str) -> Result<Reply, PluginError> {
    let (responder, ticket) = Responder::new(fake.host(), 1);
    let result = plugin.handle_message(message, responder);
    let _ = ticket.finish(matches!(result, Ok(Reply::Later)));
    result
}

#[test]
fn plugin_exports_and_lifecycle() {
    // `create_plugin` / `destroy_plugin` → `export_plugin!(Port)`, which builds this vtable.
    let table = crate::vtable::<Port>();
    assert!(table.create.is_some() && table.destroy.is_some());
    let fake = FakeHost::new();
    let mut plugin = port(&fake, r#"{"name":"Ada"}"#);
    assert_eq!(plugin.name, "Ada");
    plugin.on_mount().unwrap();
    plugin.on_connect().unwrap();
    plugin.on_disconnect().unwrap();
    plugin.on_dispose().unwrap();
    assert_eq!(ask(&mut plugin, &fake, "hi").unwrap(), Reply::Now("Echo: hi".into()));
    assert_eq!(ask(&mut plugin, &fake, "nothing").unwrap(), Reply::Nothing);
    assert_eq!(ask(&mut plugin, &fake, "").unwrap_err().message, "empty message");
    assert_eq!(ask(&mut plugin, &fake, "format").unwrap_err().message, "cannot handle format");
    let io = ask(&mut plugin, &fake, "io").unwrap_err();
    assert_eq!(io.code, ErrorCode::NotFound);
    assert!(std::error::Error::source(&io).is_some());
    let caused = PluginError::new(ErrorCode::Timeout, "model too slow").with_source(std::io::Error::other("read timed out"));
    assert_eq!(caused.chain_text(), "model too slow: read timed out");
    assert_eq!(plugin.metadata().to_string(), r#"{"age":32}"#);
    plugin.apply_settings(Value::object().with("name", "Bo")).unwrap();
    assert_eq!(plugin.name, "Bo");
}

#[test]
fn metadata_history_and_config() {
    let fake = FakeHost::new();
    let host = fake.host();
    let meta: &Metadata = host.metadata();
    assert_eq!((meta.name.as_str(), host.instance_id()), ("Fake", "inst-1"));
    let _paths: [&std::path::Path; 3] = [&meta.plugin_dir, &meta.library_path, &meta.config_path];
    assert_eq!(host.history(), None, "no history");
    let entry = HistoryMessage {
        id: "m1".into(),
        kind: MessageKind::Normal,
        status: MessageStatus::Completed,
        content: "hi".into(),
        plugin_id: "p".into(),
        role: Role::User,
        created_at: "2026-01-01T00:00:00Z".into(),
        message_type: None,
        error: None,
    };
    host.store_history(Some(vec![entry.clone()]));
    assert_eq!(host.history().as_deref(), Some(&[entry][..]));
    let settings = crate::json::parse(r#"{"api_key":"sk-1"}"#).unwrap();
    assert_eq!(settings.get("api_key").and_then(Value::as_str), Some("sk-1"));
}

#[test]
fn host_services() -> Result<(), HostError> {
    let fake = FakeHost::new();
    let host = fake.host();
    host.send_message(MessageType::Normal, "hello")?;
    for kind in [MessageType::Success, MessageType::Warning, MessageType::Error, MessageType::Info] {
        host.send_message(kind, "x")?;
    }
    let _: Result<(), HostError> = host.send_to_frontend("event", "{}");
    host.request_refresh()?;
    host.request_disconnect()?;
    assert_eq!(host.app_config("theme")?, "value of theme");
    let _: Result<String, HostError> = host.call_plugin("echo", "hi");
    crate::log_info!(host, "n = {}", 1);
    crate::log_warn!(host, "w");
    crate::log_error!(host, "e");
    crate::log_debug!(host, "d");
    crate::log_trace!(host, "t");
    host.log(Level::Info, "plain")?;
    Ok(())
}

#[test]
fn streams() -> Result<(), HostError> {
    let fake = FakeHost::new();
    let host = fake.host();
    let mut stream = host.start_stream()?;
    let id: u64 = stream.id();
    assert_eq!(id.to_string(), "7");
    stream.send("a", false)?;
    stream.write("b")?;
    stream.pause()?;
    stream.resume()?;
    stream.send("c", true)?; // final: ended
    let chunks = ["x", "y", "z"];
    let mut batch = host.stream("Batch")?;
    for (i, c) in chunks.iter().enumerate() {
        batch.send(c, i + 1 == chunks.len())?;
    }
    host.stream("Failing")?.fail("Error: boom")?;
    host.stream("Done")?.end()?;
    let cancelled = host.stream("Cancel")?;
    let token: CancelToken = cancelled.cancel_token();
    let woke = Arc::new(Mutex::new(false));
    let flag = woke.clone();
    token.on_cancel(move || *flag.lock().unwrap() = true);
    assert!(!cancelled.is_cancelled());
    cancelled.cancel()?;
    assert!(*woke.lock().unwrap() && token.is_cancelled() && !token.sleep(Duration::from_secs(30)));
    let errors = [ErrorCode::Cancelled, ErrorCode::NotFound, ErrorCode::InvalidState, ErrorCode::Error];
    assert_eq!(errors.len(), 4);
    Ok(())
}

#[test]
fn tokio_patterns() -> Result<(), HostError> {
    let fake = FakeHost::new();
    let host = fake.host();
    let age = Arc::new(Mutex::new(32u32));
    let (worker_host, worker_age) = (host.clone(), age.clone());
    host.spawn(move || {
        if worker_host.sleep(Duration::from_millis(1)) {
            *worker_age.lock().unwrap() += 5;
            let _ = worker_host.request_refresh();
        }
    })?;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while *age.lock().unwrap() != 37 && std::time::Instant::now() < deadline {
        std::thread::yield_now();
    }
    assert_eq!(*age.lock().unwrap(), 37);
    // What destroy does after on_dispose: raise is_closing, wake sleeps, join the threads.
    host.begin_close();
    assert!(host.is_closing() && !host.sleep(Duration::from_secs(30)));
    Ok(())
}

#[test]
fn ui() {
    let fake = FakeUi::new();
    fake.event("name", Event::Text(std::ffi::CString::new("Ada").unwrap()));
    let mut ui = Ui::new(&fake.table);
    let (mut name, mut option, mut index, mut dark, mut on) = (String::new(), None::<String>, None::<usize>, false, false);
    ui.label("Test Plugin");
    let _ = ui.button("Short").clicked();
    ui.horizontal(|ui| {
        ui.label("Dark Mode:");
        let _ = ui.switch(&mut dark).changed();
    });
    ui.vertical(|ui| ui.heading("column"));
    assert!(ui.with_id("name").hint("Name").text_edit_singleline(&mut name).changed());
    let _ = ui.combo_box_text("Select an option", &["Option 1", "Option 2"], &mut option).clicked();
    let _ = ui.combo_box("Index", &["a", "b"], &mut index);
    let _ = ui.toggle("Enabled", &mut on);
    assert_eq!(name, "Ada");
    assert!(ui.into_errors().is_empty());
}
