//! `config.toml` (the spec's `PluginConfig`): the fields the host needs, parsed with `toml`.

use crate::error::{HostError, HostResult};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// `[plugin]`.
#[derive(Debug, Clone, Deserialize)]
pub struct PluginSection {
    pub id: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub author: Option<String>,
    pub library: String,
    pub abi: String,
    #[serde(default)]
    pub require_history: bool,
}

/// `[permissions]`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Permissions {
    #[serde(default)]
    pub app_config: Vec<String>,
    #[serde(default)]
    pub call_plugins: Vec<String>,
}

/// A parsed `config.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct PluginConfig {
    pub plugin: PluginSection,
    #[serde(default)]
    pub permissions: Permissions,
    /// `[settings.<key>]` as JSON (validated by [`crate::settings`]).
    #[serde(default)]
    pub settings: BTreeMap<String, toml::Value>,
    /// `[checksums]`: platform key → SHA-256 hex.
    #[serde(default)]
    pub checksums: BTreeMap<String, String>,
}

impl PluginConfig {
    /// The declared settings as JSON objects.
    pub fn setting_specs(&self) -> Map<String, Value> {
        self.settings
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or(Value::Null)))
            .collect()
    }
}

/// Plugin ids: lowercase letters, digits, `_`, `-`, `.`; at most 64 characters (`PLUGIN_ID_PATTERN`).
pub fn valid_plugin_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'.' | b'-')
        })
}

/// Parse and check a config.toml text (`file` names it in errors).
pub fn parse_config(text: &str, file: &str) -> HostResult<PluginConfig> {
    let config: PluginConfig = toml::from_str(text)
        .map_err(|e| HostError::new("CONFIG_INVALID", format!("{file}: {e}")))?;
    if !valid_plugin_id(&config.plugin.id) {
        return Err(HostError::new(
            "CONFIG_INVALID",
            format!(
                "{file}: plugin id {:?} must match ^[a-z0-9][a-z0-9_.-]{{0,63}}$",
                config.plugin.id
            ),
        ));
    }
    Ok(config)
}
