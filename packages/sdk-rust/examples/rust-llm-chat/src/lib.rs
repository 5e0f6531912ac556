//! rust-llm-chat: the LLM chat plugin, with the standard library only. Settings `api_url`,
//! `api_key` (secret) and `model`. On a chat message it opens a stream and, on a thread, asks the
//! OpenAI-compatible chat-completions endpoint for a streamed answer built from the chat history
//! (HTTP/1.1 and server-sent events over `std::net`), writing each piece into the stream.
//!
//! - The user's cancel raises the stream's cancel token, whose callback shuts the socket down: the
//!   blocked read returns at once and the thread stops quietly.
//! - HTTP errors (401, 500, …) and connection errors end the stream with the reason, e.g.
//!   `HTTP 401 Unauthorized: Invalid API key`.
//! - "Test connection" lists the server's models and reports the result as a message and a label.

mod chat;
mod http;

use chat::{Finish, Settings};
use plugin_interfaces::json::Value;
use plugin_interfaces::{
    Host, MessageType, Plugin, PluginContext, PluginError, Reply, Responder, Stream, Ui, export_plugin, log_info,
    log_warn,
};
use std::sync::{Arc, Mutex};

/// The LLM chat plugin.
pub struct LlmChat {
    host: Host,
    settings: Settings,
    /// The last "Test connection" result, shown in the UI (written by the test's thread).
    status: Arc<Mutex<String>>,
}

/// Streams one answer into `stream`; ends it with the reason on failure, quietly on cancel.
fn answer(host: &Host, mut stream: Stream, settings: &Settings, messages: &[chat::ChatMessage]) {
    let token = stream.cancel_token();
    let result = chat::stream_completion(settings, messages, &token, |piece| stream.write(piece).is_ok());
    match result {
        Ok(Finish::Done) => {
            let _ = stream.end();
        }
        Ok(Finish::Cancelled) => log_info!(host, "stream {}: cancelled, connection closed", stream.id()),
        Err(reason) => {
            log_warn!(host, "stream {}: {reason}", stream.id());
            let _ = stream.fail(&reason);
        }
    }
}

impl LlmChat {
    fn status(&self) -> String {
        self.status.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn start_connection_test(&self) -> Result<(), PluginError> {
        let (host, settings, status) = (self.host.clone(), self.settings.clone(), self.status.clone());
        *status.lock().unwrap_or_else(|e| e.into_inner()) = "Testing…".to_owned();
        self.host.spawn(move || {
            let (kind, text) = match chat::test_connection(&settings, &host.closing_token()) {
                Ok(report) => (MessageType::Success, report),
                Err(reason) => (MessageType::Error, format!("Connection test failed: {reason}")),
            };
            *status.lock().unwrap_or_else(|e| e.into_inner()) = text.clone();
            let _ = host.send_message(kind, &text);
            let _ = host.request_refresh();
        })?;
        Ok(())
    }
}

impl Plugin for LlmChat {
    fn create(ctx: PluginContext) -> Result<Self, PluginError> {
        let settings = Settings::from_json(&ctx.settings()?);
        Ok(LlmChat { host: ctx.host, settings, status: Arc::new(Mutex::new("Not tested".to_owned())) })
    }

    fn update_ui(&mut self, ui: &mut Ui) {
        ui.heading("LLM chat");
        ui.label(&format!("API URL: {}", self.settings.api_url));
        ui.label(&format!("Model: {}", self.settings.model));
        ui.label(if self.settings.api_key.is_some() { "API key: set" } else { "API key: not set" });
        if ui.with_id("test_connection").button("Test connection").clicked()
            && let Err(e) = self.start_connection_test()
        {
            let _ = self.host.send_message(MessageType::Error, &format!("Cannot test the connection: {e}"));
        }
        ui.label(&format!("Status: {}", self.status()));
    }

    fn handle_message(&mut self, message: &str, _responder: Responder) -> Result<Reply, PluginError> {
        if self.settings.api_url.is_empty() || self.settings.model.is_empty() {
            return Err(PluginError::invalid_state("set the API URL and the model in the settings first"));
        }
        let messages = chat::conversation(self.host.history().as_deref(), message);
        let stream = self.host.start_stream()?;
        let (host, settings) = (self.host.clone(), self.settings.clone());
        self.host.spawn(move || answer(&host, stream, &settings, &messages))?;
        Ok(Reply::Nothing)
    }

    fn apply_settings(&mut self, settings: Value) -> Result<(), PluginError> {
        self.settings = Settings::from_json(&settings);
        Ok(())
    }
}


export_plugin!(LlmChat);

#[cfg(test)]
mod tests;
