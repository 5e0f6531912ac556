//! Panic containment and error reporting at the ABI boundary: every entry runs inside
//! [`guard`], which turns a `PluginError` or a panic into a status plus a filled `PiError`.

use crate::ffi::{self, PiError};
use crate::{ErrorCode, PluginError};
use std::any::Any;
use std::ffi::c_char;
use std::mem::{offset_of, size_of};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The text of a panic payload (`panic!` with a literal or a formatted message).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// Runs one entry's body. `Ok(status)` is returned as is; an error or a panic (reported as
/// `INTERNAL`) is written to `err` and its status returned. Never unwinds.
pub(crate) fn guard(entry: &str, err: *mut PiError, body: impl FnOnce() -> Result<ffi::PiStatus, PluginError>) -> ffi::PiStatus {
    let outcome = catch_unwind(AssertUnwindSafe(body));
    let error = match outcome {
        Ok(Ok(status)) => return status,
        Ok(Err(error)) => error,
        Err(payload) => {
            let message = format!("panic in {entry}: {}", panic_message(payload.as_ref()));
            // Dropping the payload runs foreign code; contain a panic from that too.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            PluginError::new(ErrorCode::Internal, message)
        }
    };
    // SAFETY: the host passes NULL or a valid, writable PiError it owns for this call.
    if let Some(err) = unsafe { err.as_mut() } {
        write_error(err, &error);
    }
    error.code.status()
}

/// Copies `text` into a fixed C buffer, truncated on a UTF-8 boundary, NUL-terminated.
fn copy_text(buffer: &mut [c_char], text: &str) {
    let mut end = text.len().min(buffer.len().saturating_sub(1));
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // Interior NULs would cut the text short: show them as spaces.
    for (slot, byte) in buffer.iter_mut().zip(text.as_bytes()[..end].iter()) {
        *slot = if *byte == 0 { b' ' as c_char } else { *byte as c_char };
    }
    if let Some(last) = buffer.get_mut(end) {
        *last = 0;
    }
}

/// Fills the fields of `err` that exist in the caller's layout (`struct_size`; 0 is read as
/// "the current layout", for hosts that zero the struct without setting it).
pub(crate) fn write_error(err: &mut PiError, error: &PluginError) {
    let size = match err.struct_size as usize {
        0 => size_of::<PiError>(),
        n => n,
    };
    if size >= offset_of!(PiError, message) {
        err.code = error.code.status();
        err.retryable = u8::from(error.retryable);
    }
    if size >= offset_of!(PiError, detail_json) {
        copy_text(&mut err.message, &error.chain_text());
    }
    if size >= size_of::<PiError>() {
        err.detail_json[0] = 0;
    }
}

/// A zeroed `PiError` with `struct_size` set, as a host would pass it (for tests and examples).
pub fn empty_error() -> PiError {
    PiError {
        struct_size: size_of::<PiError>() as u32,
        code: 0,
        retryable: 0,
        message: [0; ffi::PI_ERROR_MESSAGE_CAPACITY],
        detail_json: [0; ffi::PI_ERROR_DETAIL_CAPACITY],
    }
}

/// The message text stored in a `PiError`.
pub fn error_message(err: &PiError) -> String {
    let bytes: Vec<u8> = err.message.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_truncated_on_a_char_boundary() {
        let mut err = empty_error();
        let text = "é".repeat(400);
        write_error(&mut err, &PluginError::invalid_argument(text));
        let message = error_message(&err);
        assert_eq!(message.len(), 510);
        assert!(message.chars().all(|c| c == 'é'));
        assert_eq!(err.code, ffi::PI_STATUS_INVALID_ARGUMENT);
    }

    #[test]
    fn a_panic_becomes_internal_with_its_message() {
        let mut err = empty_error();
        let status = guard("test_entry", &mut err, || panic!("boom {}", 42));
        assert_eq!(status, ffi::PI_STATUS_INTERNAL);
        assert_eq!(error_message(&err), "panic in test_entry: boom 42");
        assert_eq!(guard("ok", std::ptr::null_mut(), || Ok(ffi::PI_STATUS_OK)), ffi::PI_STATUS_OK);
        assert_eq!(guard("null err", std::ptr::null_mut(), || panic!("x")), ffi::PI_STATUS_INTERNAL);
    }
}
