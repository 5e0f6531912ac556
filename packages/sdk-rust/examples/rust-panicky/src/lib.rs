//! rust-panicky: a fixture proving that the SDK contains panics. The entry named by the
//! `panic_in` setting (`{"panic_in":"update_ui"}`) panics whenever it is called. Messages:
//! "panic-in handle_message" panics at once; "panic-in <entry>" arms that entry instead;
//! "panic-in thread" panics in a worker thread (the SDK logs it); anything else is answered
//! with "panicky: <message>".

use plugin_interfaces::json::Value;
use plugin_interfaces::{HistoryMessage, Host, Plugin, PluginContext, PluginError, Reply, Responder, StreamControl, Ui, export_plugin};

/// The fixture's state: which entry panics.
pub struct Panicky {
    host: Host,
    panic_in: String,
}

fn panic_in_setting(settings: &Value) -> String {
    settings.get("panic_in").and_then(Value::as_str).unwrap_or_default().to_owned()
}

impl Panicky {
    fn maybe_panic(&self, entry: &str) {
        if self.panic_in == entry {
            panic!("rust-panicky panics in {entry} as configured");
        }
    }
}

impl Plugin for Panicky {
    fn create(ctx: PluginContext) -> Result<Self, PluginError> {
        let me = Panicky { panic_in: panic_in_setting(&ctx.settings()?), host: ctx.host };
        me.maybe_panic("create");
        Ok(me)
    }

    fn update_ui(&mut self, ui: &mut Ui) {
        self.maybe_panic("update_ui");
        ui.label(&format!("Panics in: {}", if self.panic_in.is_empty() { "nothing" } else { &self.panic_in }));
    }

    fn on_mount(&mut self) -> Result<(), PluginError> {
        self.maybe_panic("on_mount");
        Ok(())
    }

    fn on_connect(&mut self) -> Result<(), PluginError> {
        self.maybe_panic("on_connect");
        Ok(())
    }

    fn on_disconnect(&mut self) -> Result<(), PluginError> {
        self.maybe_panic("on_disconnect");
        Ok(())
    }

    fn on_dispose(&mut self) -> Result<(), PluginError> {
        self.maybe_panic("on_dispose");
        Ok(())
    }

    fn handle_message(&mut self, message: &str, _responder: Responder) -> Result<Reply, PluginError> {
        self.maybe_panic("handle_message");
        match message.strip_prefix("panic-in ") {
            Some("handle_message") => panic!("rust-panicky panics in handle_message as asked"),
            Some("thread") => {
                self.host.spawn(|| panic!("rust-panicky panics in a worker thread as asked"))?;
                Ok(Reply::now("a worker thread will panic"))
            }
            Some(entry) => {
                self.panic_in = entry.to_owned();
                Ok(Reply::now(format!("will panic in {entry}")))
            }
            None => Ok(Reply::now(format!("panicky: {message}"))),
        }
    }

    fn set_history(&mut self, _history: Vec<HistoryMessage>) -> Result<(), PluginError> {
        self.maybe_panic("set_history");
        Ok(())
    }

    fn on_stream_control(&mut self, _stream: u64, _control: StreamControl) -> Result<(), PluginError> {
        self.maybe_panic("on_stream_control");
        Ok(())
    }

    fn apply_settings(&mut self, settings: Value) -> Result<(), PluginError> {
        self.panic_in = panic_in_setting(&settings);
        self.maybe_panic("apply_settings");
        Ok(())
    }

    fn metadata(&self) -> Value {
        self.maybe_panic("get_metadata");
        Value::Object(vec![("panic_in".into(), Value::from(self.panic_in.as_str()))])
    }
}

impl Drop for Panicky {
    fn drop(&mut self) {
        self.maybe_panic("destroy");
    }
}

export_plugin!(Panicky);
