//! The seed's widget signatures the base [`Ui`] builder does not have: a switch without a label
//! and a combo box bound to the selected text.

use crate::{Response, Ui};

impl<'a> Ui<'a> {
    /// Adds an on/off switch without a label (the seed's `ui.toggle(&mut bool)`), bound to
    /// `value`; put a [`Ui::label`] beside it in a [`Ui::horizontal`] row if you like.
    pub fn switch(&mut self, value: &mut bool) -> Response {
        self.widget().switch(value)
    }

    /// Adds a drop-down list bound to the selected option's text (`None` = nothing selected);
    /// a value that is not one of `options` shows as nothing selected. The seed's
    /// `combo_box(options, &mut Option<T>, placeholder)` for strings.
    pub fn combo_box_text(&mut self, placeholder: &str, options: &[&str], selected: &mut Option<String>) -> Response {
        self.widget().combo_box_text(placeholder, options, selected)
    }
}
