//! Write chat-client plugins in Rust, with the standard library only and no `unsafe`.
//!
//! Implement [`Plugin`] for your type, export it with [`export_plugin!`], build a `cdylib`, and
//! drop the library next to a `config.toml`. The SDK owns everything that crosses the C ABI:
//! panics become `INTERNAL` errors, strings are released by the side that allocated them, and
//! host calls made after the instance is destroyed fail with [`ErrorCode::Closed`] instead of
//! touching freed memory.
//!
//! ```no_run
//! use plugin_interfaces::{export_plugin, Plugin, PluginContext, PluginError, Reply, Responder, Ui};
//!
//! struct Hello;
//! impl Plugin for Hello {
//!     fn create(_ctx: PluginContext) -> Result<Self, PluginError> { Ok(Hello) }
//!     fn update_ui(&mut self, ui: &mut Ui) { ui.heading("Hello"); }
//!     fn handle_message(&mut self, m: &str, _r: Responder) -> Result<Reply, PluginError> {
//!         Ok(Reply::now(format!("Hello, {m}!")))
//!     }
//! }
//! export_plugin!(Hello);
//! ```
//!
//! [`ffi`] holds the generated `#[repr(C)]` ABI types for code that needs the wire format.

#![warn(missing_docs)]

// Generated: its bracketed ownership tags read as links to rustdoc.
#[allow(missing_docs, rustdoc::broken_intra_doc_links)]
pub mod ffi;
pub mod json;

mod cancel;
mod context;
mod cstr;
mod error;
mod export;
mod guard;
mod history;
mod host;
mod logging;
mod message;
mod plugin;
mod responder;
mod stream;
mod ui;
mod ui_bindings;

pub use cancel::CancelToken;
pub use context::{Metadata, PluginContext};
pub use error::{ErrorCode, HostError, PluginError};
pub use export::vtable;
pub use guard::{empty_error, error_message};
pub use history::{HistoryMessage, MessageKind, MessageStatus, Role, parse_history};
pub use host::Host;
pub use logging::Level;
pub use message::MessageType;
pub use plugin::{Plugin, Reply, StreamControl};
pub use responder::Responder;
pub use stream::Stream;
pub use ui::{Response, Ui, WidgetBuilder};

#[cfg(test)]
mod tests;
