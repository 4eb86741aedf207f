/* harness/fsutil.c — see fsutil.h. */
#include "harness/fsutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (!lstat(path, &st) && S_ISDIR(st.st_mode))
			remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* The kernel's directory record (getdents64). */
struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Empties the directory open as fd, descending at most `depth` levels. */
static void empty_dir_at(int fd, int depth)
{
	char buf[4096] __attribute__((aligned(8)));
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
		if (n <= 0)
			return;
		int removed = 0;
		for (long off = 0; off < n;) {
			struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
			off += e->d_reclen;
			const char *name = e->d_name;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			if (e->d_type == DT_DIR && depth > 0) {
				int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
				if (sub >= 0) {
					empty_dir_at(sub, depth - 1);
					close(sub);
				}
				removed += unlinkat(fd, name, AT_REMOVEDIR) == 0;
			} else {
				removed += unlinkat(fd, name, 0) == 0;
			}
		}
		if (!removed) /* nothing more this pass can remove */
			return;
		lseek(fd, 0, SEEK_SET); /* entries removed: read the rest afresh */
	}
}

void remove_tree_in_signal(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0)
		return;
	empty_dir_at(fd, 4);
	close(fd);
	rmdir(dir);
}
