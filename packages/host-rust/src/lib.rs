//! A Rust host for plugin-interfaces plugins: discovers plugin folders, verifies config, ABI,
//! layout (against the generated bindings of `plugin-interfaces`) and checksums, loads libraries,
//! drives the lifecycle, implements every host API entry, records UI frames with the spec's widget
//! ids, and emits the spec's frontend events as typed values and as the same JSON as host-node.

pub mod bridge;
pub mod bus;
pub mod config;
pub mod discovery;
pub mod error;
pub mod events;
pub mod examples;
mod frames;
pub mod host;
pub mod instance;
pub mod library;
mod lifecycle;
pub mod limits;
mod messages;
pub mod services;
pub mod settings;
pub mod time;
pub mod ui;
pub mod ui_ids;
mod worker;

pub use bus::Delivered;
pub use error::{HostError, HostResult};
pub use events::{FrontendEvent, InstanceInfo, UiEvent, UiNode};
pub use host::{HostOptions, MessageResult, PluginHost};
pub use plugin_interfaces::ffi;
