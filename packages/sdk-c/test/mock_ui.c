/*
 * The mock host's UI builder: prints one line per widget call and answers with the user events
 * queued for this frame (click, edit, select, flip), matched by widget id, or by text for
 * buttons without an id. Events are consumed by the frame they are delivered in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_host.h"

#define MAX_EVENTS 16

typedef struct UiEvent {
  char kind[16];
  char target[128];
  char value[256];
  int used;
} UiEvent;

static UiEvent events[MAX_EVENTS];
static int event_count;

void mock_ui_queue(const char* kind, const char* target, const char* value) {
  if (event_count == MAX_EVENTS) return;
  UiEvent* event = &events[event_count++];
  snprintf(event->kind, sizeof event->kind, "%s", kind);
  snprintf(event->target, sizeof event->target, "%s", target);
  snprintf(event->value, sizeof event->value, "%s", value ? value : "");
  event->used = 0;
}

static UiEvent* take_event(const char* kind, const char* id, const char* text) {
  for (int i = 0; i < event_count; i++) {
    UiEvent* event = &events[i];
    const char* key = id != NULL ? id : text;
    if (!event->used && strcmp(event->kind, kind) == 0 && key != NULL && strcmp(event->target, key) == 0) {
      event->used = 1;
      return event;
    }
  }
  return NULL;
}

static const char* show(const char* s) { return s != NULL ? s : "-"; }

static void ui_label(const PiUi* ui, const char* text) { (void)ui, emit("label %s", text); }
static void ui_heading(const PiUi* ui, const char* text) { (void)ui, emit("heading %s", text); }
static void ui_separator(const PiUi* ui) { (void)ui, emit("separator"); }
static void ui_begin_horizontal(const PiUi* ui) { (void)ui, emit("begin_horizontal"); }
static void ui_begin_vertical(const PiUi* ui) { (void)ui, emit("begin_vertical"); }
static void ui_end_group(const PiUi* ui) { (void)ui, emit("end_group"); }
static void ui_push_id(const PiUi* ui, const char* salt) { (void)ui, emit("push_id %s", salt); }
static void ui_pop_id(const PiUi* ui) { (void)ui, emit("pop_id"); }

static uint8_t ui_button(const PiUi* ui, const char* id, const char* text, uint32_t flags) {
  (void)ui;
  emit("button %s \"%s\" flags=%u", show(id), text, flags);
  return take_event("click", id, text) != NULL;
}

static uint8_t ui_text_edit(const PiUi* ui, const char* id, const char* value, const char* hint, uint32_t flags,
                            const char** out_value) {
  (void)ui;
  emit("text_edit %s value=\"%s\" hint=\"%s\" flags=%u", show(id), value, show(hint), flags);
  UiEvent* event = take_event("edit", id, NULL);
  if (event != NULL) *out_value = event->value;
  return event != NULL;
}

static uint8_t ui_combo_box(const PiUi* ui, const char* id, const char* placeholder, const char* const* options,
                            uint32_t count, int32_t selected, uint32_t flags, int32_t* out_selected) {
  (void)ui;
  char list[256] = "";
  for (uint32_t i = 0; i < count; i++) {
    size_t used = strlen(list);
    snprintf(list + used, sizeof list - used, "%s%s", i ? "|" : "", options[i]);
  }
  emit("combo_box %s placeholder=\"%s\" options=%s selected=%d flags=%u", show(id), show(placeholder), list,
       (int)selected, flags);
  UiEvent* event = take_event("select", id, NULL);
  if (event != NULL) *out_selected = (int32_t)atoi(event->value);
  return event != NULL;
}

static uint8_t ui_toggle(const PiUi* ui, const char* id, const char* label, uint8_t value, uint32_t flags,
                         uint8_t* out_value) {
  (void)ui;
  emit("toggle %s label=\"%s\" value=%u flags=%u", show(id), show(label), value, flags);
  UiEvent* event = take_event("flip", id, NULL);
  if (event != NULL) *out_value = (uint8_t)atoi(event->value);
  return event != NULL;
}

static const PiUi mock_ui = {
    PI_TABLE_HEAD(PiUi),
    .frame = NULL,
    .label = ui_label,
    .heading = ui_heading,
    .separator = ui_separator,
    .button = ui_button,
    .text_edit = ui_text_edit,
    .combo_box = ui_combo_box,
    .toggle = ui_toggle,
    .begin_horizontal = ui_begin_horizontal,
    .begin_vertical = ui_begin_vertical,
    .end_group = ui_end_group,
    .push_id = ui_push_id,
    .pop_id = ui_pop_id,
};

PiStatus mock_ui_frame(const PiPluginVTable* vtable, void* instance, PiError* err) {
  emit("frame");
  PiStatus status = vtable->update_ui != NULL ? vtable->update_ui(instance, &mock_ui, err) : PI_STATUS_UNSUPPORTED;
  for (int i = 0; i < event_count; i++) {
    if (!events[i].used) emit("UNUSED EVENT %s %s", events[i].kind, events[i].target);
  }
  event_count = 0;
  emit("end-frame %d", (int)status);
  return status;
}
