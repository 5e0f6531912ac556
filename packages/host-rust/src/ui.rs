//! Records one immediate-mode frame through a `PiUi` table into the spec's UI tree. The frame's
//! UI events become the widgets' return values, matched by widget id. A frame that breaks a rule
//! (unbalanced groups or scopes, limits, duplicate ids) fails with UI_TREE_INVALID.

use crate::events::{UiEvent, UiNode};
use crate::limits::{UI_MAX_DEPTH, UI_MAX_NODES, UI_MAX_OPTIONS, UI_MAX_TEXT_LENGTH};
use crate::ui_ids::{IdScopes, ScopeKind, too_long, utf16_prefix};
use plugin_interfaces::ffi;
use std::collections::{HashMap, HashSet};
use std::ffi::{CStr, CString, c_char};

enum Open {
    Horizontal(String),
    Vertical(String),
}

/// The recorder behind `PiUi.frame` during one update_ui call.
pub struct Recorder {
    events: HashMap<String, UiEvent>,
    matched: HashSet<String>,
    ids: IdScopes,
    used: HashSet<String>,
    stack: Vec<(Option<Open>, Vec<UiNode>)>,
    nodes: u64,
    problem: Option<String>,
    strings: Vec<CString>,
}

/// The outcome of one frame.
pub struct Frame {
    /// The tree, or None when the frame broke a rule (`problem`).
    pub tree: Option<Vec<UiNode>>,
    pub problem: Option<String>,
    /// Events that matched no widget of the frame.
    pub unmatched: Vec<UiEvent>,
}

fn text(p: *const c_char) -> Option<String> {
    if p.is_null() {
        None
    } else {
        Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }
}

impl Recorder {
    fn new(events: &[UiEvent]) -> Self {
        Recorder {
            events: events
                .iter()
                .map(|e| (e.widget_id().to_string(), e.clone()))
                .collect(),
            matched: HashSet::new(),
            ids: IdScopes::default(),
            used: HashSet::new(),
            stack: vec![(None, Vec::new())],
            nodes: 0,
            problem: None,
            strings: Vec::new(),
        }
    }

    fn fail(&mut self, message: String) -> bool {
        if self.problem.is_none() {
            self.problem = Some(message);
        }
        false
    }

    fn checked(&mut self, what: &str, s: Option<String>, id: &str) -> String {
        let s = s.unwrap_or_default();
        if s.encode_utf16().count() as u64 > UI_MAX_TEXT_LENGTH {
            self.fail(format!(
                "{what} of \"{id}\" is longer than {UI_MAX_TEXT_LENGTH} characters"
            ));
        }
        s
    }

    fn add(&mut self, node: UiNode) -> bool {
        if self.problem.is_some() {
            return false;
        }
        let id = node.id().to_string();
        if too_long(&id) {
            return self.fail(format!(
                "widget id \"{}…\" is too long",
                utf16_prefix(&id, 64)
            ));
        }
        if !self.used.insert(id.clone()) {
            return self.fail(format!("two widgets have the id \"{id}\""));
        }
        self.nodes += 1;
        if self.nodes > UI_MAX_NODES {
            return self.fail(format!("more than {UI_MAX_NODES} widgets"));
        }
        self.stack.last_mut().expect("root").1.push(node);
        true
    }

    fn event(&mut self, id: &str, enabled: bool, fits: fn(&UiEvent) -> bool) -> Option<UiEvent> {
        let e = self.events.get(id)?;
        if !fits(e) || !enabled {
            return None;
        }
        self.matched.insert(id.to_string());
        Some(e.clone())
    }

    fn label(&mut self, heading: bool, s: Option<String>) {
        if self.problem.is_some() {
            return;
        }
        let raw = s.clone().unwrap_or_default();
        let short = if raw.encode_utf16().count() > 200 {
            utf16_prefix(&raw, 200)
        } else {
            raw
        };
        let kind = if heading { "heading" } else { "label" };
        let id = self.ids.claim(kind, None, &short);
        let text = self.checked("text", s, &id);
        self.add(if heading {
            UiNode::Heading { id, text }
        } else {
            UiNode::Label { id, text }
        });
    }

