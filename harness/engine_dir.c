/*
 * harness/engine_dir.c — the engines' directories (see engine_dir.h): made
 * per build, removed however the run ends, and the leftovers of runs that
 * ended beyond catching removed by the next.
 */
#define _GNU_SOURCE
#include "harness/engine_dir.h"
#include "common/message.h"
#include "harness/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* An engine's directory lives in /dev/shm while it runs: a run stopped by
 * Ctrl-C or kill, a closed pipe (`| head`), a bus error on a full disk
 * (lmdb:writemap=1) or a library's abort (RocksDB's uncaught exception)
 * must not leave it behind.  The one directory that exists at a time is
 * recorded here for the signal handler.  SIGKILL cannot be caught: the
 * next run removes what it left (engine_dir_remove_stale). */
static char live_dir[PATH_MAX];
static volatile sig_atomic_t live_dir_set;

static void say_in_signal(const char *msg)
{
	ssize_t ignored = write(STDERR_FILENO, msg, strlen(msg));
	(void)ignored;
}

static void on_stop_signal(int sig)
{
	if (live_dir_set) {
		remove_tree_in_signal(live_dir);
		/* A fault says nothing of itself: one line on what happened. */
		if (sig == SIGBUS)
			say_in_signal("omenbench: bus error (SIGBUS) on a memory-mapped engine file "
				      "(a full disk?); the engine directory was removed\n");
		else if (sig == SIGABRT)
			say_in_signal("omenbench: a library aborted (SIGABRT); the engine directory "
				      "was removed\n");
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Records dir for the signal handler and installs it. */
static void watch_dir(const char *dir)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGBUS, SIGABRT};
	live_dir_set = 0;
	snprintf(live_dir, sizeof live_dir, "%s", dir);
	live_dir_set = 1;
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct sigaction sa;
		/* A signal the caller ignores (nohup, a background job) stays
		 * ignored. */
		if (sigaction(sigs[i], NULL, &sa) || sa.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_stop_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

/* Engine directories of a run are named omenbench-ENGINE-pidPID-XXXXXX and
 * held under flock while in use (--keep ones, omenbench-ENGINE-XXXXXX, are
 * never touched).  Reads the owner's pid from such a name; -1 otherwise. */
static long owner_pid(const char *name)
{
	if (strncmp(name, "omenbench-", 10))
		return -1;
	const char *p = strstr(name + 10, "-pid");
	if (!p)
		return -1;
	char *end;
	long pid = strtol(p + 4, &end, 10);
	if (end == p + 4 || pid <= 0 || *end != '-' || strlen(end + 1) != 6)
		return -1;
	return pid;
}

void engine_dir_remove_stale(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		long pid = owner_pid(e->d_name);
		/* Its run must be gone: no such process here, and no lock (a
		 * process in another pid namespace still holds its lock). */
		if (pid < 0 || pid == (long)getpid() || !kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		char path[PATH_MAX];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
			continue;
		struct stat st;
		if (lstat(path, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!flock(fd, LOCK_EX | LOCK_NB)) {
			remove_tree(path);
			printf("removed %s: an engine directory left by a run that is gone (pid %ld)\n",
			       path, pid);
		}
		close(fd);
	}
	closedir(d);
}

int engine_dir_make(struct engine_dir *d, const char *parent, const char *engine, bool keep,
		    char *err, size_t errlen)
{
	int len = keep ? snprintf(d->path, sizeof d->path, "%s/omenbench-%s-XXXXXX", parent, engine)
		       : snprintf(d->path, sizeof d->path, "%s/omenbench-%s-pid%ld-XXXXXX", parent,
				  engine, (long)getpid());
	if (len < 0 || (size_t)len >= sizeof d->path) {
		snprintf(err, errlen, "--dir: path too long for an engine directory");
		d->path[0] = 0;
		return -1;
	}
	if (!mkdtemp(d->path)) {
		char shown[SHOWN_NAME_LEN];
		snprintf(err, errlen, "cannot create a directory under %s: %s",
			 shown_name(parent, shown, sizeof shown), strerror(errno));
		d->path[0] = 0;
		return -1;
	}
	if (!keep) {
		watch_dir(d->path);
		/* Held until released: the mark of a live run's directory. */
		d->lock = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (d->lock >= 0)
			flock(d->lock, LOCK_EX);
	}
	return 0;
}

void engine_dir_release(struct engine_dir *d, bool keep)
{
	live_dir_set = 0;
	if (d->path[0] && !keep)
		remove_tree(d->path);
	d->path[0] = 0;
	if (d->lock >= 0)
		close(d->lock);
	d->lock = -1;
}
