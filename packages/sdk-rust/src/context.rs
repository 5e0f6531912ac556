//! [`PluginContext`] and [`Metadata`]: what a new instance learns about itself.

use crate::cstr::{from_c, owned_or_empty};
use crate::ffi::PiPluginMetadata;
use crate::json::{self, Value};
use crate::{Host, PluginError};
use std::ffi::c_char;
use std::mem::{offset_of, size_of};
use std::path::PathBuf;

/// The host's description of one instance, copied out of the borrowed ABI struct.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Plugin id from `config.toml`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Plugin version.
    pub version: String,
    /// Author, when given.
    pub author: Option<String>,
    /// Absolute path of the plugin folder: read your own files relative to it, not the cwd.
    pub plugin_dir: PathBuf,
    /// Absolute path of the loaded library.
    pub library_path: PathBuf,
    /// Absolute path of `config.toml`.
    pub config_path: PathBuf,
    /// Unique id of this instance.
    pub instance_id: String,
    /// The validated plugin settings as a JSON object text (`"{}"` when none).
    pub settings_json: String,
    /// True when the host sends the history before each message.
    pub require_history: bool,
}

impl Metadata {
    /// Copies the borrowed metadata.
    ///
    /// # Safety
    /// Every string field is NULL or a valid NUL-terminated string for the duration of the call.
    pub(crate) unsafe fn from_raw(raw: &PiPluginMetadata) -> Metadata {
        // SAFETY (all reads): forwarded contract.
        let text = |p| unsafe { owned_or_empty(p) };
        // A host built against an older minor may pass a shorter struct: trailing fields it does
        // not have read as absent.
        let has = |end: usize| raw.struct_size as usize >= end;
        let settings_end = offset_of!(PiPluginMetadata, settings_json) + size_of::<*const c_char>();
        let settings = if has(settings_end) { text(raw.settings_json) } else { String::new() };
        Metadata {
            id: text(raw.id),
            name: text(raw.name),
            description: text(raw.description),
            version: text(raw.version),
            author: unsafe { from_c(raw.author) }.map(|a| a.into_owned()),
            plugin_dir: text(raw.plugin_dir).into(),
            library_path: text(raw.library_path).into(),
            config_path: text(raw.config_path).into(),
            instance_id: text(raw.instance_id),
            settings_json: if settings.is_empty() { "{}".to_owned() } else { settings },
            require_history: has(offset_of!(PiPluginMetadata, require_history) + 1) && raw.require_history != 0,
        }
    }
}

/// Everything [`Plugin::create`](crate::Plugin::create) gets: the instance's metadata and the
/// [`Host`] handle (keep a clone to call the host later, from any thread).
#[derive(Debug, Clone)]
pub struct PluginContext {
    /// What the host said about this instance.
    pub metadata: Metadata,
    /// The host services.
    pub host: Host,
}

impl PluginContext {
    /// The host handle.
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// The settings parsed as JSON (an `INVALID_ARGUMENT` error if the host sent bad JSON).
    pub fn settings(&self) -> Result<Value, PluginError> {
        json::parse(&self.metadata.settings_json).map_err(|e| PluginError::invalid_argument(format!("settings: {e}")))
    }
}