    fn separator(&mut self) {
        if self.problem.is_some() {
            return;
        }
        let id = self.ids.claim("separator", None, "");
        self.add(UiNode::Separator { id });
    }

    fn button(&mut self, explicit: Option<String>, label: Option<String>, flags: u32) -> u8 {
        if self.problem.is_some() {
            return 0;
        }
        let id = self.ids.claim(
            "button",
            explicit.as_deref(),
            label.as_deref().unwrap_or(""),
        );
        let enabled = flags & ffi::PI_UI_FLAGS_DISABLED == 0;
        let text = self.checked("text", label, &id);
        if !self.add(UiNode::Button {
            id: id.clone(),
            text,
            enabled,
        }) {
            return 0;
        }
        self.event(&id, enabled, |e| matches!(e, UiEvent::Click { .. }))
            .is_some() as u8
    }

    fn text_edit(
        &mut self,
        explicit: Option<String>,
        value: Option<String>,
        hint: Option<String>,
        flags: u32,
        out: *mut *const c_char,
    ) -> u8 {
        if self.problem.is_some() {
            return 0;
        }
        let id = self.ids.claim(
            "text_edit",
            explicit.as_deref(),
            hint.as_deref().unwrap_or(""),
        );
        let enabled = flags & ffi::PI_UI_FLAGS_DISABLED == 0;
        let e = self.event(&id, enabled, |e| matches!(e, UiEvent::Text { .. }));
        let next = match &e {
            Some(UiEvent::Text { value, .. }) => Some(value.clone()),
            _ => value,
        };
        let value = self.checked("value", next, &id);
        let hint = self.checked("hint", hint, &id);
        let node = UiNode::TextEdit {
            id,
            value: value.clone(),
            hint,
            password: flags & ffi::PI_UI_FLAGS_PASSWORD != 0,
            multiline: flags & ffi::PI_UI_FLAGS_MULTILINE != 0,
            enabled,
        };
        if !self.add(node) || e.is_none() {
            return 0;
        }
        if !out.is_null() {
            let c = CString::new(value.replace('\0', "\u{FFFD}")).unwrap_or_default();
            unsafe { *out = c.as_ptr() };
            self.strings.push(c);
        }
        1
    }

    #[allow(clippy::too_many_arguments)]
    fn combo_box(
        &mut self,
        explicit: Option<String>,
        placeholder: Option<String>,
        opts: *const *const c_char,
        n: u32,
        selected: i32,
        flags: u32,
        out: *mut i32,
    ) -> u8 {
        if self.problem.is_some() {
            return 0;
        }
        let id = self.ids.claim(
            "combo_box",
            explicit.as_deref(),
            placeholder.as_deref().unwrap_or(""),
        );
        if n as u64 > UI_MAX_OPTIONS {
            return self.fail(format!(
                "combo box \"{id}\" has {n} options (limit {UI_MAX_OPTIONS})"
            )) as u8;
        }
        if n > 0 && opts.is_null() {
            return self.fail(format!(
                "combo box \"{id}\" has {n} options but a NULL options array"
            )) as u8;
        }
        let options: Vec<String> = (0..n as usize)
            .map(|i| text(unsafe { *opts.add(i) }))
            .map(|o| self.checked("option", o, &id))
            .collect();
        let enabled = flags & ffi::PI_UI_FLAGS_DISABLED == 0;
        let pick = match self.event(&id, enabled, |e| matches!(e, UiEvent::Select { .. })) {
            Some(UiEvent::Select { value, .. }) if value >= 0 && (value as u32) < n => Some(value),
            _ => None,
        };
        let shown = pick.unwrap_or(selected);
        let placeholder = self.checked("placeholder", placeholder, &id);
        let node = UiNode::ComboBox {
            id,
            options,
            selected: if shown >= 0 && (shown as u32) < n {
                Some(shown as u32)
            } else {
                None
            },
            placeholder,
            enabled,
        };
        if !self.add(node) {
            return 0;
        }
        let Some(pick) = pick else { return 0 };
        if !out.is_null() {
            unsafe { *out = pick };
        }
        1
    }

