/*
 * Loads a plugin library the way a host does and checks its entry table against this header:
 * ABI version, fingerprint and every layout row the plugin's compiler produced compared with
 * the rows this program's compiler produces. Prints one line per mismatch; exit status 0 only
 * when everything matches.
 *
 * usage: dlopen_check <library>
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "plugin_interfaces.h"

static const PiLayoutRecord EXPECTED[] = PI_LAYOUT_RECORDS;
#define EXPECTED_COUNT (sizeof EXPECTED / sizeof EXPECTED[0])

static int check_layout(const PiPluginEntry* entry) {
  int problems = 0;
  if (entry->layout_count != EXPECTED_COUNT) {
    printf("layout_count %u, expected %u\n", entry->layout_count, (unsigned)EXPECTED_COUNT);
    return 1;
  }
  for (size_t i = 0; i < EXPECTED_COUNT; i++) {
    const PiLayoutRecord* got = &entry->layout[i];
    const PiLayoutRecord* want = &EXPECTED[i];
    if (got->name == NULL || strcmp(got->name, want->name) != 0 || got->size != want->size ||
        got->align != want->align || got->offset != want->offset) {
      printf("layout row %zu: got %s %u/%u/%u, expected %s %u/%u/%u\n", i, got->name ? got->name : "(null)",
             got->size, got->align, got->offset, want->name, want->size, want->align, want->offset);
      problems++;
    }
  }
  return problems;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <library>\n", argv[0]);
    return 2;
  }
  void* library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    printf("dlopen failed: %s\n", dlerror());
    return 1;
  }
  PiPluginEntryFn entry_fn;
  void* symbol = dlsym(library, PI_ENTRY_SYMBOL);
  memcpy(&entry_fn, &symbol, sizeof entry_fn); /* object pointer to function pointer, ISO-clean */
  const PiPluginEntry* entry = entry_fn != NULL ? entry_fn() : NULL;
  int problems = 0;
  if (entry == NULL) {
    printf("%s missing or returned NULL\n", PI_ENTRY_SYMBOL);
    problems = 1;
  } else {
    if (entry->struct_size != sizeof(PiPluginEntry)) {
      printf("struct_size %u, expected %u\n", entry->struct_size, (unsigned)sizeof(PiPluginEntry));
      problems++;
    }
    if (entry->abi_major != PI_ABI_MAJOR || entry->abi_minor != PI_ABI_MINOR) {
      printf("abi %u.%u, expected %d.%d\n", entry->abi_major, entry->abi_minor, PI_ABI_MAJOR, PI_ABI_MINOR);
      problems++;
    }
    if (entry->abi_fingerprint == NULL || strcmp(entry->abi_fingerprint, PI_ABI_FINGERPRINT) != 0) {
      printf("fingerprint %s, expected %s\n", entry->abi_fingerprint ? entry->abi_fingerprint : "(null)",
             PI_ABI_FINGERPRINT);
      problems++;
    }
    if (entry->vtable == NULL || entry->vtable->struct_size != sizeof(PiPluginVTable) ||
        entry->vtable->create == NULL || entry->vtable->destroy == NULL || entry->vtable->free_string == NULL) {
      printf("vtable missing, wrong size or without create/destroy/free_string\n");
      problems++;
    }
    problems += check_layout(entry);
    if (problems == 0) printf("ok %s sdk=%s layout=%u\n", entry->abi_fingerprint, entry->sdk, entry->layout_count);
  }
  dlclose(library);
  return problems == 0 ? 0 : 1;
}
