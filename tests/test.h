/*
 * tests/test.h — a minimal test runner.  Each tests/test_*.c is its own
 * program.  A test case is one call wrapped in RUN(...) in main — a property
 * on one configuration, one scenario; CHECK counts the assertions inside it.
 * A case fails when any of its assertions fails.  TEST_MAIN_END prints the
 * assertion totals, then the closing "N passed, N failed" line counting
 * cases, which scripts/run-tests.sh adds up.  Assertions made outside any
 * RUN count as one more case, so none goes uncounted.
 */
#ifndef OMENBENCH_TEST_H
#define OMENBENCH_TEST_H

#include <stdio.h>
#include <stdlib.h>

extern long test_passed, test_failed; /* assertions */
extern const char *test_context;      /* printed with each failure */

void test_case_begin(const char *name);
void test_case_end(void);
int test_main_end(void);

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

/* One test case: the call's own text names it in a failure report. */
#define RUN(call)                                                            \
	do {                                                                 \
		test_case_begin(#call);                                      \
		call;                                                        \
		test_case_end();                                             \
	} while (0)

#define TEST_MAIN_END() return test_main_end()

#endif
