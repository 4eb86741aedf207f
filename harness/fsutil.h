/* harness/fsutil.h — file-system helpers shared by the runner and the tests. */
#ifndef OMENBENCH_FSUTIL_H
#define OMENBENCH_FSUTIL_H

/* Removes dir and everything below it (best effort; symlinks are removed,
 * not followed). */
void remove_tree(const char *dir);

#endif
