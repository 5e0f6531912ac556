//! Crossing strings over the ABI: Rust text to borrowed C strings (interior NULs replaced),
//! borrowed C strings to Rust text, and plugin-owned strings handed to the host.

use std::borrow::Cow;
use std::ffi::{CStr, CString, c_char};

/// Converts text to a C string. An interior NUL cannot cross a C string, so each one is replaced
/// by U+FFFD instead of failing or panicking.
pub(crate) fn to_c(text: &str) -> CString {
    match CString::new(text) {
        Ok(c) => c,
        Err(_) => {
            let cleaned = text.replace('\0', "\u{FFFD}");
            CString::new(cleaned).unwrap_or_default()
        }
    }
}

/// Like [`to_c`] for an optional text: `None` becomes no string (pass NULL).
pub(crate) fn to_c_opt(text: Option<&str>) -> Option<CString> {
    text.map(to_c)
}

/// The pointer of an optional C string, NULL for `None`.
pub(crate) fn ptr_or_null(text: &Option<CString>) -> *const c_char {
    text.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

/// Reads a borrowed C string as UTF-8 (invalid bytes replaced); NULL reads as `None`.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid for `'a`.
pub(crate) unsafe fn from_c<'a>(ptr: *const c_char) -> Option<Cow<'a, str>> {
    if ptr.is_null() {
        None
    } else {
        // SAFETY: non-NULL and NUL-terminated per the caller's contract.
        Some(unsafe { CStr::from_ptr(ptr) }.to_string_lossy())
    }
}

/// Reads a borrowed C string into an owned `String`; NULL reads as empty.
///
/// # Safety
/// As for [`from_c`].
pub(crate) unsafe fn owned_or_empty(ptr: *const c_char) -> String {
    // SAFETY: forwarded contract.
    unsafe { from_c(ptr) }.map(Cow::into_owned).unwrap_or_default()
}

/// Hands a string to the host; the host gives it back through the vtable's `free_string`.
pub(crate) fn into_plugin_owned(text: &str) -> *mut c_char {
    to_c(text).into_raw()
}

/// The vtable's `free_string`: releases a string made by [`into_plugin_owned`]. NULL is ignored.
///
/// # Safety
/// `s` is NULL or came from [`into_plugin_owned`] and was not released before.
pub unsafe extern "C" fn free_plugin_string(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the pointer came from `CString::into_raw` in this library (contract above).
        drop(unsafe { CString::from_raw(s) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interior_nul_is_replaced_not_a_panic() {
        assert_eq!(to_c("a\0b").to_str().unwrap(), "a\u{FFFD}b");
        assert_eq!(to_c("plain").to_str().unwrap(), "plain");
    }

    #[test]
    fn plugin_owned_strings_round_trip_through_free() {
        let p = into_plugin_owned("reply");
        assert_eq!(unsafe { owned_or_empty(p) }, "reply");
        unsafe { free_plugin_string(p) };
        unsafe { free_plugin_string(std::ptr::null_mut()) };
        assert_eq!(unsafe { from_c(std::ptr::null()) }, None);
    }
}
