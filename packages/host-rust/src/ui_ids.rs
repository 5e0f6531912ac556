//! Widget ids, by the spec's rule (`WIDGET_ID_RULES`, the `PiUi` doc in the generated bindings):
//! an explicit id is the id as given; an auto id is `kind:label` (the kind alone without a label)
//! under the enclosing push_id scopes joined by `/`, with `#n` for the n-th identical widget in
//! the same scope and frame. Rows and columns are layout only. Lengths count UTF-16 units, as in
//! host-node, so both hosts give the same ids.

use crate::limits::UI_MAX_ID_LENGTH;
use std::collections::HashMap;

/// FNV-1a 32-bit over UTF-16 code units, as 8 hex digits.
pub fn fnv32(s: &str) -> String {
    let mut h: u32 = 0x811c9dc5;
    for u in s.encode_utf16() {
        h ^= u as u32;
        h = h.wrapping_mul(0x01000193);
    }
    format!("{h:08x}")
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The first `n` UTF-16 units of `s` (a split surrogate pair becomes U+FFFD).
pub fn utf16_prefix(s: &str, n: usize) -> String {
    let units: Vec<u16> = s.encode_utf16().take(n).collect();
    String::from_utf16_lossy(&units)
}

fn utf16_suffix(s: &str, n: usize) -> String {
    let units: Vec<u16> = s.encode_utf16().collect();
    String::from_utf16_lossy(&units[units.len().saturating_sub(n)..])
}

/// Keep an id within the limit: an over-long id becomes a digest of it plus its tail.
pub fn fit(id: &str) -> String {
    let max = UI_MAX_ID_LENGTH as usize;
    if utf16_len(id) <= max {
        return id.to_string();
    }
    format!("{}~{}", fnv32(id), utf16_suffix(id, max - 9))
}

/// Whether an id is longer than the limit.
pub fn too_long(id: &str) -> bool {
    utf16_len(id) > UI_MAX_ID_LENGTH as usize
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ScopeKind {
    Group,
    Id,
}

/// The ids of one frame.
#[derive(Default)]
pub struct IdScopes {
    kinds: Vec<ScopeKind>,
    prefixes: Vec<String>,
    counts: HashMap<String, u32>,
}

impl IdScopes {
    fn prefix(&self) -> &str {
        self.prefixes.last().map(String::as_str).unwrap_or("")
    }

    /// The id of a widget: explicit, or derived from kind, label and occurrence.
    pub fn claim(&mut self, kind: &str, explicit: Option<&str>, label: &str) -> String {
        if let Some(id) = explicit.filter(|s| !s.is_empty()) {
            return fit(id);
        }
        let part = if utf16_len(label) > 64 {
            format!("{}~{}", utf16_prefix(label, 32), fnv32(label))
        } else {
            label.to_string()
        };
        let base = if part.is_empty() {
            format!("{}{kind}", self.prefix())
        } else {
            format!("{}{kind}:{part}", self.prefix())
        };
        let n = self.counts.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            fit(&base)
        } else {
            fit(&format!("{base}#{n}"))
        }
    }

    /// Open a row/column (layout only) or a push_id scope.
    pub fn push(&mut self, kind: ScopeKind, salt: &str) {
        let prefix = match kind {
            ScopeKind::Group => self.prefix().to_string(),
            ScopeKind::Id => format!("{}{salt}/", self.prefix()),
        };
        self.kinds.push(kind);
        self.prefixes.push(prefix);
    }

    /// Close the innermost group or scope; false when it is not of `kind`.
    pub fn pop(&mut self, kind: ScopeKind) -> bool {
        if self.kinds.last() != Some(&kind) {
            return false;
        }
        self.kinds.pop();
        self.prefixes.pop();
        true
    }

    /// The innermost scope's kind.
    pub fn top(&self) -> Option<ScopeKind> {
        self.kinds.last().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_ids_are_used_as_given_inside_scopes() {
        let mut ids = IdScopes::default();
        ids.push(ScopeKind::Id, "row-7");
        assert_eq!(ids.claim("button", Some("save"), "Save"), "save");
    }

    #[test]
    fn auto_ids_are_kind_label_under_push_id_scopes_with_occurrence() {
        let mut ids = IdScopes::default();
        assert_eq!(ids.claim("button", None, "Delete"), "button:Delete");
        assert_eq!(ids.claim("button", None, "Delete"), "button:Delete#2");
        assert_eq!(ids.claim("separator", None, ""), "separator");
        ids.push(ScopeKind::Id, "row-7");
        assert_eq!(ids.claim("button", None, "Delete"), "row-7/button:Delete");
        ids.push(ScopeKind::Id, "x");
        assert_eq!(ids.claim("label", None, "a"), "row-7/x/label:a");
    }

    #[test]
    fn rows_and_columns_do_not_change_ids_inside() {
        let mut ids = IdScopes::default();
        ids.push(ScopeKind::Group, "");
        assert_eq!(ids.claim("label", None, "A"), "label:A");
        assert!(!ids.pop(ScopeKind::Id));
        assert!(ids.pop(ScopeKind::Group));
        assert_eq!(ids.claim("label", None, "A"), "label:A#2");
    }

    #[test]
    fn long_labels_are_shortened_with_a_digest_like_host_node() {
        let mut ids = IdScopes::default();
        let label = "x".repeat(70);
        let id = ids.claim("label", None, &label);
        assert_eq!(id, format!("label:{}~{}", "x".repeat(32), fnv32(&label)));
        // FNV-1a of "a" over UTF-16 units (same as the 8-bit value for ASCII).
        assert_eq!(fnv32("a"), "e40c292c");
    }
}
