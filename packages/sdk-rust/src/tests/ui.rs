//! Ui: explicit ids, host-derived ids, id clashes, bound values and groups.

use super::fake_ui::{Event, FakeUi};
use crate::Ui;
use std::ffi::CString;

#[test]
fn widgets_without_an_explicit_id_pass_null_so_the_host_derives_it() {
    let fake = FakeUi::new();
    let mut ui = Ui::new(&fake.table);
    let _ = ui.button("Go");
    let _ = ui.with_id("save").button("Save");
    assert!(ui.into_errors().is_empty());
    assert_eq!(fake.calls(), ["button NULL Go 0", "button save Save 0"]);
}

#[test]
fn an_explicit_id_clash_anywhere_in_the_frame_is_reported_and_the_second_widget_left_out() {
    let fake = FakeUi::new();
    let mut ui = Ui::new(&fake.table);
    let _ = ui.with_id("x").button("First");
    ui.horizontal(|ui| {
        let _ = ui.with_id("x").button("Second");
    });
    let errors = ui.into_errors();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("duplicate widget id \"x\""), "{errors:?}");
    assert_eq!(fake.calls(), ["button x First 0", "begin_horizontal", "end_group"]);
}

#[test]
fn explicit_ids_are_not_scoped_so_the_same_id_in_two_push_id_scopes_clashes() {
    let fake = FakeUi::new();
    let mut ui = Ui::new(&fake.table);
    for item in ["a", "b"] {
        ui.push_id(item, |ui| {
            let _ = ui.with_id("delete").button("Delete");
            let _ = ui.button("Delete");
        });
    }
    let errors = ui.into_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("duplicate widget id \"delete\""), "{errors:?}");
    assert_eq!(
        fake.calls(),
        [
            "push_id a",
            "button delete Delete 0",
            "button NULL Delete 0",
            "pop_id",
            "push_id b",
            "button NULL Delete 0",
            "pop_id"
        ]
    );
}

#[test]
fn an_empty_explicit_id_is_reported() {
    let fake = FakeUi::new();
    let mut ui = Ui::new(&fake.table);
    let _ = ui.with_id("").button("Nameless");
    assert_eq!(ui.into_errors().len(), 1);
    assert!(fake.calls().is_empty());
}

#[test]
fn interactive_widgets_update_their_bound_values_on_change() {
    let fake = FakeUi::new();
    fake.event("name", Event::Text(CString::new("Ada").unwrap()));
    fake.event("color", Event::Select(2));
    fake.event("on", Event::Toggle(true));
    fake.event("go", Event::Click);
    let (mut name, mut color, mut on) = (String::new(), None, false);
    let mut ui = Ui::new(&fake.table);
    let edited = ui.with_id("name").hint("Your name").text_edit_singleline(&mut name);
    let picked = ui.with_id("color").combo_box("Color", &["Red", "Green", "Blue"], &mut color);
    let flipped = ui.with_id("on").toggle("On", &mut on);
    let clicked = ui.with_id("go").enabled(false).button("Go");
    let untouched = ui.with_id("key").password(&mut String::from("k"));
    assert!(edited.changed() && picked.changed() && flipped.changed() && clicked.clicked());
    assert!(!untouched.changed());
    assert_eq!((name.as_str(), color, on), ("Ada", Some(2), true));
    assert_eq!(
        fake.calls(),
        [
            "text_edit name  Your name 0",
            "combo_box color Color [Red,Green,Blue] -1 0",
            "toggle on On 0 0",
            "button go Go 1",
            "text_edit key k  2",
        ]
    );
}

#[test]
fn combo_box_maps_none_and_out_of_range_to_minus_one() {
    let fake = FakeUi::new();
    fake.event("c", Event::Select(-1));
    let mut selected = Some(9);
    let mut ui = Ui::new(&fake.table);
    let r = ui.with_id("c").combo_box("Pick", &["a"], &mut selected);
    assert!(r.changed());
    assert_eq!(selected, None);
    assert_eq!(fake.calls(), ["combo_box c Pick [a] -1 0"]);
}

#[test]
fn groups_and_text_widgets_are_forwarded_in_order() {
    let fake = FakeUi::new();
    let mut ui = Ui::new(&fake.table);
    ui.heading("H");
    let inner = ui.vertical(|ui| {
        ui.label("a\0b");
        42
    });
    ui.separator();
    assert_eq!(inner, 42);
    assert_eq!(fake.calls(), ["heading H", "begin_vertical", "label a\u{FFFD}b", "end_group", "separator"]);
}
