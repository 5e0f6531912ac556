// A minimal plugin written in C++: proves the header's entry macro and tables work from C++.
// C++20 can use designated initializers, in declaration order and (under g++ -Wextra) naming
// every field; C++17 initializes the table positionally.
#include <cstdlib>
#include <new>

#include "pi_helpers.h"

namespace {

struct Counter {
  const PiHostApi* host;
  int messages;
};

PiStatus create(const PiHostApi* host, const PiPluginMetadata*, void** out, PiError* err) {
  Counter* self = new (std::nothrow) Counter{host, 0};
  if (self == nullptr) return pi_error_set(err, PI_STATUS_INTERNAL, "out of memory");
  *out = self;
  return PI_STATUS_OK;
}

void destroy(void* self) { delete static_cast<Counter*>(self); }

PiStatus handle_message(void* raw, uint64_t, const char* message, char** out_reply, PiError*) {
  static_cast<Counter*>(raw)->messages++;
  *out_reply = pi_strdup(message);
  return PI_STATUS_OK;
}

void free_string(char* s) { std::free(s); }

#if __cplusplus >= 202002L
const PiPluginVTable vtable = {
    PI_TABLE_HEAD(PiPluginVTable),
    .create = create,
    .destroy = destroy,
    .on_mount = nullptr,
    .on_dispose = nullptr,
    .on_connect = nullptr,
    .on_disconnect = nullptr,
    .update_ui = nullptr,
    .handle_message = handle_message,
    .set_history = nullptr,
    .get_metadata = nullptr,
    .on_stream_control = nullptr,
    .apply_settings = nullptr,
    .free_string = free_string,
};
#else
const PiPluginVTable vtable = {
    static_cast<uint32_t>(sizeof(PiPluginVTable)), PI_ABI_MAJOR, PI_ABI_MINOR, create, destroy,
    nullptr, nullptr, nullptr, nullptr, nullptr, handle_message, nullptr, nullptr, nullptr, nullptr, free_string,
};
#endif

}  // namespace

PI_DECLARE_PLUGIN(vtable)