    fn toggle(
        &mut self,
        explicit: Option<String>,
        label: Option<String>,
        value: u8,
        flags: u32,
        out: *mut u8,
    ) -> u8 {
        if self.problem.is_some() {
            return 0;
        }
        let id = self.ids.claim(
            "toggle",
            explicit.as_deref(),
            label.as_deref().unwrap_or(""),
        );
        let enabled = flags & ffi::PI_UI_FLAGS_DISABLED == 0;
        let e = self.event(&id, enabled, |e| matches!(e, UiEvent::Toggle { .. }));
        let next = match e {
            Some(UiEvent::Toggle { value, .. }) => value,
            _ => value != 0,
        };
        let label = self.checked("label", label, &id);
        if !self.add(UiNode::Toggle {
            id,
            label,
            value: next,
            enabled,
        }) || e.is_none()
        {
            return 0;
        }
        if !out.is_null() {
            unsafe { *out = next as u8 };
        }
        1
    }

    fn begin(&mut self, horizontal: bool) {
        if self.problem.is_some() {
            return;
        }
        if self.stack.len() as u64 + 1 > UI_MAX_DEPTH {
            self.fail(format!("groups nest deeper than {UI_MAX_DEPTH} levels"));
            return;
        }
        let id = self
            .ids
            .claim(if horizontal { "horizontal" } else { "vertical" }, None, "");
        if too_long(&id) || self.used.contains(&id) {
            self.fail(format!("two widgets have the id \"{id}\""));
            return;
        }
        self.used.insert(id.clone());
        self.nodes += 1;
        self.ids.push(ScopeKind::Group, "");
        self.stack.push((
            Some(if horizontal {
                Open::Horizontal(id)
            } else {
                Open::Vertical(id)
            }),
            Vec::new(),
        ));
    }

    fn end_group(&mut self) {
        if self.problem.is_some() {
            return;
        }
        if self.stack.len() <= 1 {
            self.fail("end_group without an open group".into());
            return;
        }
        if !self.ids.pop(ScopeKind::Group) {
            self.fail("end_group closes a push_id scope (call pop_id first)".into());
            return;
        }
        let (open, children) = self.stack.pop().expect("group");
        let node = match open {
            Some(Open::Horizontal(id)) => UiNode::Horizontal { id, children },
            Some(Open::Vertical(id)) => UiNode::Vertical { id, children },
            None => return,
        };
        self.stack.last_mut().expect("root").1.push(node);
    }

    fn push_id(&mut self, salt: Option<String>) {
        if self.problem.is_some() {
            return;
        }
        match salt.filter(|s| !s.is_empty()) {
            Some(s) => self.ids.push(ScopeKind::Id, &s),
            None => {
                self.fail("push_id with an empty salt".into());
            }
        }
    }

    fn pop_id(&mut self) {
        if self.problem.is_some() {
            return;
        }
        if !self.ids.pop(ScopeKind::Id) {
            let m = if self.ids.top() == Some(ScopeKind::Group) {
                "pop_id closes a group (call end_group first)"
            } else {
                "pop_id without push_id"
            };
            self.fail(m.into());
        }
    }
}

