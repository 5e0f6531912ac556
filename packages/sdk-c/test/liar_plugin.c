/*
 * A deliberately broken plugin for dlopen_check: its entry table claims another fingerprint and
 * reports a PiError row with a wrong size, as a library built from a stale header would.
 */
#include <string.h>

#include "plugin_interfaces.h"

static PiStatus liar_create(const PiHostApi* host, const PiPluginMetadata* meta, void** out, PiError* err) {
  (void)host;
  (void)meta;
  (void)err;
  *out = NULL;
  return PI_STATUS_OK;
}

static void liar_destroy(void* self) { (void)self; }
static void liar_free_string(char* s) { (void)s; }

static const PiPluginVTable liar_vtable = {
    PI_TABLE_HEAD(PiPluginVTable),
    .create = liar_create,
    .destroy = liar_destroy,
    .free_string = liar_free_string,
};

static PiLayoutRecord liar_layout[] = PI_LAYOUT_RECORDS;

PI_EXPORT const PiPluginEntry* pi_plugin_entry(void) {
  static PiPluginEntry entry;
  liar_layout[0].size += 8;
  entry.struct_size = sizeof entry;
  entry.abi_major = PI_ABI_MAJOR;
  entry.abi_minor = PI_ABI_MINOR;
  entry.abi_fingerprint = "1.0-0000000000000000";
  entry.sdk = "liar";
  entry.layout = liar_layout;
  entry.layout_count = (uint32_t)(sizeof liar_layout / sizeof liar_layout[0]);
  entry.vtable = &liar_vtable;
  return &entry;
}
