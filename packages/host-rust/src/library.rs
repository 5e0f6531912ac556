//! Loading a plugin library: the entry symbol, ABI version, fingerprint and the field-by-field
//! layout check against the generated bindings (`ffi::PI_LAYOUT_RECORDS`), then the vtable.

use crate::error::{HostError, HostResult};
use plugin_interfaces::ffi;
use std::ffi::CStr;
use std::path::Path;

/// A loaded, verified library. Dropping it closes the library.
pub struct LoadedLibrary {
    pub vtable: &'static ffi::PiPluginVTable,
    pub sdk: String,
    // Last: the vtable points into it.
    _lib: libloading::Library,
}

// SAFETY: the vtable is immutable static data of the library, which lives as long as this value.
unsafe impl Send for LoadedLibrary {}
unsafe impl Sync for LoadedLibrary {}

fn cstr(p: *const std::ffi::c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
    }
}

/// Compare the plugin's layout descriptor with this host's; returns the differing rows.
pub fn layout_differences(plugin: &[ffi::PiLayoutRecord], same_minor: bool) -> Vec<String> {
    let mut out = Vec::new();
    for host in ffi::PI_LAYOUT_RECORDS.0.iter() {
        let name = cstr(host.name);
        match plugin.iter().find(|r| cstr(r.name) == name) {
            None if same_minor => out.push(format!("{name}: missing")),
            None => {}
            Some(r) if (r.size, r.align, r.offset) != (host.size, host.align, host.offset) => out
                .push(format!(
                    "{name}: plugin size {} align {} offset {}, host size {} align {} offset {}",
                    r.size, r.align, r.offset, host.size, host.align, host.offset
                )),
            Some(_) => {}
        }
    }
    out
}

/// Open a library and verify it before any other call.
pub fn load_library(path: &Path) -> HostResult<LoadedLibrary> {
    let shown = path.display().to_string();
    // SAFETY: loading runs the library's initialisers; that is what loading a plugin means.
    let lib = unsafe { libloading::Library::new(path) }
        .map_err(|e| HostError::new("LIBRARY_LOAD_FAILED", format!("{shown}: {e}")))?;
    let entry_fn: ffi::PiPluginEntryFn = unsafe {
        lib.get::<unsafe extern "C" fn() -> *const ffi::PiPluginEntry>(
            ffi::PI_ENTRY_SYMBOL.to_bytes_with_nul(),
        )
        .map(|s| Some(*s))
        .map_err(|_| {
            HostError::new(
                "ENTRY_SYMBOL_MISSING",
                format!(
                    "{shown} exports no {}",
                    ffi::PI_ENTRY_SYMBOL.to_string_lossy()
                ),
            )
        })?
    };
    let entry_ptr = unsafe { entry_fn.expect("symbol")() };
    if entry_ptr.is_null() {
        return Err(HostError::new(
            "ENTRY_INVALID",
            format!("{shown}: pi_plugin_entry returned NULL"),
        ));
    }
    // SAFETY: the entry is static data of the library; struct_size is read first.
    let entry = unsafe { &*entry_ptr };
    if entry.abi_major != ffi::PI_ABI_MAJOR {
        return Err(HostError::new(
            "ABI_MAJOR_MISMATCH",
            format!(
                "{shown} was built for ABI {}.{}; this host speaks {}.x",
                entry.abi_major,
                entry.abi_minor,
                ffi::PI_ABI_MAJOR
            ),
        ));
    }
    if entry.abi_minor > ffi::PI_ABI_MINOR {
        return Err(HostError::new(
            "ABI_MINOR_TOO_NEW",
            format!(
                "{shown} needs ABI {}.{}; this host has {}.{}",
                entry.abi_major,
                entry.abi_minor,
                ffi::PI_ABI_MAJOR,
                ffi::PI_ABI_MINOR
            ),
        ));
    }
    if (entry.struct_size as usize) < std::mem::size_of::<ffi::PiPluginEntry>()
        || entry.vtable.is_null()
    {
        return Err(HostError::new(
            "ENTRY_INVALID",
            format!(
                "{shown}: entry of {} bytes or NULL vtable",
                entry.struct_size
            ),
        ));
    }
    let same_minor = entry.abi_minor == ffi::PI_ABI_MINOR;
    let fingerprint = cstr(entry.abi_fingerprint);
    if same_minor && fingerprint != ffi::PI_ABI_FINGERPRINT.to_string_lossy() {
        return Err(HostError::new(
            "LAYOUT_MISMATCH",
            format!(
                "{shown} carries ABI fingerprint {fingerprint:?}, this host {:?}: rebuild with the current SDK",
                ffi::PI_ABI_FINGERPRINT
            ),
        ));
    }
    let records: &[ffi::PiLayoutRecord] = if entry.layout.is_null() {
        &[]
    } else {
        unsafe { std::slice::from_raw_parts(entry.layout, entry.layout_count as usize) }
    };
    let diff = layout_differences(records, same_minor);
    if !diff.is_empty() {
        return Err(HostError::new(
            "LAYOUT_MISMATCH",
            format!("{shown}: struct layouts differ: {}", diff.join("; ")),
        )
        .with_detail(serde_json::json!({ "fields": diff })));
    }
    // SAFETY: checked non-null; static data of the library.
    let vtable: &'static ffi::PiPluginVTable = unsafe { &*entry.vtable };
    if vtable.create.is_none() || vtable.destroy.is_none() || vtable.free_string.is_none() {
        return Err(HostError::new(
            "ENTRY_INVALID",
            format!("{shown}: the vtable lacks create, destroy or free_string"),
        ));
    }
    Ok(LoadedLibrary {
        vtable,
        sdk: cstr(entry.sdk),
        _lib: lib,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_layout_matches_itself_and_a_moved_field_is_named() {
        let mut rows: Vec<ffi::PiLayoutRecord> = ffi::PI_LAYOUT_RECORDS.0.to_vec();
        assert!(layout_differences(&rows, true).is_empty());
        let i = rows
            .iter()
            .position(|r| cstr(r.name) == "PiHostApi.log")
            .unwrap();
        rows[i].offset += 8;
        let diff = layout_differences(&rows, true);
        assert_eq!(diff.len(), 1);
        assert!(
            diff[0].starts_with("PiHostApi.log: plugin size 8 align 8 offset 120"),
            "{diff:?}"
        );
        rows.remove(i);
        assert_eq!(
            layout_differences(&rows, true),
            vec!["PiHostApi.log: missing"]
        );
        assert!(
            layout_differences(&rows, false).is_empty(),
            "an older minor may lack trailing fields"
        );
    }
}
