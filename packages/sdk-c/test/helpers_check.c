/* Exercises pi_helpers.h and prints what it observed, one fact per line, for helpers.test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pi_helpers.h"

static int valid_utf8(const unsigned char* s) {
  while (*s != 0) {
    int extra = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 ? 1 : (*s & 0xF0) == 0xE0 ? 2 : (*s & 0xF8) == 0xF0 ? 3 : -1;
    if (extra < 0) return 0;
    for (int i = 1; i <= extra; i++) {
      if ((s[i] & 0xC0) != 0x80) return 0;
    }
    s += extra + 1;
  }
  return 1;
}

int main(void) {
  static PiError err;
  err.struct_size = sizeof err;
  PiStatus returned = pi_error_set(&err, PI_STATUS_INVALID_ARGUMENT, "bad %s %d", "value", 42);
  printf("code=%d returned=%d message=%s\n", (int)err.code, (int)returned, err.message);

  printf("null-safe returned=%d\n", (int)pi_error_set(NULL, PI_STATUS_CANCELLED, "ignored"));

  char long_text[701];
  for (int i = 0; i < 350; i++) memcpy(long_text + 2 * i, "\xc3\xa9", 2); /* "é" x 350 */
  long_text[700] = '\0';
  pi_error_set(&err, PI_STATUS_ERROR, "%s", long_text);
  printf("long length=%zu valid-utf8=%d\n", strlen(err.message), valid_utf8((const unsigned char*)err.message));

  char* copy = pi_strdup("copy");
  printf("strdup=%s null=%d\n", copy, pi_strdup(NULL) == NULL);
  free(copy);
  return 0;
}
