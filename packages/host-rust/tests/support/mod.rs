pub mod matcher;
pub mod runner;
pub use plugin_interfaces_host::examples as plugins;
