//! Plugins for the plugin-interfaces host, in Rust, with the standard library only.
//!
//! [`ffi`] holds the generated `#[repr(C)]` ABI types. Export a plugin with
//! [`pi_export_plugin_vtable!`] and a `static` [`ffi::PiPluginVTable`].

pub mod ffi;
