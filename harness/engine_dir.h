/*
 * harness/engine_dir.h — the directories the engines (LMDB, RocksDB,
 * SQLite) write to during a run.
 *
 * Each build gets a fresh one, PARENT/omenbench-ENGINE-pidPID-XXXXXX, held
 * under flock while in use and removed at its release, and also when a
 * signal ends the run (Ctrl-C, kill, a closed pipe, a bus error on a full
 * disk, a library's abort): the handler removes it, then the signal takes
 * its course.  --keep ones (omenbench-ENGINE-XXXXXX) are neither watched nor
 * removed.
 */
#ifndef OMENBENCH_ENGINE_DIR_H
#define OMENBENCH_ENGINE_DIR_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct engine_dir {
	char path[PATH_MAX]; /* "" when there is none */
	int lock;            /* the directory, open and flock'ed while in use; -1 */
};

/* Makes d under parent for engine; unless keep, watches it for the signals
 * above and locks it.  -1 with the reason in err (d->path then ""). */
int engine_dir_make(struct engine_dir *d, const char *parent, const char *engine, bool keep,
		    char *err, size_t errlen);

/* Removes d's directory (unless keep) and drops its lock and the watch. */
void engine_dir_release(struct engine_dir *d, bool keep);

/* Removes the engine directories under dir that a run killed beyond
 * catching (SIGKILL, a power cut) left behind, saying so on stdout: those
 * named for a process that is gone and that no process holds locked. */
void engine_dir_remove_stale(const char *dir);

#endif
