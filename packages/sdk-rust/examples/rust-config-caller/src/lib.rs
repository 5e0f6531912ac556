//! rust-config-caller: reads app settings and calls other plugins through the host, as
//! permitted by `[permissions]` in its config.toml. "config <key>" answers with the setting;
//! "call <plugin> <text>" answers later, from a thread, with "<plugin> said: <reply>".

use plugin_interfaces::{Host, Plugin, PluginContext, PluginError, Reply, Responder, Ui, export_plugin};

/// The config-caller plugin.
pub struct ConfigCaller {
    host: Host,
    theme_line: Option<String>,
}

impl ConfigCaller {
    fn read_config(&self, key: &str) -> Result<Reply, PluginError> {
        let value = self
            .host
            .app_config(key)
            .map_err(|e| PluginError::new(e, format!("config {key} failed: {}", e.name())))?;
        Ok(Reply::Now(value))
    }

    fn start_call(&self, args: &str, responder: Responder) -> Result<Reply, PluginError> {
        let (plugin, text) = args
            .split_once(' ')
            .filter(|(plugin, _)| !plugin.is_empty())
            .ok_or_else(|| PluginError::invalid_argument("usage: call <plugin> <text>"))?;
        let (plugin, text, host) = (plugin.to_owned(), text.to_owned(), self.host.clone());
        self.host.spawn(move || {
            // A failed reply means the instance is closing: nobody is waiting any more.
            let _ = match host.call_plugin(&plugin, &text) {
                Ok(reply) => responder.reply(&format!("{plugin} said: {reply}")),
                Err(e) => responder.fail(PluginError::new(e, format!("call {plugin} failed: {}", e.name()))),
            };
        })?;
        Ok(Reply::Later)
    }
}

impl Plugin for ConfigCaller {
    fn create(ctx: PluginContext) -> Result<Self, PluginError> {
        Ok(ConfigCaller { host: ctx.host, theme_line: None })
    }

    fn update_ui(&mut self, ui: &mut Ui) {
        if ui.with_id("read-theme").button("Read theme").clicked() {
            self.theme_line = Some(match self.host.app_config("theme") {
                Ok(theme) => format!("Theme: {theme}"),
                Err(e) => format!("Theme: (failed: {})", e.name()),
            });
        }
        if let Some(line) = &self.theme_line {
            ui.label(line);
        }
    }

    fn handle_message(&mut self, message: &str, responder: Responder) -> Result<Reply, PluginError> {
        if let Some(key) = message.strip_prefix("config ") {
            self.read_config(key)
        } else if let Some(args) = message.strip_prefix("call ") {
            self.start_call(args, responder)
        } else {
            Err(PluginError::invalid_argument("config-caller understands \"config <key>\" and \"call <plugin> <text>\""))
        }
    }
}

export_plugin!(ConfigCaller);
