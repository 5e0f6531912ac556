//! Discovery: every immediate subfolder of a plugin root with a `config.toml` is a plugin folder.
//! Each is checked (config, id, declared ABI, library location, SHA-256) before anything loads.

use crate::config::{PluginConfig, parse_config};
use crate::error::{HostError, HostResult};
use plugin_interfaces::ffi;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A plugin folder as discovery found it: usable (`error` none) or refused with the reason.
#[derive(Debug, Clone)]
pub struct DiscoveredPlugin {
    pub id: String,
    pub dir: PathBuf,
    pub config_path: PathBuf,
    pub library_path: PathBuf,
    pub config: Option<PluginConfig>,
    pub error: Option<HostError>,
}

/// `lib<name>.so` / `lib<name>.dylib` / `<name>.dll` for this OS.
pub fn library_file_name(name: &str) -> String {
    if cfg!(target_os = "macos") {
        format!("lib{name}.dylib")
    } else if cfg!(windows) {
        format!("{name}.dll")
    } else {
        format!("lib{name}.so")
    }
}

/// `[checksums]` keys for this platform, most specific first (`linux-x64`, then `linux`).
pub fn platform_keys() -> [String; 2] {
    let os = if cfg!(target_os = "macos") {
        "macos"
    } else if cfg!(windows) {
        "windows"
    } else {
        "linux"
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    };
    [format!("{os}-{arch}"), os.to_string()]
}

/// SHA-256 of a file as lowercase hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut file = std::fs::File::open(path)?;
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The declared ABI "major.minor" against this host's generated version.
fn check_declared_abi(config: &PluginConfig) -> HostResult<()> {
    let (major, minor) = config
        .plugin
        .abi
        .split_once('.')
        .and_then(|(a, b)| Some((a.parse::<u16>().ok()?, b.parse::<u16>().ok()?)))
        .ok_or_else(|| {
            HostError::new(
                "CONFIG_INVALID",
                format!("abi {:?} is not \"major.minor\"", config.plugin.abi),
            )
        })?;
    if major != ffi::PI_ABI_MAJOR {
        return Err(HostError::new(
            "ABI_MAJOR_MISMATCH",
            format!(
                "plugin {} declares ABI {major}.{minor}; this host speaks {}.x",
                config.plugin.id,
                ffi::PI_ABI_MAJOR
            ),
        ));
    }
    if minor > ffi::PI_ABI_MINOR {
        return Err(HostError::new(
            "ABI_MINOR_TOO_NEW",
            format!(
                "plugin {} needs ABI {major}.{minor}; this host has {major}.{}",
                config.plugin.id,
                ffi::PI_ABI_MINOR
            ),
        ));
    }
    Ok(())
}

/// Inspect one plugin folder.
pub fn inspect_plugin(dir: &Path) -> DiscoveredPlugin {
    let config_path = dir.join("config.toml");
    let fallback_id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = DiscoveredPlugin {
        id: fallback_id,
        dir: dir.to_path_buf(),
        config_path: config_path.clone(),
        library_path: PathBuf::new(),
        config: None,
        error: None,
    };
    let checked = (|| -> HostResult<PluginConfig> {
        let size = std::fs::metadata(&config_path)
            .map(|m| m.len())
            .unwrap_or(0);
        if size > crate::limits::MAX_CONFIG_BYTES {
            return Err(HostError::new(
                "CONFIG_INVALID",
                format!(
                    "{} has {size} bytes (limit {}); it was not parsed",
                    config_path.display(),
                    crate::limits::MAX_CONFIG_BYTES
                ),
            ));
        }
        let text = std::fs::read_to_string(&config_path).map_err(|e| {
            HostError::new(
                "CONFIG_NOT_FOUND",
                format!("{}: {e}", config_path.display()),
            )
        })?;
        let config = parse_config(&text, &config_path.display().to_string())?;
        check_declared_abi(&config)?;
        Ok(config)
    })();
    let config = match checked {
        Ok(c) => c,
        Err(e) => {
            out.error = Some(e);
            return out;
        }
    };
    out.id = config.plugin.id.clone();
    let name = &config.plugin.library;
    if name.contains('/') || name.contains('\\') || name.contains("..") {
        out.error = Some(HostError::new(
            "LIBRARY_PATH_ESCAPE",
            format!(
                "library {name:?} of plugin {} must be a file name inside its folder",
                out.id
            ),
        ));
        out.config = Some(config);
        return out;
    }
    out.library_path = dir.join(library_file_name(name));
    if !out.library_path.is_file() {
        out.error = Some(HostError::new(
            "LIBRARY_NOT_FOUND",
            format!("{} does not exist", out.library_path.display()),
        ));
    } else if let Some((key, expected)) = platform_keys().iter().find_map(|k| {
        config
            .checksums
            .get(k)
            .map(|v| (k.clone(), v.to_lowercase()))
    }) {
        match sha256_file(&out.library_path) {
            Ok(actual) if actual == expected => {}
            Ok(actual) => {
                out.error = Some(HostError::new(
                    "CHECKSUM_MISMATCH",
                    format!(
                        "{} has SHA-256 {actual}, but [checksums] {key} expects {expected}",
                        out.library_path.display()
                    ),
                ))
            }
            Err(e) => {
                out.error = Some(HostError::new(
                    "LIBRARY_NOT_FOUND",
                    format!("{}: {e}", out.library_path.display()),
                ))
            }
        }
    }
    out.config = Some(config);
    out
}

/// Scan plugin roots; a later duplicate id is refused with PLUGIN_ID_DUPLICATE.
pub fn discover_plugins(roots: &[PathBuf]) -> Vec<DiscoveredPlugin> {
    let mut out: Vec<DiscoveredPlugin> = Vec::new();
    for root in roots {
        let Ok(entries) = std::fs::read_dir(root) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join("config.toml").is_file())
            .collect();
        dirs.sort();
        for dir in dirs {
            let mut p = inspect_plugin(&dir);
            if out.iter().any(|q| q.id == p.id) {
                p.error = Some(HostError::new(
                    "PLUGIN_ID_DUPLICATE",
                    format!("plugin id {} is used by another folder", p.id),
                ));
            }
            out.push(p);
        }
    }
    out
}
