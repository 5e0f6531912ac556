//! Unit tests that drive the SDK through fake host tables built from `extern "C"` functions.

mod entry;
mod fake_host;
mod fake_ui;
mod host;
mod migration;
mod seed_api;
mod stream;
mod ui;
