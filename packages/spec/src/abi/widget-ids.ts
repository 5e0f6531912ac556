/**
 * How widget ids are formed: the one statement of the rule. It is the `PiUi` doc in the generated C
 * header and Rust bindings and is spliced into both SDK READMEs, and every host implements it.
 */
export const WIDGET_ID_RULES = [
  'How widget ids are formed. An explicit id (the `id` argument; `with_id` in the Rust SDK) is the id, exactly as given, wherever the widget is; it must be unique in the frame: a second widget with the same id makes the frame fail with UI_TREE_INVALID, naming the id, and the previous frame stays (the Rust SDK reports the clash from update_ui before the host sees it).',
  'A widget without an explicit id gets `kind:label`: the kind (`label`, `heading`, `separator`, `button`, `text_edit`, `combo_box`, `toggle`, `horizontal`, `vertical`) and its label (the text of a label, heading or button, the hint of a text edit, the placeholder of a combo box, the label of a toggle; the kind alone when there is none; a label over 64 characters is shortened to its first 32 plus a digest). Inside push_id scopes the scope names come first, joined by `/` (`row-7/button:Delete`). The n-th widget with the same kind and label in the same scope in one frame gets `#n` (`button:Delete#2`); the first has none.',
  'Rows and columns (begin_horizontal, begin_vertical) are layout only: they never change the ids of the widgets inside them. Only push_id opens a scope. So adding, removing or moving other widgets, rows or labels never renames a widget; only an identical widget (same kind, label and scope) added before it moves its `#n`: give such widgets an explicit id or wrap each repeated item in push_id with a stable key.',
] as const;
