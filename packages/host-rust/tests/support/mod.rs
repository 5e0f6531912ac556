pub mod matcher;
pub mod plugins;
