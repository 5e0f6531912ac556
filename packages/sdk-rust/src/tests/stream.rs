//! Stream: back-pressure, pause, cancel and unfinished streams, against the fake host.

use super::fake_host::FakeHost;
use crate::{ErrorCode, ffi};

#[test]
fn backpressure_waits_then_resends_the_same_chunk() {
    let fake = FakeHost::new();
    fake.script_data(&[ffi::PI_STATUS_BACKPRESSURE]);
    let mut stream = fake.host().stream("Title").unwrap();
    assert_eq!(stream.write("chunk 1"), Ok(()));
    stream.end().unwrap();
    assert_eq!(
        fake.calls(),
        ["stream_start Title", "stream_data 7 chunk 1", "stream_wait 7", "stream_data 7 chunk 1", "stream_end 7 1 NULL"]
    );
}

#[test]
fn a_paused_stream_waits_through_timeouts_until_resumed() {
    // The host answers BACKPRESSURE for a paused stream; stream_wait returns OK once it is resumed.
    let fake = FakeHost::new();
    fake.script_data(&[ffi::PI_STATUS_BACKPRESSURE]);
    fake.script_wait(&[ffi::PI_STATUS_TIMEOUT, ffi::PI_STATUS_OK]);
    let mut stream = fake.host().stream("T").unwrap();
    assert_eq!(stream.write("x"), Ok(()));
    let calls = fake.calls();
    assert_eq!(calls.iter().filter(|c| c.starts_with("stream_wait")).count(), 2);
    assert_eq!(calls.iter().filter(|c| c.starts_with("stream_data")).count(), 2);
}

#[test]
fn cancellation_is_reported_and_the_stream_is_not_ended_again() {
    let fake = FakeHost::new();
    fake.script_data(&[ffi::PI_STATUS_CANCELLED]);
    let mut stream = fake.host().stream("T").unwrap();
    assert_eq!(stream.write("x"), Err(ErrorCode::Cancelled));
    drop(stream);
    assert!(!fake.calls().iter().any(|c| c.starts_with("stream_end")), "{:?}", fake.calls());
}

#[test]
fn cancellation_while_waiting_is_reported() {
    let fake = FakeHost::new();
    fake.script_data(&[ffi::PI_STATUS_BACKPRESSURE]);
    fake.script_wait(&[ffi::PI_STATUS_CANCELLED]);
    let mut stream = fake.host().stream("T").unwrap();
    assert_eq!(stream.write("x"), Err(ErrorCode::Cancelled));
}

#[test]
fn an_ended_stream_reports_invalid_state_without_waiting() {
    let fake = FakeHost::new();
    fake.script_data(&[ffi::PI_STATUS_INVALID_STATE]);
    let mut stream = fake.host().stream("T").unwrap();
    assert_eq!(stream.write("x"), Err(ErrorCode::InvalidState));
    assert!(!fake.calls().iter().any(|c| c.starts_with("stream_wait")), "{:?}", fake.calls());
}

#[test]
fn a_stream_that_ends_while_waiting_reports_invalid_state() {
    let fake = FakeHost::new();
    fake.script_data(&[ffi::PI_STATUS_BACKPRESSURE]);
    fake.script_wait(&[ffi::PI_STATUS_INVALID_STATE]);
    let mut stream = fake.host().stream("T").unwrap();
    assert_eq!(stream.write("x"), Err(ErrorCode::InvalidState));
}

#[test]
fn backpressure_inside_a_host_call_is_reported_instead_of_waiting() {
    // stream_wait on the host thread answers BACKPRESSURE instead of blocking.
    let fake = FakeHost::new();
    fake.script_data(&[ffi::PI_STATUS_BACKPRESSURE]);
    fake.script_wait(&[ffi::PI_STATUS_BACKPRESSURE]);
    let mut stream = fake.host().stream("T").unwrap();
    assert_eq!(stream.write("x"), Err(ErrorCode::Backpressure));
}

#[test]
fn dropping_an_unfinished_stream_ends_it_with_an_error() {
    let fake = FakeHost::new();
    drop(fake.host().stream("T").unwrap());
    let calls = fake.calls();
    assert_eq!(calls.last().unwrap(), "stream_end 7 0 the plugin dropped the stream before finishing it");
}

#[test]
fn fail_ends_with_the_error_text() {
    let fake = FakeHost::new();
    fake.host().stream("T").unwrap().fail("no network").unwrap();
    assert_eq!(fake.calls().last().unwrap(), "stream_end 7 0 no network");
    assert_eq!(fake.calls().len(), 2);
}

#[test]
fn waiting_stops_with_closed_when_the_instance_is_closing() {
    let fake = FakeHost::new();
    fake.script_data(&[ffi::PI_STATUS_BACKPRESSURE]);
    let host = fake.host();
    let mut stream = host.stream("T").unwrap();
    host.begin_close();
    assert_eq!(stream.write("x"), Err(ErrorCode::Closed));
    assert!(!fake.calls().iter().any(|c| c.starts_with("stream_wait")));
}
