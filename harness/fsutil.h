/* harness/fsutil.h — file-system helpers shared by the runner and the tests. */
#ifndef OMENBENCH_FSUTIL_H
#define OMENBENCH_FSUTIL_H

/* Removes dir and everything below it (best effort; symlinks are removed,
 * not followed). */
void remove_tree(const char *dir);

/* The same with async-signal-safe calls only (open, getdents64, unlinkat),
 * for a signal handler; depth is limited to a few levels. */
void remove_tree_in_signal(const char *dir);

#endif
