//! A scriptable stand-in for the host's `PiHostApi`: records every call as a line of text and
//! answers `stream_data` / `stream_wait` from queues (OK when a queue is empty).

use crate::ffi::{self, PiHostApi, PiStatus};
use crate::Host;
use std::collections::VecDeque;
use std::ffi::{CStr, CString, c_char, c_void};
use std::sync::Mutex;

pub(crate) struct FakeHost {
    pub api: PiHostApi,
    pub calls: Mutex<Vec<String>>,
    pub data_results: Mutex<VecDeque<PiStatus>>,
    pub wait_results: Mutex<VecDeque<PiStatus>>,
}

impl FakeHost {
    pub fn new() -> Box<FakeHost> {
        let mut fake = Box::new(FakeHost {
            api: PiHostApi {
                struct_size: size_of::<PiHostApi>() as u32,
                abi_major: ffi::PI_ABI_MAJOR,
                abi_minor: ffi::PI_ABI_MINOR,
                host_data: std::ptr::null_mut(),
                send_message: Some(send_message),
                reply: Some(reply),
                stream_start: Some(stream_start),
                stream_data: Some(stream_data),
                stream_end: Some(stream_end),
                stream_pause: Some(stream_op),
                stream_resume: Some(stream_op),
                stream_cancel: Some(stream_op),
                stream_wait: Some(stream_wait),
                send_to_frontend: None,
                get_app_config: Some(get_app_config),
                call_other_plugin: None,
                log: Some(log),
                request_refresh: Some(request),
                request_disconnect: Some(request),
                free_string: Some(free_string),
            },
            calls: Mutex::new(Vec::new()),
            data_results: Mutex::new(VecDeque::new()),
            wait_results: Mutex::new(VecDeque::new()),
        });
        fake.api.host_data = (&raw const *fake).cast_mut().cast::<c_void>();
        fake
    }

    pub fn host(&self) -> Host {
        Host::new(&self.api, crate::Metadata { instance_id: "inst-1".into(), name: "Fake".into(), ..Default::default() })
    }

    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }

    pub fn script_data(&self, results: &[PiStatus]) {
        self.data_results.lock().unwrap().extend(results);
    }

    pub fn script_wait(&self, results: &[PiStatus]) {
        self.wait_results.lock().unwrap().extend(results);
    }
}

fn fake(host: *const PiHostApi) -> &'static FakeHost {
    // SAFETY: tests keep the FakeHost alive while the SDK can call it.
    unsafe { &*(*host).host_data.cast::<FakeHost>() }
}

fn text(p: *const c_char) -> String {
    if p.is_null() { "NULL".into() } else { unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned() }
}

fn record(host: *const PiHostApi, line: String) {
    fake(host).calls.lock().unwrap().push(line);
}

unsafe extern "C" fn send_message(host: *const PiHostApi, kind: i32, content: *const c_char) -> PiStatus {
    record(host, format!("send_message {kind} {}", text(content)));
    ffi::PI_STATUS_OK
}

unsafe extern "C" fn reply(host: *const PiHostApi, id: u64, status: PiStatus, content: *const c_char) -> PiStatus {
    record(host, format!("reply {id} {status} {}", text(content)));
    ffi::PI_STATUS_OK
}

unsafe extern "C" fn stream_start(host: *const PiHostApi, title: *const c_char, out: *mut u64) -> PiStatus {
    record(host, format!("stream_start {}", text(title)));
    unsafe { *out = 7 };
    ffi::PI_STATUS_OK
}

unsafe extern "C" fn stream_data(host: *const PiHostApi, stream: u64, chunk: *const c_char) -> PiStatus {
    record(host, format!("stream_data {stream} {}", text(chunk)));
    fake(host).data_results.lock().unwrap().pop_front().unwrap_or(ffi::PI_STATUS_OK)
}

unsafe extern "C" fn stream_end(host: *const PiHostApi, stream: u64, success: u8, error: *const c_char) -> PiStatus {
    record(host, format!("stream_end {stream} {success} {}", text(error)));
    ffi::PI_STATUS_OK
}

unsafe extern "C" fn stream_op(host: *const PiHostApi, stream: u64) -> PiStatus {
    record(host, format!("stream_op {stream}"));
    ffi::PI_STATUS_OK
}

unsafe extern "C" fn stream_wait(host: *const PiHostApi, stream: u64, _timeout: u32) -> PiStatus {
    record(host, format!("stream_wait {stream}"));
    fake(host).wait_results.lock().unwrap().pop_front().unwrap_or(ffi::PI_STATUS_OK)
}

unsafe extern "C" fn get_app_config(host: *const PiHostApi, key: *const c_char, out: *mut *mut c_char) -> PiStatus {
    let key = text(key);
    record(host, format!("get_app_config {key}"));
    if key == "missing" {
        return ffi::PI_STATUS_PERMISSION_DENIED;
    }
    unsafe { *out = CString::new(format!("value of {key}")).unwrap().into_raw() };
    ffi::PI_STATUS_OK
}

unsafe extern "C" fn log(host: *const PiHostApi, level: i32, content: *const c_char) -> PiStatus {
    record(host, format!("log {level} {}", text(content)));
    ffi::PI_STATUS_OK
}

unsafe extern "C" fn request(host: *const PiHostApi) -> PiStatus {
    record(host, "request".into());
    ffi::PI_STATUS_OK
}

unsafe extern "C" fn free_string(host: *const PiHostApi, s: *mut c_char) {
    record(host, format!("free_string {}", text(s)));
    if !s.is_null() {
        drop(unsafe { CString::from_raw(s) });
    }
}
