//! Host: status mapping, string ownership, closing, threads and responders.

use super::fake_host::FakeHost;
use crate::{ErrorCode, Level, MessageType, PluginError, Responder, ffi};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[test]
fn host_strings_are_copied_and_released_with_the_host_free() {
    let fake = FakeHost::new();
    let host = fake.host();
    assert_eq!(host.app_config("theme").as_deref(), Ok("value of theme"));
    assert_eq!(host.app_config("missing"), Err(ErrorCode::PermissionDenied));
    assert_eq!(fake.calls(), ["get_app_config theme", "free_string value of theme", "get_app_config missing"]);
}

#[test]
fn missing_host_functions_are_unsupported() {
    let fake = FakeHost::new();
    assert_eq!(fake.host().send_to_frontend("e", "{}"), Err(ErrorCode::Unsupported));
    assert_eq!(fake.host().call_plugin("echo", "hi"), Err(ErrorCode::Unsupported));
}

#[test]
fn calls_after_close_fail_with_closed_and_never_reach_the_host() {
    let fake = FakeHost::new();
    let host = fake.host();
    host.send_message(MessageType::Success, "hi").unwrap();
    crate::log_info!(host, "n = {}", 3);
    host.begin_close();
    host.finish_close();
    assert_eq!(host.send_message(MessageType::Normal, "late"), Err(ErrorCode::Closed));
    assert_eq!(host.clone().request_refresh(), Err(ErrorCode::Closed));
    assert_eq!(fake.calls(), ["send_message 1 hi", format!("log {} n = 3", Level::Info.raw()).as_str()]);
}

#[test]
fn begin_close_raises_is_closing_and_joins_spawned_threads() {
    let fake = FakeHost::new();
    let host = fake.host();
    let finished = Arc::new(AtomicBool::new(false));
    let (worker_host, flag) = (host.clone(), finished.clone());
    host.spawn(move || {
        while !worker_host.is_closing() {
            std::thread::yield_now();
        }
        let _ = worker_host.log(Level::Info, "stopping");
        flag.store(true, Ordering::SeqCst);
    })
    .unwrap();
    host.begin_close();
    assert!(finished.load(Ordering::SeqCst));
    assert_eq!(host.spawn(|| {}), Err(ErrorCode::Closed));
    host.finish_close();
    assert_eq!(fake.calls(), ["log 3 stopping"]);
}

#[test]
fn a_panicking_thread_is_logged_not_propagated() {
    let fake = FakeHost::new();
    let host = fake.host();
    host.spawn(|| panic!("worker broke")).unwrap();
    host.begin_close();
    assert_eq!(fake.calls(), ["log 1 a plugin thread panicked: worker broke"]);
}

#[test]
fn a_pending_responder_replies_once_from_another_thread() {
    let fake = FakeHost::new();
    let (responder, ticket) = Responder::new(fake.host(), 5);
    assert_eq!(ticket.finish(true), None);
    std::thread::spawn(move || responder.reply("done").unwrap()).join().unwrap();
    assert_eq!(fake.calls(), ["reply 5 0 done"]);
}

#[test]
fn a_dropped_pending_responder_replies_with_an_error() {
    let fake = FakeHost::new();
    let (responder, ticket) = Responder::new(fake.host(), 6);
    let _ = ticket.finish(true);
    drop(responder);
    assert_eq!(fake.calls(), [format!("reply 6 {} the plugin dropped the request without answering it", ffi::PI_STATUS_INTERNAL)]);
}

#[test]
fn a_responder_is_inert_when_the_return_value_answered() {
    let fake = FakeHost::new();
    let (responder, ticket) = Responder::new(fake.host(), 8);
    let _ = ticket.finish(false);
    assert_eq!(responder.fail(PluginError::other("x")), Err(ErrorCode::InvalidState));
    assert!(fake.calls().is_empty());
}

#[test]
fn an_answer_given_during_the_call_is_returned_directly() {
    let fake = FakeHost::new();
    let (responder, ticket) = Responder::new(fake.host(), 9);
    responder.reply("quick").unwrap();
    assert_eq!(ticket.finish(true), Some((ffi::PI_STATUS_OK, "quick".to_owned())));
    assert!(fake.calls().is_empty());
}
