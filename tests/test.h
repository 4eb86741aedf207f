/*
 * tests/test.h — a minimal test runner.  Each tests/test_*.c is its own
 * program; CHECK counts a passed or failed assertion, TEST_MAIN prints the
 * "N passed, N failed" line that scripts/run-tests.sh adds up.
 */
#ifndef OMENBENCH_TEST_H
#define OMENBENCH_TEST_H

#include <stdio.h>
#include <stdlib.h>

extern long test_passed, test_failed;
extern const char *test_context; /* printed with each failure */

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (cond) {                                                  \
			test_passed++;                                       \
		} else {                                                     \
			test_failed++;                                       \
			if (test_failed <= 50)                               \
				fprintf(stderr, "FAIL %s:%d [%s] %s\n",       \
					__FILE__, __LINE__,                  \
					test_context ? test_context : "",    \
					#cond);                              \
		}                                                            \
	} while (0)

#define TEST_MAIN_END()                                                      \
	do {                                                                 \
		printf("%ld passed, %ld failed\n", test_passed, test_failed); \
		return test_failed ? 1 : 0;                                  \
	} while (0)

#endif
