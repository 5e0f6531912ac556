//! rust-ui-demo: every widget of the safe `Ui` once, with labels showing the state the widgets
//! changed. handle_message("state") reports that state as one line.

use plugin_interfaces::{Host, MessageType, Plugin, PluginContext, PluginError, Reply, Responder, Ui, export_plugin};

const COLORS: [&str; 3] = ["Red", "Green", "Blue"];

/// The widgets' state.
pub struct UiDemo {
    host: Host,
    count: u64,
    name: String,
    color: Option<usize>,
    enabled: bool,
    api_key: String,
}

impl UiDemo {
    fn display_name(&self) -> &str {
        if self.name.is_empty() { "stranger" } else { &self.name }
    }

    fn color_name(&self) -> &str {
        self.color.and_then(|i| COLORS.get(i)).copied().unwrap_or("none")
    }

    fn yes_no(flag: bool) -> &'static str {
        if flag { "yes" } else { "no" }
    }
}

impl Plugin for UiDemo {
    fn create(ctx: PluginContext) -> Result<Self, PluginError> {
        Ok(UiDemo { host: ctx.host, count: 0, name: String::new(), color: None, enabled: false, api_key: String::new() })
    }

    fn update_ui(&mut self, ui: &mut Ui) {
        ui.heading("UI demo");

        if ui.with_id("increment").button("Increment").clicked() {
            self.count += 1;
        }
        ui.label(&format!("Count: {}", self.count));

        let _ = ui.with_id("name").hint("Your name").text_edit_singleline(&mut self.name);
        ui.label(&format!("Hello, {}!", self.display_name()));

        let _ = ui.with_id("color").combo_box("Color", &COLORS, &mut self.color);
        ui.label(&format!("Color: {}", self.color_name()));

        let _ = ui.with_id("enabled").toggle("Enabled", &mut self.enabled);
        ui.label(&format!("Enabled: {}", Self::yes_no(self.enabled)));

        // A row that comes and goes with the toggle: the widgets after it keep their ids.
        if self.enabled {
            ui.horizontal(|ui| {
                ui.label("Extras are on");
                if ui.button("Extra").clicked() {
                    let _ = self.host.send_message(MessageType::Info, "Extra clicked");
                }
            });
        }

        ui.horizontal(|ui| {
            if ui.with_id("reset").button("Reset").clicked() {
                self.count = 0;
                // "Count" above was already drawn with the old value.
                let _ = self.host.request_refresh();
            }
            if ui.button("Send greeting").clicked() {
                let _ = self.host.send_message(MessageType::Success, &format!("Hello, {}!", self.display_name()));
            }
        });

        ui.vertical(|ui| {
            ui.label("Column A");
            ui.label("Column B");
        });
        ui.separator();

        let _ = ui.with_id("api_key").hint("API key").password(&mut self.api_key);
        ui.label(&format!("API key set: {}", Self::yes_no(!self.api_key.is_empty())));
        let _ = ui.with_id("disabled").enabled(false).button("Can't touch this");
    }

    fn handle_message(&mut self, message: &str, _responder: Responder) -> Result<Reply, PluginError> {
        Ok(Reply::Now(if message == "state" {
            format!(
                "count={} name={} color={} enabled={}",
                self.count,
                self.name,
                self.color_name(),
                Self::yes_no(self.enabled)
            )
        } else {
            format!("ui-demo got: {message}")
        }))
    }
}

export_plugin!(UiDemo);
