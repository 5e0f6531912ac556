//! [`Ui`]: the safe immediate-mode builder over the host's `PiUi` table.
//!
//! Widget ids: a widget made directly on [`Ui`] gets no explicit id, and the host derives a
//! stable one from its kind and text under the enclosing [`Ui::push_id`] scopes (rows and
//! columns are layout only), as the README's "How widget ids are formed" says. Give an explicit
//! id with the builder [`Ui::with_id`]: `ui.with_id("save").button("Save")`; it is used as given
//! and must be unique in the frame. A clash is not merged: the second widget is left out of the
//! frame, and `update_ui` logs the clash through the host and fails with `INVALID_ARGUMENT`.

use crate::cstr::{ptr_or_null, to_c, to_c_opt};
use crate::ffi::{self, PiUi};
use std::collections::HashSet;
use std::ffi::{CStr, c_char};

mod widgets;
pub use widgets::WidgetBuilder;

/// What happened to a widget since the previous frame.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use = "check .clicked() or .changed()"]
pub struct Response {
    clicked: bool,
    changed: bool,
}

impl Response {
    /// True when the user clicked the button (or picked / flipped a combo box or toggle).
    pub fn clicked(&self) -> bool {
        self.clicked
    }

    /// True when the user changed the widget's value; the bound variable is already updated.
    pub fn changed(&self) -> bool {
        self.changed
    }
}

/// The frame builder handed to [`Plugin::update_ui`](crate::Plugin::update_ui). Valid only
/// during that call; declare the whole UI every frame.
pub struct Ui<'a> {
    raw: &'a PiUi,
    explicit: HashSet<String>,
    errors: Vec<String>,
}

impl<'a> Ui<'a> {
    /// Wraps the host's builder table for one frame.
    pub(crate) fn new(raw: &'a PiUi) -> Ui<'a> {
        Ui { raw, explicit: HashSet::new(), errors: Vec::new() }
    }

    /// The id problems found in this frame, consumed by the glue after `update_ui`.
    pub(crate) fn into_errors(self) -> Vec<String> {
        self.errors
    }

    fn text_call(&self, f: ffi::PiUiTextFn, text: &str) {
        if let Some(f) = f {
            let text = to_c(text);
            // SAFETY: the table is valid during update_ui; `text` outlives the call.
            unsafe { f(self.raw, text.as_ptr()) }
        }
    }

    fn void_call(&self, f: ffi::PiUiVoidFn) {
        if let Some(f) = f {
            // SAFETY: the table is valid during update_ui.
            unsafe { f(self.raw) }
        }
    }

    /// Adds a line of plain text.
    pub fn label(&mut self, text: &str) {
        self.text_call(self.raw.label, text);
    }

    /// Adds a section heading.
    pub fn heading(&mut self, text: &str) {
        self.text_call(self.raw.heading, text);
    }

    /// Adds a horizontal rule.
    pub fn separator(&mut self) {
        self.void_call(self.raw.separator);
    }

    /// Starts a builder for one widget with an explicit, stable id.
    pub fn with_id(&mut self, id: &str) -> WidgetBuilder<'_, 'a> {
        WidgetBuilder::new(self, Some(id.to_owned()))
    }

    /// Starts a builder for one widget with a host-derived id (to set `enabled` or a hint).
    pub fn widget(&mut self) -> WidgetBuilder<'_, 'a> {
        WidgetBuilder::new(self, None)
    }

    /// Adds a button; `.clicked()` is true on the frame after the user clicked it.
    pub fn button(&mut self, text: &str) -> Response {
        self.widget().button(text)
    }

    /// Adds a one-line text edit bound to `value`; on `.changed()` it holds the new text.
    pub fn text_edit_singleline(&mut self, value: &mut String) -> Response {
        self.widget().text_edit_singleline(value)
    }

    /// Adds a text edit that hides its content (API keys, passwords).
    pub fn password(&mut self, value: &mut String) -> Response {
        self.widget().password(value)
    }

    /// Adds a drop-down list bound to `selected` (an index into `options`, `None` = nothing).
    pub fn combo_box(&mut self, placeholder: &str, options: &[&str], selected: &mut Option<usize>) -> Response {
        self.widget().combo_box(placeholder, options, selected)
    }

    /// Adds an on/off switch bound to `value`.
    pub fn toggle(&mut self, label: &str, value: &mut bool) -> Response {
        self.widget().toggle(label, value)
    }

    fn group<R>(&mut self, begin: ffi::PiUiVoidFn, add: impl FnOnce(&mut Ui<'a>) -> R) -> R {
        self.void_call(begin);
        let result = add(self);
        self.void_call(self.raw.end_group);
        result
    }

    /// Lays out the widgets added by `add` in a row.
    pub fn horizontal<R>(&mut self, add: impl FnOnce(&mut Ui<'a>) -> R) -> R {
        self.group(self.raw.begin_horizontal, add)
    }

    /// Lays out the widgets added by `add` in a column.
    pub fn vertical<R>(&mut self, add: impl FnOnce(&mut Ui<'a>) -> R) -> R {
        self.group(self.raw.begin_vertical, add)
    }

    /// Opens an id scope named `salt` for the widgets added by `add`: use it for repeated
    /// blocks (one per list item) so their ids stay distinct and stable.
    pub fn push_id<R>(&mut self, salt: &str, add: impl FnOnce(&mut Ui<'a>) -> R) -> R {
        if let Some(push) = self.raw.push_id {
            let salt = to_c(salt);
            // SAFETY: the table is valid during update_ui; `salt` outlives the call.
            unsafe { push(self.raw, salt.as_ptr()) }
        }
        let result = add(self);
        self.void_call(self.raw.pop_id);
        result
    }

    /// Records an explicit id for this frame; false (and an error) when it is taken.
    fn claim(&mut self, id: &str) -> bool {
        let problem = if id.is_empty() {
            "an explicit widget id must not be empty".to_owned()
        } else if self.explicit.insert(id.to_owned()) {
            return true;
        } else {
            format!("duplicate widget id {id:?} in one frame; the second widget was left out")
        };
        self.errors.push(problem);
        false
    }
}

/// Reads the host's `out_value` text (valid only during the call) into a `String`.
fn read_out_text(ptr: *const c_char) -> Option<String> {
    // SAFETY: the host set it to a NUL-terminated string valid until the builder call returns.
    (!ptr.is_null()).then(|| unsafe { CStr::from_ptr(ptr) }.to_string_lossy().into_owned())
}

fn id_arg(id: &Option<String>) -> Option<std::ffi::CString> {
    to_c_opt(id.as_deref())
}

fn id_ptr(id: &Option<std::ffi::CString>) -> *const c_char {
    ptr_or_null(id)
}
