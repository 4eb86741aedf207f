/*
 * harness/sweep.h — the parameter syntax of `run`'s lists: comma-separated
 * specs NAME[:key=value...], where key=LO..HI sweeps in doubling steps and
 * key=a/b/c lists values, each combination becoming one configuration; and
 * --index's selectors ("all", "@family") with --exclude and --sweeps.
 */
#ifndef OMENBENCH_SWEEP_H
#define OMENBENCH_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#define MAX_SPECS 512

/* Expanded specs, each its own allocation. */
struct spec_list {
	int n;
	char *item[MAX_SPECS];
};

void spec_list_free(struct spec_list *l);

/* Appends every configuration of the comma-separated list arg to out.  -1
 * with the reason in err (an empty list is one). */
int parse_list(const char *arg, struct spec_list *out, char *err, size_t errlen);

/* Splits "name:params" into name (cut to len) and the text after the first
 * colon ("" when none). */
void split_name(const char *spec, char *name, size_t len, const char **params);

/* Turns --index (names, "all", "@family", specs with parameters) into the
 * list of configurations: --exclude (exclude_arg, NULL for none) drops names
 * or families, sweeps adds each selected index's declared sweep.  -1 with
 * the reason in err. */
int expand_index_list(const char *index_arg, const char *exclude_arg, bool sweeps,
		      struct spec_list *out, char *err, size_t errlen);

#endif
