//! [`WidgetBuilder`]: per-widget options (explicit id, enabled, hint) and the interactive widgets.

use super::{Response, Ui, id_arg, id_ptr, read_out_text};
use crate::cstr::to_c;
use crate::ffi;
use std::ffi::c_char;

/// Options for the next widget; finish with one widget method. Made by [`Ui::with_id`] or
/// [`Ui::widget`]: `ui.with_id("name").hint("Your name").text_edit_singleline(&mut name)`.
#[must_use = "finish the builder with a widget method"]
pub struct WidgetBuilder<'u, 'a> {
    ui: &'u mut Ui<'a>,
    id: Option<String>,
    enabled: bool,
    hint: Option<String>,
}

impl<'u, 'a> WidgetBuilder<'u, 'a> {
    pub(super) fn new(ui: &'u mut Ui<'a>, id: Option<String>) -> Self {
        WidgetBuilder { ui, id, enabled: true, hint: None }
    }

    /// Sets the explicit id (replaces one given to [`Ui::with_id`]).
    pub fn id(mut self, id: &str) -> Self {
        self.id = Some(id.to_owned());
        self
    }

    /// Shows the widget greyed out and not interactive when `enabled` is false.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = enabled;
        self
    }

    /// Sets the placeholder text of a text edit.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }

    /// Claims the explicit id; false when the widget must be left out of the frame.
    fn admit(&mut self) -> bool {
        match self.id.clone() {
            Some(id) => self.ui.claim(&id),
            None => true,
        }
    }

    fn flags(&self, extra: ffi::PiUiFlags) -> ffi::PiUiFlags {
        extra | if self.enabled { ffi::PI_UI_FLAGS_NONE } else { ffi::PI_UI_FLAGS_DISABLED }
    }

    /// Adds a button; `.clicked()` is true on the frame after the user clicked it.
    pub fn button(mut self, text: &str) -> Response {
        let Some(f) = self.ui.raw.button.filter(|_| self.admit()) else { return Response::default() };
        let (id, text) = (id_arg(&self.id), to_c(text));
        // SAFETY: the table is valid during update_ui; every string outlives the call.
        let clicked = unsafe { f(self.ui.raw, id_ptr(&id), text.as_ptr(), self.flags(0)) } != 0;
        Response { clicked, changed: false }
    }

    fn text_edit(mut self, value: &mut String, flags: ffi::PiUiFlags) -> Response {
        let Some(f) = self.ui.raw.text_edit.filter(|_| self.admit()) else { return Response::default() };
        let (id, current, hint) = (id_arg(&self.id), to_c(value), to_c(self.hint.as_deref().unwrap_or("")));
        let mut out: *const c_char = std::ptr::null();
        // SAFETY: as for `button`; `out` is read before the next builder call.
        let changed = unsafe { f(self.ui.raw, id_ptr(&id), current.as_ptr(), hint.as_ptr(), self.flags(flags), &mut out) } != 0;
        let new_text = if changed { read_out_text(out) } else { None };
        match new_text {
            Some(text) => {
                *value = text;
                Response { clicked: false, changed: true }
            }
            None => Response::default(),
        }
    }

    /// Adds a one-line text edit bound to `value`.
    pub fn text_edit_singleline(self, value: &mut String) -> Response {
        self.text_edit(value, ffi::PI_UI_FLAGS_NONE)
    }

    /// Adds a multi-line text edit bound to `value`.
    pub fn text_edit_multiline(self, value: &mut String) -> Response {
        self.text_edit(value, ffi::PI_UI_FLAGS_MULTILINE)
    }

    /// Adds a text edit that hides its content.
    pub fn password(self, value: &mut String) -> Response {
        self.text_edit(value, ffi::PI_UI_FLAGS_PASSWORD)
    }

    /// Adds a drop-down list bound to `selected`; an out-of-range index shows as nothing.
    pub fn combo_box(mut self, placeholder: &str, options: &[&str], selected: &mut Option<usize>) -> Response {
        let Some(f) = self.ui.raw.combo_box.filter(|_| self.admit()) else { return Response::default() };
        let id = id_arg(&self.id);
        let placeholder = to_c(placeholder);
        let owned: Vec<_> = options.iter().map(|o| to_c(o)).collect();
        let ptrs: Vec<*const c_char> = owned.iter().map(|o| o.as_ptr()).collect();
        let current = selected.filter(|&i| i < options.len()).and_then(|i| i32::try_from(i).ok()).unwrap_or(-1);
        let count = u32::try_from(ptrs.len()).unwrap_or(u32::MAX);
        let mut out = current;
        // SAFETY: as for `button`; `ptrs` and the strings it points to outlive the call.
        let changed = unsafe {
            f(self.ui.raw, id_ptr(&id), placeholder.as_ptr(), ptrs.as_ptr(), count, current, self.flags(0), &mut out)
        } != 0;
        if !changed {
            return Response::default();
        }
        *selected = usize::try_from(out).ok().filter(|&i| i < options.len());
        Response { clicked: true, changed: true }
    }

    /// Adds a drop-down list bound to the selected option's text; a value that is not one of
    /// `options` shows as nothing selected (and stays as it is until the user picks).
    pub fn combo_box_text(self, placeholder: &str, options: &[&str], selected: &mut Option<String>) -> Response {
        let mut index = selected.as_deref().and_then(|s| options.iter().position(|o| *o == s));
        let response = self.combo_box(placeholder, options, &mut index);
        if response.changed() {
            *selected = index.map(|i| options[i].to_owned());
        }
        response
    }

    /// Adds an on/off switch with a label beside it, bound to `value`.
    pub fn toggle(self, label: &str, value: &mut bool) -> Response {
        self.toggle_with(Some(label), value)
    }

    /// Adds an on/off switch without a label, bound to `value`.
    pub fn switch(self, value: &mut bool) -> Response {
        self.toggle_with(None, value)
    }

    fn toggle_with(mut self, label: Option<&str>, value: &mut bool) -> Response {
        let Some(f) = self.ui.raw.toggle.filter(|_| self.admit()) else { return Response::default() };
        let (id, label) = (id_arg(&self.id), label.map(to_c));
        let label_ptr = label.as_ref().map_or(std::ptr::null(), |l| l.as_ptr());
        let mut out = u8::from(*value);
        // SAFETY: as for `button`; `label` outlives the call (NULL = no label, allowed by the spec).
        let changed = unsafe { f(self.ui.raw, id_ptr(&id), label_ptr, u8::from(*value), self.flags(0), &mut out) } != 0;
        if !changed {
            return Response::default();
        }
        *value = out != 0;
        Response { clicked: true, changed: true }
    }
}
