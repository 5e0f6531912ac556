//! The [`Plugin`] trait: what a plugin implements, with defaults for everything but the UI.

use crate::json::Value;
use crate::{HistoryMessage, PluginContext, PluginError, Responder, Ui};

/// How `handle_message` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Answer now with this text.
    Now(String),
    /// Accept the message without a reply text.
    Nothing,
    /// Answer later through the [`Responder`] (keep it, e.g. move it into [`Host::spawn`](crate::Host::spawn)).
    Later,
}

impl Reply {
    /// `Reply::Now` from anything that converts into a `String`.
    pub fn now(text: impl Into<String>) -> Reply {
        Reply::Now(text.into())
    }
}

/// A user's request about one of your streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamControl {
    /// Stop producing until resumed ([`Stream::write`](crate::Stream::write) waits meanwhile).
    Pause,
    /// Continue producing.
    Resume,
    /// Stop for good; the host already ended the stream as cancelled.
    Cancel,
}

/// A chat-client plugin. Implement it for your type and export it with
/// [`export_plugin!`](crate::export_plugin). The host calls one instance from one thread at a
/// time (so `&mut self` is fine), but not always the same thread: hence `Send`.
///
/// Every method may fail with a [`PluginError`]; a panic is caught by the SDK and reported as
/// `INTERNAL` with the panic message, never unwinding into the host.
pub trait Plugin: Send + Sized + 'static {
    /// Creates an instance (the seed's `initialize`). Keep `ctx.host` to call the host later.
    fn create(ctx: PluginContext) -> Result<Self, PluginError>;

    /// Declares the whole UI for this frame (immediate mode: called again after every UI event
    /// and every [`Host::request_refresh`](crate::Host::request_refresh)).
    fn update_ui(&mut self, ui: &mut Ui);

    /// The instance is shown.
    fn on_mount(&mut self) -> Result<(), PluginError> {
        Ok(())
    }

    /// The user connected the instance; only connected instances receive messages.
    fn on_connect(&mut self) -> Result<(), PluginError> {
        Ok(())
    }

    /// The user (or the plugin via `request_disconnect`) disconnected the instance.
    fn on_disconnect(&mut self) -> Result<(), PluginError> {
        Ok(())
    }

    /// The instance is about to be destroyed: stop your work. The SDK then joins the threads
    /// started with [`Host::spawn`](crate::Host::spawn) and drops the plugin.
    fn on_dispose(&mut self) -> Result<(), PluginError> {
        Ok(())
    }

    /// Handles a chat message. Return [`Reply::Now`] / [`Reply::Nothing`], or [`Reply::Later`]
    /// and answer through `responder` (which is ignored when you answer now). The default
    /// refuses messages with `UNSUPPORTED`.
    fn handle_message(&mut self, message: &str, responder: Responder) -> Result<Reply, PluginError> {
        let _ = (message, responder);
        Err(PluginError::new(crate::ErrorCode::Unsupported, "this plugin does not handle chat messages"))
    }

    /// Receives the chat history before each message when `require_history` is set in
    /// `config.toml`; it ends with the message about to be handled (see [`HistoryMessage`]).
    /// [`Host::history`](crate::Host::history) returns the same list from any hook or thread
    /// (`None` when the host cleared it: then this receives an empty list).
    fn set_history(&mut self, history: Vec<HistoryMessage>) -> Result<(), PluginError> {
        let _ = history;
        Ok(())
    }

    /// The user paused, resumed or cancelled the stream with this id. On a cancel the SDK has
    /// already raised the stream's [`CancelToken`](crate::CancelToken) (its callbacks ran, its
    /// sleeps woke) before this runs.
    fn on_stream_control(&mut self, stream: u64, control: StreamControl) -> Result<(), PluginError> {
        let _ = (stream, control);
        Ok(())
    }

    /// New validated settings (a JSON object, see `[settings]` in `config.toml`).
    fn apply_settings(&mut self, settings: Value) -> Result<(), PluginError> {
        let _ = settings;
        Ok(())
    }

    /// Extra metadata reported to the host as a JSON object (default `{}`).
    fn metadata(&self) -> Value {
        Value::Object(Vec::new())
    }
}
