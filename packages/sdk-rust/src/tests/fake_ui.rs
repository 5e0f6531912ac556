//! A stand-in for the host's `PiUi` table: records each builder call and answers interactive
//! widgets from a map of scripted events keyed by explicit id.

use crate::ffi::{self, PiUi};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char, c_void};

pub(crate) enum Event {
    Click,
    Text(CString),
    Select(i32),
    Toggle(bool),
}

/// What the fake records and answers; lives in its own allocation so the SDK's shared borrow
/// of `table` never overlaps a mutable borrow of the state.
#[derive(Default)]
pub(crate) struct UiState {
    pub calls: Vec<String>,
    pub events: HashMap<String, Event>,
}

pub(crate) struct FakeUi {
    pub table: PiUi,
    pub state: Box<RefCell<UiState>>,
}

impl FakeUi {
    pub fn new() -> FakeUi {
        let state: Box<RefCell<UiState>> = Box::default();
        let frame = (&raw const *state).cast_mut().cast::<c_void>();
        FakeUi {
            table: PiUi {
                struct_size: size_of::<PiUi>() as u32,
                abi_major: ffi::PI_ABI_MAJOR,
                abi_minor: ffi::PI_ABI_MINOR,
                frame,
                label: Some(label),
                heading: Some(heading),
                separator: Some(separator),
                button: Some(button),
                text_edit: Some(text_edit),
                combo_box: Some(combo_box),
                toggle: Some(toggle),
                begin_horizontal: Some(begin_horizontal),
                begin_vertical: Some(begin_vertical),
                end_group: Some(end_group),
                push_id: Some(push_id),
                pop_id: Some(pop_id),
            },
            state,
        }
    }

    pub fn calls(&self) -> Vec<String> {
        self.state.borrow().calls.clone()
    }

    pub fn event(&self, id: &str, event: Event) {
        self.state.borrow_mut().events.insert(id.to_owned(), event);
    }
}

fn me(ui: *const PiUi) -> std::cell::RefMut<'static, UiState> {
    // SAFETY: tests keep the FakeUi alive and use it from one thread.
    unsafe { &*(*ui).frame.cast::<RefCell<UiState>>() }.borrow_mut()
}

fn text(p: *const c_char) -> String {
    if p.is_null() { "NULL".into() } else { unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned() }
}

unsafe extern "C" fn label(ui: *const PiUi, t: *const c_char) {
    me(ui).calls.push(format!("label {}", text(t)));
}
unsafe extern "C" fn heading(ui: *const PiUi, t: *const c_char) {
    me(ui).calls.push(format!("heading {}", text(t)));
}
unsafe extern "C" fn separator(ui: *const PiUi) {
    me(ui).calls.push("separator".into());
}
unsafe extern "C" fn begin_horizontal(ui: *const PiUi) {
    me(ui).calls.push("begin_horizontal".into());
}
unsafe extern "C" fn begin_vertical(ui: *const PiUi) {
    me(ui).calls.push("begin_vertical".into());
}
unsafe extern "C" fn end_group(ui: *const PiUi) {
    me(ui).calls.push("end_group".into());
}
unsafe extern "C" fn push_id(ui: *const PiUi, salt: *const c_char) {
    me(ui).calls.push(format!("push_id {}", text(salt)));
}
unsafe extern "C" fn pop_id(ui: *const PiUi) {
    me(ui).calls.push("pop_id".into());
}

unsafe extern "C" fn button(ui: *const PiUi, id: *const c_char, t: *const c_char, flags: u32) -> u8 {
    let mut ui = me(ui);
    ui.calls.push(format!("button {} {} {flags}", text(id), text(t)));
    u8::from(matches!(ui.events.get(&text(id)), Some(Event::Click)))
}

unsafe extern "C" fn text_edit(
    ui: *const PiUi,
    id: *const c_char,
    value: *const c_char,
    hint: *const c_char,
    flags: u32,
    out: *mut *const c_char,
) -> u8 {
    let mut ui = me(ui);
    ui.calls.push(format!("text_edit {} {} {} {flags}", text(id), text(value), text(hint)));
    match ui.events.get(&text(id)) {
        Some(Event::Text(new)) => {
            unsafe { *out = new.as_ptr() };
            1
        }
        _ => 0,
    }
}

unsafe extern "C" fn combo_box(
    ui: *const PiUi,
    id: *const c_char,
    placeholder: *const c_char,
    options: *const *const c_char,
    count: u32,
    selected: i32,
    flags: u32,
    out: *mut i32,
) -> u8 {
    let mut ui = me(ui);
    let opts: Vec<String> = (0..count as usize).map(|i| text(unsafe { *options.add(i) })).collect();
    ui.calls.push(format!("combo_box {} {} [{}] {selected} {flags}", text(id), text(placeholder), opts.join(",")));
    match ui.events.get(&text(id)) {
        Some(Event::Select(i)) => {
            unsafe { *out = *i };
            1
        }
        _ => 0,
    }
}

unsafe extern "C" fn toggle(ui: *const PiUi, id: *const c_char, l: *const c_char, value: u8, flags: u32, out: *mut u8) -> u8 {
    let mut ui = me(ui);
    ui.calls.push(format!("toggle {} {} {value} {flags}", text(id), text(l)));
    match ui.events.get(&text(id)) {
        Some(Event::Toggle(v)) => {
            unsafe { *out = u8::from(*v) };
            1
        }
        _ => 0,
    }
}
