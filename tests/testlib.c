/* tests/testlib.c — counters shared by every test program (tests/test.h). */
#include "tests/test.h"

long test_passed, test_failed;
const char *test_context;

static long cases_passed, cases_failed;
static const char *case_name;
static long case_failed_at; /* test_failed when the open case began */
static long loose_passed, loose_failed; /* assertions outside any case */
static long counted_passed, counted_failed; /* assertions inside cases */
static int depth; /* a RUN inside a RUN belongs to the outer case */

void test_case_begin(const char *name)
{
	if (depth++)
		return;
	case_name = name;
	case_failed_at = test_failed;
	loose_passed += test_passed - (counted_passed + loose_passed);
	loose_failed += test_failed - (counted_failed + loose_failed);
}

void test_case_end(void)
{
	if (--depth)
		return;
	long failed = test_failed - case_failed_at;
	counted_passed = test_passed - loose_passed;
	counted_failed = test_failed - loose_failed;
	if (failed) {
		cases_failed++;
		fprintf(stderr, "FAILED CASE %s (%ld assertions failed)\n", case_name, failed);
	} else {
		cases_passed++;
	}
	case_name = NULL;
}

int test_main_end(void)
{
	loose_passed += test_passed - (counted_passed + loose_passed);
	loose_failed += test_failed - (counted_failed + loose_failed);
	if (loose_passed || loose_failed) { /* checks made in main itself */
		if (loose_failed)
			cases_failed++;
		else
			cases_passed++;
	}
	printf("assertions: %ld passed, %ld failed\n", test_passed, test_failed);
	printf("%ld passed, %ld failed\n", cases_passed, cases_failed);
	return test_failed ? 1 : 0;
}
