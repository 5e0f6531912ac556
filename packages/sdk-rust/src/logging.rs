//! Log levels and the `log_*!` macros, which write through the host's logger (not stdout).

use crate::ffi;

/// Level of a log line (the spec's `PiLogLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// An operation failed.
    Error,
    /// Something unexpected that the plugin recovered from.
    Warn,
    /// Normal operation.
    Info,
    /// Detail for developers.
    Debug,
    /// Very fine-grained detail.
    Trace,
}

impl Level {
    /// The raw ABI value.
    pub fn raw(self) -> ffi::PiLogLevel {
        match self {
            Self::Error => ffi::PI_LOG_LEVEL_ERROR,
            Self::Warn => ffi::PI_LOG_LEVEL_WARN,
            Self::Info => ffi::PI_LOG_LEVEL_INFO,
            Self::Debug => ffi::PI_LOG_LEVEL_DEBUG,
            Self::Trace => ffi::PI_LOG_LEVEL_TRACE,
        }
    }
}

/// Logs through a [`Host`](crate::Host) at a given [`Level`]; failures (e.g. a closed
/// instance) are ignored. `log!(host, Level::Info, "x = {}", x)`.
#[macro_export]
macro_rules! log {
    ($host:expr, $level:expr, $($arg:tt)+) => {{
        let _ = $crate::Host::log(&$host, $level, &::std::format!($($arg)+));
    }};
}

/// Logs an error through the host: `log_error!(host, "failed: {err}")`.
#[macro_export]
macro_rules! log_error {
    ($host:expr, $($arg:tt)+) => { $crate::log!($host, $crate::Level::Error, $($arg)+) };
}

/// Logs a warning through the host: `log_warn!(host, "retrying {n}")`.
#[macro_export]
macro_rules! log_warn {
    ($host:expr, $($arg:tt)+) => { $crate::log!($host, $crate::Level::Warn, $($arg)+) };
}

/// Logs an informational line through the host: `log_info!(host, "connected to {addr}")`.
#[macro_export]
macro_rules! log_info {
    ($host:expr, $($arg:tt)+) => { $crate::log!($host, $crate::Level::Info, $($arg)+) };
}

/// Logs a debug line through the host: `log_debug!(host, "state = {state:?}")`.
#[macro_export]
macro_rules! log_debug {
    ($host:expr, $($arg:tt)+) => { $crate::log!($host, $crate::Level::Debug, $($arg)+) };
}

/// Logs a trace line through the host: `log_trace!(host, "chunk {i}")`.
#[macro_export]
macro_rules! log_trace {
    ($host:expr, $($arg:tt)+) => { $crate::log!($host, $crate::Level::Trace, $($arg)+) };
}
