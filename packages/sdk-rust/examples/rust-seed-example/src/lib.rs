//! rust-seed-example: the seed's example plugin (chat-client `src-tauri/src/plugins/example`)
//! ported to the safe SDK, with no `unsafe` and no crates. Every call the seed made has its
//! counterpart here; the README's migration table names each one.
//!
//! - UI: two labels; a row with "Short" (plain message) and "Markdown" (code block and KaTeX);
//!   "Background Stream Demo"; "Age +5 (Async)"; a text edit bound to the name; a combo box
//!   bound to `Option<String>`; a switch without a label beside "Dark Mode:"; labels echoing
//!   every value.
//! - "Background Stream Demo": a thread streams 10 chunks `chunk_delay_ms` apart (the last one
//!   final); a cancel wakes it at once through the stream's cancel token and it stops quietly;
//!   any other failure ends the stream with the error.
//! - "Age +5 (Async)": a thread waits `age_delay_ms`, adds 5 to the shared age, posts
//!   "Age updated from <old> to <new> (+5)" and asks for a refresh.
//! - A chat message is echoed with the number of history entries (history is required).

use plugin_interfaces::{
    ErrorCode, Host, MessageType, Plugin, PluginContext, PluginError, Reply, Responder, Stream, StreamControl, Ui,
    export_plugin, json::Value, log_info, log_warn,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The chunks of the background stream; the last one is sent as final.
const STREAM_CHUNKS: usize = 10;
/// What "Age +5 (Async)" adds.
const AGE_STEP: u32 = 5;
/// The seed's pause, used when the setting is absent.
const DEFAULT_DELAY_MS: u64 = 2000;
const OPTIONS: [&str; 3] = ["Option 1", "Option 2", "Option 3"];

const MARKDOWN: &str = "## Markdown from the Rust seed example\n\n\
A code block:\n\n```rust\nfn main() {\n    println!(\"Hello, plugin!\");\n}\n```\n\n\
Inline math $E = mc^2$ and a display formula:\n\n$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$\n";

/// The delays, from the instance's settings (the seed hard-coded 2 s for both).
#[derive(Clone, Copy)]
struct Delays {
    chunk: Duration,
    age: Duration,
}

impl Delays {
    fn from_settings(settings: &Value) -> Delays {
        let ms = |key: &str| {
            let value = settings.get(key).and_then(Value::as_i64).and_then(|n| u64::try_from(n).ok());
            Duration::from_millis(value.unwrap_or(DEFAULT_DELAY_MS))
        };
        Delays { chunk: ms("chunk_delay_ms"), age: ms("age_delay_ms") }
    }
}

/// The seed's `ExamplePlugin`.
pub struct SeedExample {
    host: Host,
    name: String,
    /// Shared with the async counter's thread (the seed's `Arc<tokio::sync::Mutex<u32>>`).
    age: Arc<Mutex<u32>>,
    selected_option: Option<String>,
    dark_mode: bool,
    delays: Delays,
}

impl SeedExample {
    fn age(&self) -> u32 {
        *self.age.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The seed's `demo_streaming_message_background`: a thread instead of a tokio task.
    fn start_background_stream(&self) -> Result<(), PluginError> {
        let stream = self.host.start_stream()?;
        let (host, delay) = (self.host.clone(), self.delays.chunk);
        log_info!(host, "started background stream {}", stream.id());
        self.host.spawn(move || run_stream(&host, stream, delay))?;
        Ok(())
    }

    /// The seed's `start_async_age_modification`.
    fn start_age_increment(&self) -> Result<(), PluginError> {
        let (host, age, delay) = (self.host.clone(), self.age.clone(), self.delays.age);
        self.host.spawn(move || {
            if !host.sleep(delay) {
                return; // the instance is closing
            }
            let (old, new) = {
                let mut age = age.lock().unwrap_or_else(|e| e.into_inner());
                let old = *age;
                *age += AGE_STEP;
                (old, *age)
            };
            log_info!(host, "age modified from {old} to {new}");
            let _ = host.send_message(MessageType::Normal, &format!("Age updated from {old} to {new} (+{AGE_STEP})"));
            let _ = host.request_refresh();
        })?;
        Ok(())
    }

    /// Runs a button's action; a failure is shown to the user instead of being lost.
    fn act(&self, what: &str, action: impl FnOnce(&Self) -> Result<(), PluginError>) {
        if let Err(e) = action(self) {
            log_warn!(self.host, "{what} failed: {e}");
            let _ = self.host.send_message(MessageType::Error, &format!("{what} failed: {}", e.chain_text()));
        }
    }
}

/// Streams the chunks, stopping quietly when the user cancels or the instance closes.
fn run_stream(host: &Host, mut stream: Stream, delay: Duration) {
    let token = stream.cancel_token();
    for i in 1..=STREAM_CHUNKS {
        // The token wakes this sleep the moment the user cancels (or the instance closes).
        if i > 1 && !token.sleep(delay) {
            break;
        }
        match stream.send(&format!("Background chunk {i} of {STREAM_CHUNKS}. "), i == STREAM_CHUNKS) {
            Ok(()) => {}
            Err(ErrorCode::Cancelled | ErrorCode::Closed) => break,
            Err(e) => {
                log_warn!(host, "failed to send background stream chunk: {e}");
                let _ = stream.fail(&format!("Error: {e}"));
                return;
            }
        }
    }
    if stream.is_cancelled() {
        log_info!(host, "background stream {} cancelled; stopped after the user's cancel", stream.id());
    } else {
        log_info!(host, "background stream demo completed");
    }
}

impl Plugin for SeedExample {
    fn create(ctx: PluginContext) -> Result<Self, PluginError> {
        let delays = Delays::from_settings(&ctx.settings()?);
        Ok(SeedExample {
            host: ctx.host,
            name: "Debin".to_owned(),
            age: Arc::new(Mutex::new(32)),
            selected_option: None,
            dark_mode: false,
            delays,
        })
    }

    fn update_ui(&mut self, ui: &mut Ui) {
        ui.label("Rust seed example");
        ui.label("The seed's example plugin, ported to the safe SDK");
        ui.horizontal(|ui| {
            if ui.button("Short").clicked() {
                let _ = self.host.send_message(MessageType::Normal, "A short message from the Rust seed example.");
            }
            if ui.button("Markdown").clicked() {
                let _ = self.host.send_message(MessageType::Normal, MARKDOWN);
            }
        });
        if ui.button("Background Stream Demo").clicked() {
            self.act("the background stream", Self::start_background_stream);
        }
        if ui.button("Age +5 (Async)").clicked() {
            self.act("the async age update", Self::start_age_increment);
        }
        if ui.with_id("name").hint("Name").text_edit_singleline(&mut self.name).changed() {
            log_info!(self.host, "text field updated: {}", self.name);
        }
        if ui.with_id("option").combo_box_text("Select an option", &OPTIONS, &mut self.selected_option).clicked() {
            log_info!(self.host, "combo box updated: {:?}", self.selected_option);
        }
        ui.horizontal(|ui| {
            ui.label("Dark Mode:");
            if ui.with_id("dark_mode").switch(&mut self.dark_mode).changed() {
                log_info!(self.host, "dark mode toggled: {}", self.dark_mode);
            }
        });
        ui.label(&format!("Name: {}", self.name));
        ui.label(&format!("Age: {}", self.age()));
        ui.label(&format!("Selected Option: {}", self.selected_option.as_deref().unwrap_or("None")));
        ui.label(&format!("Dark Mode: {}", self.dark_mode));
    }

    fn on_mount(&mut self) -> Result<(), PluginError> {
        let meta = self.host.metadata();
        log_info!(self.host, "[{}] mounted: id={}, version={}", meta.name, meta.id, meta.version);
        Ok(())
    }

    fn on_connect(&mut self) -> Result<(), PluginError> {
        log_info!(self.host, "[{}] connected", self.host.metadata().name);
        Ok(())
    }

    fn on_disconnect(&mut self) -> Result<(), PluginError> {
        log_warn!(self.host, "[{}] disconnected", self.host.metadata().name);
        Ok(())
    }

    fn on_dispose(&mut self) -> Result<(), PluginError> {
        // Nothing to shut down: the SDK joins the threads from `host.spawn` after this returns,
        // and `host.sleep` / the cancel tokens wake them at once.
        log_info!(self.host, "[{}] disposed", self.host.metadata().name);
        Ok(())
    }

    fn handle_message(&mut self, message: &str, _responder: Responder) -> Result<Reply, PluginError> {
        let name = &self.host.metadata().name;
        log_info!(self.host, "[{name}] received message: {message}");
        let history = match self.host.history() {
            Some(entries) => format!("history: {} messages", entries.len()),
            None => "no history".to_owned(),
        };
        let _ = self.host.send_message(MessageType::Info, &format!("Received \"{message}\" ({history})"));
        Ok(Reply::now(format!("Echo from {name}: {message} ({history})")))
    }

    fn on_stream_control(&mut self, stream: u64, control: StreamControl) -> Result<(), PluginError> {
        // The stream's thread already woke up through its cancel token; this only logs.
        log_info!(self.host, "stream {stream}: the user chose {control:?}");
        Ok(())
    }

    fn apply_settings(&mut self, settings: Value) -> Result<(), PluginError> {
        self.delays = Delays::from_settings(&settings);
        Ok(())
    }
}

export_plugin!(SeedExample);
