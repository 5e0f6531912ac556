//! Frames: checking a UI event against the current tree, recording a frame and emitting it.

use crate::error::{HostError, HostResult};
use crate::events::{FrontendEvent, UiEvent, UiNode, walk};
use crate::host::{in_call, plugin_error};
use crate::instance::{Instance, new_error};
use crate::lifecycle::log_line;
use crate::ui::record;
use plugin_interfaces::ffi;
use std::sync::atomic::Ordering;

pub(crate) fn check_ui_event(tree: &[UiNode], event: &UiEvent) -> HostResult<()> {
    let id = event.widget_id();
    let node = walk(tree)
        .into_iter()
        .find(|n| n.id() == id)
        .ok_or_else(|| {
            HostError::new(
                "UI_EVENT_INVALID",
                format!("no widget {id:?} in the current frame"),
            )
        })?;
    // The kind must fit the widget; a disabled widget or an out-of-range option is accepted (as
    // host-node does) and simply never reaches the plugin: the recorder reports it unmatched.
    let fits = matches!(
        (node, event),
        (UiNode::Button { .. }, UiEvent::Click { .. })
            | (UiNode::TextEdit { .. }, UiEvent::Text { .. })
            | (UiNode::ComboBox { .. }, UiEvent::Select { .. })
            | (UiNode::Toggle { .. }, UiEvent::Toggle { .. })
    );
    if fits {
        Ok(())
    } else {
        Err(HostError::new(
            "UI_EVENT_INVALID",
            format!("widget {id:?} takes no {:?} events", event.kind()),
        ))
    }
}

/// Record a frame; a new tree bumps the revision and is emitted.
pub(crate) fn render(
    inst: &Instance,
    call: &crate::instance::Call,
    events: &[UiEvent],
) -> HostResult<()> {
    inst.refresh_pending.store(false, Ordering::SeqCst);
    let (Some(f), false) = (
        call.vtable().and_then(|v| v.update_ui),
        call.plugin.is_null(),
    ) else {
        return Ok(());
    };
    let mut err = new_error();
    let (status, frame) = record(events, |ui| {
        in_call(|| unsafe { f(call.plugin, ui, &mut err) })
    });
    let failure = if let Some(problem) = frame.problem {
        Some(HostError::new(
            "UI_TREE_INVALID",
            format!("The UI frame is invalid: {problem}."),
        ))
    } else if status != ffi::PI_STATUS_OK {
        Some(plugin_error(inst, "update_ui", status, &err))
    } else {
        None
    };
    for e in &frame.unmatched {
        log_line(
            inst,
            "error",
            &format!(
                "Plugin call refused (UI_EVENT_INVALID): UI event {} for \"{}\" matches no widget of the frame.",
                e.kind(),
                e.widget_id()
            ),
        );
    }
    if let Some(e) = failure {
        log_line(inst, "error", &format!("update_ui failed: {}", e.message));
        inst.state().error = Some(e.clone());
        return Err(e);
    }
    let mut st = inst.state();
    st.tree = frame.tree.unwrap_or_default();
    st.revision += 1;
    st.error = None;
    inst.emit(
        FrontendEvent::UiUpdated {
            who: inst.who(),
            revision: st.revision,
            tree: st.tree.clone(),
        },
        None,
    );
    Ok(())
}