/// Run one frame: `run` receives the `PiUi` table and calls the plugin's update_ui with it.
pub fn record(
    events: &[UiEvent],
    run: impl FnOnce(*const ffi::PiUi) -> ffi::PiStatus,
) -> (ffi::PiStatus, Frame) {
    let mut rec = Box::new(Recorder::new(events));
    let table = ffi::PiUi {
        struct_size: std::mem::size_of::<ffi::PiUi>() as u32,
        abi_major: ffi::PI_ABI_MAJOR,
        abi_minor: ffi::PI_ABI_MINOR,
        frame: (&mut *rec as *mut Recorder).cast(),
        label: Some(ui_label),
        heading: Some(ui_heading),
        separator: Some(ui_separator),
        button: Some(ui_button),
        text_edit: Some(ui_text_edit),
        combo_box: Some(ui_combo_box),
        toggle: Some(ui_toggle),
        begin_horizontal: Some(ui_begin_horizontal),
        begin_vertical: Some(ui_begin_vertical),
        end_group: Some(ui_end_group),
        push_id: Some(ui_push_id),
        pop_id: Some(ui_pop_id),
    };
    let status = run(&table);
    let mut rec = *rec;
    if rec.problem.is_none() && rec.stack.len() > 1 {
        rec.problem = Some(format!(
            "{} group(s) not closed with end_group",
            rec.stack.len() - 1
        ));
    }
    if rec.problem.is_none() && rec.ids.top().is_some() {
        rec.problem = Some("push_id without pop_id".into());
    }
    let unmatched = events
        .iter()
        .filter(|e| !rec.matched.contains(e.widget_id()))
        .cloned()
        .collect();
    let tree = if rec.problem.is_none() {
        rec.stack.pop().map(|(_, nodes)| nodes)
    } else {
        None
    };
    (
        status,
        Frame {
            tree,
            problem: rec.problem,
            unmatched,
        },
    )
}

/// The recorder of a PiUi pointer (NULL-safe); panics never cross the C boundary.
fn with<R: Default>(ui: *const ffi::PiUi, f: impl FnOnce(&mut Recorder) -> R) -> R {
    if ui.is_null() {
        return R::default();
    }
    let frame = unsafe { (*ui).frame } as *mut Recorder;
    if frame.is_null() {
        return R::default();
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(unsafe { &mut *frame })))
        .unwrap_or_default()
}

unsafe extern "C" fn ui_label(ui: *const ffi::PiUi, s: *const c_char) {
    with(ui, |r| r.label(false, text(s)))
}
unsafe extern "C" fn ui_heading(ui: *const ffi::PiUi, s: *const c_char) {
    with(ui, |r| r.label(true, text(s)))
}
unsafe extern "C" fn ui_separator(ui: *const ffi::PiUi) {
    with(ui, |r| r.separator())
}
unsafe extern "C" fn ui_button(
    ui: *const ffi::PiUi,
    id: *const c_char,
    s: *const c_char,
    flags: u32,
) -> u8 {
    with(ui, |r| r.button(text(id), text(s), flags))
}
unsafe extern "C" fn ui_text_edit(
    ui: *const ffi::PiUi,
    id: *const c_char,
    value: *const c_char,
    hint: *const c_char,
    flags: u32,
    out: *mut *const c_char,
) -> u8 {
    with(ui, |r| {
        r.text_edit(text(id), text(value), text(hint), flags, out)
    })
}
unsafe extern "C" fn ui_combo_box(
    ui: *const ffi::PiUi,
    id: *const c_char,
    ph: *const c_char,
    opts: *const *const c_char,
    n: u32,
    sel: i32,
    flags: u32,
    out: *mut i32,
) -> u8 {
    with(ui, |r| {
        r.combo_box(text(id), text(ph), opts, n, sel, flags, out)
    })
}
unsafe extern "C" fn ui_toggle(
    ui: *const ffi::PiUi,
    id: *const c_char,
    label: *const c_char,
    value: u8,
    flags: u32,
    out: *mut u8,
) -> u8 {
    with(ui, |r| r.toggle(text(id), text(label), value, flags, out))
}
unsafe extern "C" fn ui_begin_horizontal(ui: *const ffi::PiUi) {
    with(ui, |r| r.begin(true))
}
unsafe extern "C" fn ui_begin_vertical(ui: *const ffi::PiUi) {
    with(ui, |r| r.begin(false))
}
unsafe extern "C" fn ui_end_group(ui: *const ffi::PiUi) {
    with(ui, |r| r.end_group())
}
unsafe extern "C" fn ui_push_id(ui: *const ffi::PiUi, salt: *const c_char) {
    with(ui, |r| r.push_id(text(salt)))
}
unsafe extern "C" fn ui_pop_id(ui: *const ffi::PiUi) {
    with(ui, |r| r.pop_id())
}
