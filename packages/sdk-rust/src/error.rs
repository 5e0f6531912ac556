//! Error codes shared by host calls and plugin results, mapped 1:1 from the spec's `PiStatus`.

use crate::ffi;
use std::fmt;

/// A failure status from the spec's `PiStatus` enum (every negative value has a variant).
///
/// Host calls return it as [`HostError`]; plugins put it in a [`PluginError`] to tell the host
/// what kind of failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// `PI_STATUS_ERROR`: unspecified failure.
    Error,
    /// `PI_STATUS_INVALID_ARGUMENT`: an argument was malformed or out of range.
    InvalidArgument,
    /// `PI_STATUS_INVALID_STATE`: not allowed in the current lifecycle or stream state.
    InvalidState,
    /// `PI_STATUS_NOT_FOUND`: the named plugin, stream, key or request does not exist.
    NotFound,
    /// `PI_STATUS_PERMISSION_DENIED`: `config.toml` does not grant this key or call.
    PermissionDenied,
    /// `PI_STATUS_TIMEOUT`: the deadline passed.
    Timeout,
    /// `PI_STATUS_CANCELLED`: the user or the host cancelled the operation.
    Cancelled,
    /// `PI_STATUS_BACKPRESSURE`: no credit left (the SDK's [`Stream`](crate::Stream) waits for you).
    Backpressure,
    /// `PI_STATUS_LIMIT_EXCEEDED`: a size, depth or rate limit was hit.
    LimitExceeded,
    /// `PI_STATUS_UNSUPPORTED`: the peer does not implement this optional entry.
    Unsupported,
    /// `PI_STATUS_INTERNAL`: a bug or a caught panic inside the callee.
    Internal,
    /// `PI_STATUS_CLOSED`: the instance is being destroyed; no more host calls are accepted.
    Closed,
    /// A negative status this SDK version does not know (from a newer host).
    Unknown(i32),
}

/// The error of every [`Host`](crate::Host) call: the status the host returned.
pub type HostError = ErrorCode;

impl ErrorCode {
    /// Maps a raw status to `Ok(())` (OK or PENDING) or the matching error code.
    pub fn check(status: ffi::PiStatus) -> Result<(), ErrorCode> {
        if status >= 0 { Ok(()) } else { Err(Self::from_status(status)) }
    }

    /// The code for a negative raw status (`Unknown` for values the spec does not define).
    pub fn from_status(status: ffi::PiStatus) -> ErrorCode {
        match status {
            ffi::PI_STATUS_ERROR => Self::Error,
            ffi::PI_STATUS_INVALID_ARGUMENT => Self::InvalidArgument,
            ffi::PI_STATUS_INVALID_STATE => Self::InvalidState,
            ffi::PI_STATUS_NOT_FOUND => Self::NotFound,
            ffi::PI_STATUS_PERMISSION_DENIED => Self::PermissionDenied,
            ffi::PI_STATUS_TIMEOUT => Self::Timeout,
            ffi::PI_STATUS_CANCELLED => Self::Cancelled,
            ffi::PI_STATUS_BACKPRESSURE => Self::Backpressure,
            ffi::PI_STATUS_LIMIT_EXCEEDED => Self::LimitExceeded,
            ffi::PI_STATUS_UNSUPPORTED => Self::Unsupported,
            ffi::PI_STATUS_INTERNAL => Self::Internal,
            ffi::PI_STATUS_CLOSED => Self::Closed,
            other => Self::Unknown(other),
        }
    }

    /// The raw negative status for this code.
    pub fn status(self) -> ffi::PiStatus {
        match self {
            Self::Error => ffi::PI_STATUS_ERROR,
            Self::InvalidArgument => ffi::PI_STATUS_INVALID_ARGUMENT,
            Self::InvalidState => ffi::PI_STATUS_INVALID_STATE,
            Self::NotFound => ffi::PI_STATUS_NOT_FOUND,
            Self::PermissionDenied => ffi::PI_STATUS_PERMISSION_DENIED,
            Self::Timeout => ffi::PI_STATUS_TIMEOUT,
            Self::Cancelled => ffi::PI_STATUS_CANCELLED,
            Self::Backpressure => ffi::PI_STATUS_BACKPRESSURE,
            Self::LimitExceeded => ffi::PI_STATUS_LIMIT_EXCEEDED,
            Self::Unsupported => ffi::PI_STATUS_UNSUPPORTED,
            Self::Internal => ffi::PI_STATUS_INTERNAL,
            Self::Closed => ffi::PI_STATUS_CLOSED,
            // A positive or zero value would read as success: report it as a plain error.
            Self::Unknown(raw) if raw < 0 => raw,
            Self::Unknown(_) => ffi::PI_STATUS_ERROR,
        }
    }

    /// The spec's name of the status, e.g. `"INVALID_ARGUMENT"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Error => "ERROR",
            Self::InvalidArgument => "INVALID_ARGUMENT",
            Self::InvalidState => "INVALID_STATE",
            Self::NotFound => "NOT_FOUND",
            Self::PermissionDenied => "PERMISSION_DENIED",
            Self::Timeout => "TIMEOUT",
            Self::Cancelled => "CANCELLED",
            Self::Backpressure => "BACKPRESSURE",
            Self::LimitExceeded => "LIMIT_EXCEEDED",
            Self::Unsupported => "UNSUPPORTED",
            Self::Internal => "INTERNAL",
            Self::Closed => "CLOSED",
            Self::Unknown(_) => "UNKNOWN",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(raw) => write!(f, "unknown status {raw}"),
            other => f.write_str(other.name()),
        }
    }
}

impl std::error::Error for ErrorCode {}

/// A failure a plugin reports to the host: a code, a message for people, and whether retrying
/// the same call may succeed. The SDK copies it into the caller's `PiError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// Text for people (truncated to the ABI's 511 bytes on the way out).
    pub message: String,
    /// True when the same call may succeed later.
    pub retryable: bool,
}

impl PluginError {
    /// A non-retryable error with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), retryable: false }
    }

    /// Shorthand for [`ErrorCode::InvalidArgument`].
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidArgument, message)
    }

    /// Shorthand for [`ErrorCode::InvalidState`].
    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidState, message)
    }

    /// Shorthand for [`ErrorCode::Error`].
    pub fn other(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Error, message)
    }

    /// Marks the error as retryable.
    pub fn retryable(mut self) -> Self {
        self.retryable = true;
        self
    }
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for PluginError {}

impl From<ErrorCode> for PluginError {
    fn from(code: ErrorCode) -> Self {
        Self::new(code, format!("host call failed: {code}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_status_round_trips() {
        for raw in -12..=-1 {
            let code = ErrorCode::from_status(raw);
            assert!(!matches!(code, ErrorCode::Unknown(_)), "status {raw} has no variant");
            assert_eq!(code.status(), raw);
        }
        assert_eq!(ErrorCode::from_status(-99), ErrorCode::Unknown(-99));
        assert_eq!(ErrorCode::check(ffi::PI_STATUS_PENDING), Ok(()));
        assert_eq!(ErrorCode::Unknown(5).status(), ffi::PI_STATUS_ERROR);
    }
}
