/*
 * ui-demo: every widget of the UI builder once, with labels that show the state the widgets
 * changed. handle_message("state") reports that state as one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pi_helpers.h"

static const char* const COLORS[] = {"Red", "Green", "Blue"};
#define COLOR_COUNT 3

typedef struct UiDemo {
  const PiHostApi* host;
  long count;
  char* name;    /* never NULL; "" = not set */
  char* api_key; /* never NULL */
  int32_t color; /* index into COLORS, -1 = none */
  uint8_t enabled;
} UiDemo;

static void ui_demo_destroy(void* raw) {
  UiDemo* self = (UiDemo*)raw;
  free(self->name);
  free(self->api_key);
  free(self);
}

static PiStatus ui_demo_create(const PiHostApi* host, const PiPluginMetadata* meta, void** out, PiError* err) {
  (void)meta;
  UiDemo* self = (UiDemo*)calloc(1, sizeof *self);
  if (self != NULL) {
    self->name = pi_strdup("");
    self->api_key = pi_strdup("");
  }
  if (self == NULL || self->name == NULL || self->api_key == NULL) {
    if (self != NULL) ui_demo_destroy(self);
    return pi_error_set(err, PI_STATUS_INTERNAL, "ui-demo: out of memory");
  }
  self->host = host;
  self->color = -1;
  *out = self;
  return PI_STATUS_OK;
}

/* Replaces *slot with a copy of value; keeps the old text when out of memory. */
static void replace_text(char** slot, const char* value) {
  char* copy = pi_strdup(value != NULL ? value : "");
  if (copy == NULL) return;
  free(*slot);
  *slot = copy;
}

static const char* display_name(const UiDemo* self) { return self->name[0] != '\0' ? self->name : "stranger"; }
static const char* color_name(const UiDemo* self) { return self->color >= 0 ? COLORS[self->color] : "none"; }

/* Adds a label made of fmt with one %s filled in (any length). */
static void labelf(const PiUi* ui, const char* fmt, const char* value) {
  size_t size = strlen(fmt) + strlen(value) + 1;
  char* line = (char*)malloc(size);
  if (line == NULL) return;
  snprintf(line, size, fmt, value);
  ui->label(ui, line);
  free(line);
}

static PiStatus ui_demo_update_ui(void* raw, const PiUi* ui, PiError* err) {
  (void)err;
  UiDemo* self = (UiDemo*)raw;
  const char* edited = NULL;
  ui->heading(ui, "UI demo");

  if (ui->button(ui, "increment", "Increment", PI_UI_FLAGS_NONE)) self->count++;
  char count_line[48];
  snprintf(count_line, sizeof count_line, "Count: %ld", self->count);
  ui->label(ui, count_line);

  if (ui->text_edit(ui, "name", self->name, "Your name", PI_UI_FLAGS_NONE, &edited)) replace_text(&self->name, edited);
  labelf(ui, "Hello, %s!", display_name(self));

  int32_t picked = self->color;
  if (ui->combo_box(ui, "color", "Color", COLORS, COLOR_COUNT, self->color, PI_UI_FLAGS_NONE, &picked)) {
    self->color = picked >= 0 && picked < COLOR_COUNT ? picked : -1;
  }
  labelf(ui, "Color: %s", color_name(self));

  uint8_t flipped = self->enabled;
  if (ui->toggle(ui, "enabled", "Enabled", self->enabled, PI_UI_FLAGS_NONE, &flipped)) self->enabled = flipped ? 1 : 0;
  labelf(ui, "Enabled: %s", self->enabled ? "yes" : "no");

  /* A row that comes and goes with the toggle: the widgets after it keep their ids. */
  if (self->enabled) {
    ui->begin_horizontal(ui);
    ui->label(ui, "Extras are on");
    if (ui->button(ui, NULL, "Extra", PI_UI_FLAGS_NONE)) pi_send(self->host, PI_MESSAGE_TYPE_INFO, "Extra clicked");
    ui->end_group(ui);
  }

  ui->begin_horizontal(ui);
  if (ui->button(ui, "reset", "Reset", PI_UI_FLAGS_NONE)) {
    self->count = 0;
    self->host->request_refresh(self->host); /* "Count" above was already drawn with the old value */
  }
  if (ui->button(ui, NULL, "Send greeting", PI_UI_FLAGS_NONE)) {
    pi_send(self->host, PI_MESSAGE_TYPE_SUCCESS, "Hello, %s!", display_name(self));
  }
  ui->end_group(ui);

  ui->begin_vertical(ui);
  ui->label(ui, "Column A");
  ui->label(ui, "Column B");
  ui->end_group(ui);
  ui->separator(ui);

  if (ui->text_edit(ui, "api_key", self->api_key, "API key", PI_UI_FLAGS_PASSWORD, &edited)) {
    replace_text(&self->api_key, edited);
  }
  labelf(ui, "API key set: %s", self->api_key[0] != '\0' ? "yes" : "no");
  ui->button(ui, "disabled", "Can't touch this", PI_UI_FLAGS_DISABLED);
  return PI_STATUS_OK;
}

static char* format_state(const UiDemo* self) {
  const char* fmt = "count=%ld name=%s color=%s enabled=%s";
  const char* enabled = self->enabled ? "yes" : "no";
  int size = snprintf(NULL, 0, fmt, self->count, self->name, color_name(self), enabled) + 1;
  char* text = (char*)malloc((size_t)size);
  if (text != NULL) snprintf(text, (size_t)size, fmt, self->count, self->name, color_name(self), enabled);
  return text;
}

static PiStatus ui_demo_handle_message(void* raw, uint64_t request_id, const char* message, char** out_reply,
                                       PiError* err) {
  (void)request_id;
  UiDemo* self = (UiDemo*)raw;
  char* reply;
  if (strcmp(message, "state") == 0) {
    reply = format_state(self);
  } else {
    size_t size = strlen("ui-demo got: ") + strlen(message) + 1;
    reply = (char*)malloc(size);
    if (reply != NULL) snprintf(reply, size, "ui-demo got: %s", message);
  }
  if (reply == NULL) return pi_error_set(err, PI_STATUS_INTERNAL, "ui-demo: out of memory");
  *out_reply = reply;
  return PI_STATUS_OK;
}

static void ui_demo_free_string(char* s) { free(s); }

static const PiPluginVTable ui_demo_vtable = {
    PI_TABLE_HEAD(PiPluginVTable),
    .create = ui_demo_create,
    .destroy = ui_demo_destroy,
    .update_ui = ui_demo_update_ui,
    .handle_message = ui_demo_handle_message,
    .free_string = ui_demo_free_string,
};

PI_DECLARE_PLUGIN(ui_demo_vtable)
