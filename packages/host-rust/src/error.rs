//! `HostError`: the typed error of every host call, with the spec's stable error codes.

use plugin_interfaces::ffi;
use serde::Serialize;
use serde_json::Value;

/// A failed host call: a stable code (the spec's `errorCodes`), a message for people and an
/// optional JSON detail (`{ "status": "PERMISSION_DENIED" }` for plugin failures).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostError {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<Value>,
}

impl HostError {
    /// An error with a code and a message.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        HostError {
            code: code.to_string(),
            message: message.into(),
            detail: None,
        }
    }

    /// The same error with a JSON detail.
    pub fn with_detail(mut self, detail: Value) -> Self {
        self.detail = Some(detail);
        self
    }

    /// The plugin's PiStatus name when the detail carries one.
    pub fn status(&self) -> Option<&str> {
        self.detail.as_ref()?.get("status")?.as_str()
    }
}

impl std::fmt::Display for HostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for HostError {}

/// The name of a PiStatus (`OK`, `INVALID_ARGUMENT`, …), from the generated constants.
pub fn status_name(status: ffi::PiStatus) -> &'static str {
    match status {
        ffi::PI_STATUS_OK => "OK",
        ffi::PI_STATUS_PENDING => "PENDING",
        ffi::PI_STATUS_ERROR => "ERROR",
        ffi::PI_STATUS_INVALID_ARGUMENT => "INVALID_ARGUMENT",
        ffi::PI_STATUS_INVALID_STATE => "INVALID_STATE",
        ffi::PI_STATUS_NOT_FOUND => "NOT_FOUND",
        ffi::PI_STATUS_PERMISSION_DENIED => "PERMISSION_DENIED",
        ffi::PI_STATUS_TIMEOUT => "TIMEOUT",
        ffi::PI_STATUS_CANCELLED => "CANCELLED",
        ffi::PI_STATUS_BACKPRESSURE => "BACKPRESSURE",
        ffi::PI_STATUS_LIMIT_EXCEEDED => "LIMIT_EXCEEDED",
        ffi::PI_STATUS_UNSUPPORTED => "UNSUPPORTED",
        ffi::PI_STATUS_INTERNAL => "INTERNAL",
        ffi::PI_STATUS_CLOSED => "CLOSED",
        _ => "UNKNOWN",
    }
}

/// The PiStatus call_other_plugin returns for a failed call, as host-node does: the target's own
/// failure is PI_STATUS_ERROR (the caller learns the text from nothing else); a host refusal or
/// limit keeps its meaning.
pub fn status_of(error: &HostError) -> ffi::PiStatus {
    match error.code.as_str() {
        "LIFECYCLE_ORDER" => ffi::PI_STATUS_INVALID_STATE,
        "TIMEOUT" => ffi::PI_STATUS_TIMEOUT,
        "PAYLOAD_TOO_LARGE" | "CALL_DEPTH_EXCEEDED" => ffi::PI_STATUS_LIMIT_EXCEEDED,
        "UNSUPPORTED" => ffi::PI_STATUS_UNSUPPORTED,
        _ => ffi::PI_STATUS_ERROR,
    }
}

/// Result of a host call.
pub type HostResult<T> = Result<T, HostError>;
