//! Builds the C and Rust example plugins of this repository into plugin roots (for the tests, the
//! bench and the bridge example). Only meaningful inside the monorepo.

use std::path::{Path, PathBuf};
use std::process::Command;

fn packages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn lib_name(name: &str) -> String {
    crate::discovery::library_file_name(name)
}

fn examples(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.join("config.toml").is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The C examples, compiled with `cc` (as sdk-c's build-examples does) into `<target>/c/<id>/`.
pub fn build_c(out: &Path) -> Result<PathBuf, String> {
    let sdk = packages().join("sdk-c");
    let root = out.join("c");
    for ex in examples(&sdk.join("examples")) {
        let id = ex.file_name().unwrap().to_string_lossy().into_owned();
        let dir = root.join(&id);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let sources: Vec<PathBuf> = std::fs::read_dir(&ex)
            .map_err(|e| e.to_string())?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "c"))
            .collect();
        let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
        let status = Command::new(&cc)
            .args([
                "-std=c11",
                "-O2",
                "-shared",
                "-fPIC",
                "-pthread",
                "-fvisibility=hidden",
                "-I",
            ])
            .arg(sdk.join("include"))
            .arg("-o")
            .arg(dir.join(lib_name(&id)))
            .args(&sources)
            .status()
            .map_err(|e| format!("{cc}: {e}"))?;
        if !status.success() {
            return Err(format!("compiling C example {id} failed"));
        }
        std::fs::copy(ex.join("config.toml"), dir.join("config.toml"))
            .map_err(|e| e.to_string())?;
    }
    Ok(root)
}

/// The Rust examples: `cargo build --offline --release --workspace` in sdk-rust, then each
/// example's library and config.toml into `<target>/rust/<id>/`.
pub fn build_rust(out: &Path) -> Result<PathBuf, String> {
    let sdk = packages().join("sdk-rust");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--offline", "--release", "--workspace", "--quiet"])
        .current_dir(&sdk)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cargo build of the Rust examples failed".into());
    }
    let root = out.join("rust");
    for ex in examples(&sdk.join("examples")) {
        let config = std::fs::read_to_string(ex.join("config.toml")).map_err(|e| e.to_string())?;
        let parsed =
            crate::config::parse_config(&config, "config.toml").map_err(|e| e.to_string())?;
        let dir = root.join(&parsed.plugin.id);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let lib = lib_name(&parsed.plugin.library);
        std::fs::copy(
            sdk.join("target").join("release").join(&lib),
            dir.join(&lib),
        )
        .map_err(|e| format!("{lib}: {e}"))?;
        std::fs::write(dir.join("config.toml"), config).map_err(|e| e.to_string())?;
    }
    Ok(root)
}
