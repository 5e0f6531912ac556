//! Error codes shared by host calls and plugin results, mapped 1:1 from the spec's `PiStatus`.

use crate::ffi;
use std::fmt;
use std::sync::Arc;

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

/// The one mapping between the spec's `PiStatus` failures and this SDK: variant, raw value, spec
/// name. `from_status`, `status` and `name` all read it.
const STATUS_TABLE: [(ErrorCode, ffi::PiStatus, &str); 12] = [
    (ErrorCode::Error, ffi::PI_STATUS_ERROR, "ERROR"),
    (ErrorCode::InvalidArgument, ffi::PI_STATUS_INVALID_ARGUMENT, "INVALID_ARGUMENT"),
    (ErrorCode::InvalidState, ffi::PI_STATUS_INVALID_STATE, "INVALID_STATE"),
    (ErrorCode::NotFound, ffi::PI_STATUS_NOT_FOUND, "NOT_FOUND"),
    (ErrorCode::PermissionDenied, ffi::PI_STATUS_PERMISSION_DENIED, "PERMISSION_DENIED"),
    (ErrorCode::Timeout, ffi::PI_STATUS_TIMEOUT, "TIMEOUT"),
    (ErrorCode::Cancelled, ffi::PI_STATUS_CANCELLED, "CANCELLED"),
    (ErrorCode::Backpressure, ffi::PI_STATUS_BACKPRESSURE, "BACKPRESSURE"),
    (ErrorCode::LimitExceeded, ffi::PI_STATUS_LIMIT_EXCEEDED, "LIMIT_EXCEEDED"),
    (ErrorCode::Unsupported, ffi::PI_STATUS_UNSUPPORTED, "UNSUPPORTED"),
    (ErrorCode::Internal, ffi::PI_STATUS_INTERNAL, "INTERNAL"),
    (ErrorCode::Closed, ffi::PI_STATUS_CLOSED, "CLOSED"),
];

impl ErrorCode {
    /// Maps a raw status to `Ok(())` (OK or PENDING) or the matching error code.
    pub fn check(status: ffi::PiStatus) -> Result<(), ErrorCode> {
        if status >= 0 { Ok(()) } else { Err(Self::from_status(status)) }
    }

    /// The code for a negative raw status (`Unknown` for values the spec does not define).
    pub fn from_status(status: ffi::PiStatus) -> ErrorCode {
        STATUS_TABLE.iter().find(|(_, raw, _)| *raw == status).map_or(Self::Unknown(status), |(code, _, _)| *code)
    }

    /// The raw negative status for this code.
    pub fn status(self) -> ffi::PiStatus {
        match self {
            // A positive or zero value would read as success: report it as a plain error.
            Self::Unknown(raw) if raw < 0 => raw,
            Self::Unknown(_) => ffi::PI_STATUS_ERROR,
            known => Self::entry(known).1,
        }
    }

    /// The spec's name of the status, e.g. `"INVALID_ARGUMENT"` (`"UNKNOWN"` for [`ErrorCode::Unknown`]).
    pub fn name(self) -> &'static str {
        match self {
            Self::Unknown(_) => "UNKNOWN",
            known => Self::entry(known).2,
        }
    }

    /// The table row of a known code (every variant but `Unknown` has exactly one).
    fn entry(self) -> &'static (ErrorCode, ffi::PiStatus, &'static str) {
        STATUS_TABLE.iter().find(|(code, _, _)| *code == self).unwrap_or(&STATUS_TABLE[0])
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

/// The cause behind a [`PluginError`], shared so the error stays `Clone`.
type Source = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// A failure a plugin reports to the host: a code, a message for people, whether retrying the
/// same call may succeed, and optionally the error that caused it
/// ([`std::error::Error::source`]). The SDK copies it into the caller's `PiError`, with the
/// messages of the whole source chain appended (`"message: cause: cause of cause"`).
///
/// `?` converts the common error types: `&str` and `String` (code `ERROR`, the text as the
/// message), [`std::io::Error`] (`NOT_FOUND`, `PERMISSION_DENIED`, `TIMEOUT` or `ERROR`, kept as
/// the source), [`HostError`] and [`JsonError`](crate::json::JsonError) (`INVALID_ARGUMENT`).
///
/// ```
/// use plugin_interfaces::{ErrorCode, PluginError};
///
/// fn read(path: &str) -> Result<String, PluginError> {
///     if path.is_empty() {
///         return Err("no path given".into());
///     }
///     Ok(std::fs::read_to_string(path)?)
/// }
/// assert_eq!(read("").unwrap_err().message, "no path given");
/// let missing = read("/no/such/file").unwrap_err();
/// assert_eq!(missing.code, ErrorCode::NotFound);
/// assert!(std::error::Error::source(&missing).is_some());
/// ```
#[derive(Debug, Clone)]
pub struct PluginError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// Text for people (truncated to the ABI's 511 bytes on the way out).
    pub message: String,
    /// True when the same call may succeed later.
    pub retryable: bool,
    source: Option<Source>,
}

impl PluginError {
    /// A non-retryable error with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), retryable: false, source: None }
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

