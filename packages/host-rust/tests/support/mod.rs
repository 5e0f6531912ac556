pub mod matcher;
pub use plugin_interfaces_host::examples as plugins;
