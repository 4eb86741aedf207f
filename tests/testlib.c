/* tests/testlib.c — counters shared by every test program. */
#include "test.h"

long test_passed, test_failed;
const char *test_context;
