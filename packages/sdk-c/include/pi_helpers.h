/*
 * Small conveniences for plugin authors on top of plugin_interfaces.h: filling a PiError,
 * duplicating strings with the allocator the plugin's free_string releases (malloc/free), and
 * printf-style logging and chat messages. Header-only, C11 and C++17.
 */
#ifndef PI_HELPERS_H
#define PI_HELPERS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_interfaces.h"

#if defined(__GNUC__) || defined(__clang__)
#define PI_PRINTF_FORMAT(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define PI_PRINTF_FORMAT(fmt_index, first_arg)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Cuts buf to at most len bytes without splitting a UTF-8 sequence, then terminates it. */
static inline void pi_utf8_truncate_(char* buf, size_t len) {
  size_t back = 0;
  while (back < 4 && back < len) {
    unsigned char c = (unsigned char)buf[len - 1 - back];
    if ((c & 0xC0u) != 0x80u) {
      size_t need = c < 0x80u ? 1 : (c & 0xE0u) == 0xC0u ? 2 : (c & 0xF0u) == 0xE0u ? 3 : 4;
      if (back + 1 < need) len -= back + 1; /* the last sequence is incomplete: drop it */
      break;
    }
    back++;
  }
  buf[len] = '\0';
}

/* Formats into a new malloc'd string; NULL when out of memory or the format fails. */
static inline char* pi_vformat_(const char* fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int needed = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (needed < 0) return NULL;
  char* out = (char*)malloc((size_t)needed + 1);
  if (out != NULL) vsnprintf(out, (size_t)needed + 1, fmt, args);
  return out;
}

/**
 * Fills err (which may be NULL) with code and a printf-style message, truncated to
 * PI_ERROR_MESSAGE_CAPACITY at a UTF-8 boundary, and returns code, so a failing call can end
 * with `return pi_error_set(err, PI_STATUS_INVALID_ARGUMENT, "bad %s", what);`.
 */
static inline PiStatus pi_error_set(PiError* err, PiStatus code, const char* fmt, ...) PI_PRINTF_FORMAT(3, 4);
static inline PiStatus pi_error_set(PiError* err, PiStatus code, const char* fmt, ...) {
  if (err == NULL) return code;
  err->code = code;
  err->retryable = 0;
  err->detail_json[0] = '\0';
  va_list args;
  va_start(args, fmt);
  int written = vsnprintf(err->message, sizeof err->message, fmt, args);
  va_end(args);
  if (written < 0) {
    err->message[0] = '\0';
  } else if ((size_t)written >= sizeof err->message) {
    pi_utf8_truncate_(err->message, sizeof err->message - 1);
  }
  return code;
}

/** Copies s with malloc, so the vtable's free_string (calling free) can release it. NULL stays NULL. */
static inline char* pi_strdup(const char* s) {
  if (s == NULL) return NULL;
  size_t size = strlen(s) + 1;
  char* copy = (char*)malloc(size);
  if (copy != NULL) memcpy(copy, s, size);
  return copy;
}

/** Writes a printf-style line to the host's logger. Callable from any thread. */
static inline PiStatus pi_log(const PiHostApi* host, PiLogLevel level, const char* fmt, ...) PI_PRINTF_FORMAT(3, 4);
static inline PiStatus pi_log(const PiHostApi* host, PiLogLevel level, const char* fmt, ...) {
  if (host == NULL || host->log == NULL) return PI_STATUS_INVALID_ARGUMENT;
  va_list args;
  va_start(args, fmt);
  char* text = pi_vformat_(fmt, args);
  va_end(args);
  if (text == NULL) return PI_STATUS_ERROR;
  PiStatus status = host->log(host, level, text);
  free(text);
  return status;
}

/** Posts a printf-style chat message (Markdown) of the given type. Callable from any thread. */
static inline PiStatus pi_send(const PiHostApi* host, PiMessageType type, const char* fmt, ...) PI_PRINTF_FORMAT(3, 4);
static inline PiStatus pi_send(const PiHostApi* host, PiMessageType type, const char* fmt, ...) {
  if (host == NULL || host->send_message == NULL) return PI_STATUS_INVALID_ARGUMENT;
  va_list args;
  va_start(args, fmt);
  char* text = pi_vformat_(fmt, args);
  va_end(args);
  if (text == NULL) return PI_STATUS_ERROR;
  PiStatus status = host->send_message(host, type, text);
  free(text);
  return status;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PI_HELPERS_H */
