//! rust-echo: answers every chat message with "Echo: <message>". "fail" is refused with an
//! error, "later" is answered ~20 ms later from a thread, "panic" panics (the SDK reports it as
//! INTERNAL). The UI shows how many messages arrived.

use plugin_interfaces::{Host, Plugin, PluginContext, PluginError, Reply, Responder, Ui, export_plugin};
use std::time::Duration;

/// The echo plugin's state.
pub struct Echo {
    host: Host,
    handled: u64,
}

impl Plugin for Echo {
    fn create(ctx: PluginContext) -> Result<Self, PluginError> {
        Ok(Echo { host: ctx.host, handled: 0 })
    }

    fn update_ui(&mut self, ui: &mut Ui) {
        ui.heading("Echo");
        ui.label(&format!("Messages: {}", self.handled));
    }

    fn handle_message(&mut self, message: &str, responder: Responder) -> Result<Reply, PluginError> {
        self.handled += 1;
        match message {
            "fail" => Err(PluginError::invalid_argument("echo refuses to echo fail")),
            "panic" => panic!("echo was asked to panic"),
            "later" => {
                let host = self.host.clone();
                self.host.spawn(move || {
                    // False when the instance is being destroyed: the host then fails the
                    // request itself.
                    if host.sleep(Duration::from_millis(20)) {
                        let _ = responder.reply("Echo (later): later");
                    }
                })?;
                Ok(Reply::Later)
            }
            other => Ok(Reply::now(format!("Echo: {other}"))),
        }
    }
}

export_plugin!(Echo);