    /// Attaches the error that caused this one (returned by [`std::error::Error::source`]).
    ///
    /// ```
    /// use plugin_interfaces::PluginError;
    /// let cause = std::io::Error::other("connection reset");
    /// let e = PluginError::other("the model did not answer").with_source(cause);
    /// assert_eq!(e.chain_text(), "the model did not answer: connection reset");
    /// ```
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// The message followed by the message of every error in the source chain, joined with
    /// `": "` (a cause whose text the message already ends with is not repeated). This is the
    /// text the host receives.
    pub fn chain_text(&self) -> String {
        let mut text = self.message.clone();
        let mut next = std::error::Error::source(self);
        while let Some(cause) = next {
            let part = cause.to_string();
            if !part.is_empty() && !text.ends_with(&part) {
                if !text.is_empty() {
                    text.push_str(": ");
                }
                text.push_str(&part);
            }
            next = cause.source();
        }
        text
    }
}

/// Errors are equal when code, message and `retryable` are (sources are not compared).
impl PartialEq for PluginError {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code && self.message == other.message && self.retryable == other.retryable
    }
}

impl Eq for PluginError {}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for PluginError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|s| s as &(dyn std::error::Error + 'static))
    }
}

impl From<ErrorCode> for PluginError {
    fn from(code: ErrorCode) -> Self {
        Self::new(code, format!("host call failed: {code}")).with_source(code)
    }
}

/// `"text".into()` and `Err("text")?`: an `ERROR` with this message.
impl From<&str> for PluginError {
    fn from(message: &str) -> Self {
        Self::other(message)
    }
}

/// `format!(..).into()`: an `ERROR` with this message.
impl From<String> for PluginError {
    fn from(message: String) -> Self {
        Self::other(message)
    }
}

/// An I/O error keeps its kind as the code where the spec has one, its text as the message and
/// itself as the source.
impl From<std::io::Error> for PluginError {
    fn from(error: std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        let code = match error.kind() {
            K::NotFound => ErrorCode::NotFound,
            K::PermissionDenied => ErrorCode::PermissionDenied,
            K::TimedOut | K::WouldBlock => ErrorCode::Timeout,
            K::InvalidInput | K::InvalidData => ErrorCode::InvalidArgument,
            _ => ErrorCode::Error,
        };
        let retryable = matches!(error.kind(), K::TimedOut | K::Interrupted | K::ConnectionRefused | K::ConnectionReset);
        let mut out = Self::new(code, error.to_string()).with_source(error);
        out.retryable = retryable;
        out
    }
}

/// Malformed JSON is an `INVALID_ARGUMENT` naming the offset.
impl From<crate::json::JsonError> for PluginError {
    fn from(error: crate::json::JsonError) -> Self {
        Self::invalid_argument(error.to_string()).with_source(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_variant_once_with_its_spec_name() {
        let statuses: std::collections::HashSet<_> = STATUS_TABLE.iter().map(|(_, raw, _)| *raw).collect();
        assert_eq!(statuses.len(), STATUS_TABLE.len(), "a raw status is listed twice");
        for (code, raw, name) in STATUS_TABLE {
            assert_eq!((ErrorCode::from_status(raw), code.status(), code.name()), (code, raw, name));
        }
        assert_eq!(ErrorCode::Closed.name(), "CLOSED");
        assert_eq!(ErrorCode::Unknown(-40).name(), "UNKNOWN");
    }

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

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("request failed")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    fn question_mark_str() -> Result<(), PluginError> {
        Err("plain text")?
    }

    fn question_mark_io() -> Result<Vec<u8>, PluginError> {
        Ok(std::fs::read("/definitely/not/here/plugin-interfaces")?)
    }

    #[test]
    fn strings_convert_into_plain_errors() {
        let e: PluginError = "bad".into();
        assert_eq!((e.code, e.message.as_str(), e.retryable), (ErrorCode::Error, "bad", false));
        let e: PluginError = format!("n = {}", 3).into();
        assert_eq!(e.message, "n = 3");
        assert_eq!(question_mark_str().unwrap_err().message, "plain text");
        assert!(std::error::Error::source(&e).is_none());
    }

    #[test]
    fn io_errors_keep_their_kind_text_and_source() {
        let e = question_mark_io().unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        let source = std::error::Error::source(&e).expect("the io::Error is the source");
        assert_eq!(source.downcast_ref::<std::io::Error>().map(|io| io.kind()), Some(std::io::ErrorKind::NotFound));
        assert_eq!(e.chain_text(), e.message, "the io text is not repeated");
        let timed_out = PluginError::from(std::io::Error::from(std::io::ErrorKind::TimedOut));
        assert_eq!((timed_out.code, timed_out.retryable), (ErrorCode::Timeout, true));
        let denied = PluginError::from(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert_eq!(denied.code, ErrorCode::PermissionDenied);
    }

    #[test]
    fn the_chain_text_walks_every_source() {
        let e = PluginError::other("cannot answer").with_source(Outer(std::io::Error::other("socket closed")));
        assert_eq!(e.chain_text(), "cannot answer: request failed: socket closed");
        let clone = e.clone();
        assert_eq!(clone.chain_text(), e.chain_text(), "clones keep the source");
        assert_eq!(clone, PluginError::other("cannot answer"), "equality ignores the source");
    }

    #[test]
    fn host_and_json_errors_convert() {
        let e = PluginError::from(ErrorCode::PermissionDenied);
        assert_eq!(e.code, ErrorCode::PermissionDenied);
        let json = PluginError::from(crate::json::parse("{").unwrap_err());
        assert_eq!(json.code, ErrorCode::InvalidArgument);
        assert!(json.message.starts_with("invalid JSON at byte"), "{}", json.message);
    }
}
