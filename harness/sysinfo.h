/*
 * harness/sysinfo.h — what the machine says about itself: the CPU and its
 * last-level cache, this process's peak memory, the memory still free, the
 * file system under a directory.  Read from /proc, /sys and statfs; each
 * answers "unknown" (or 0, "NA") rather than fail, since none of it is
 * needed to run, only to record.
 */
#ifndef OMENBENCH_SYSINFO_H
#define OMENBENCH_SYSINFO_H

#include <stddef.h>

/* The CPU's model name from /proc/cpuinfo, or "unknown". */
void sys_cpu_model(char *buf, size_t len);

/* The last-level cache's size as sysfs states it ("32768K"), or "NA". */
void sys_last_level_cache(char *buf, size_t len);

/* What every CSV row says about the machine, read once per run: reading
 * /proc between timed repetitions would put the kernel's work and cache
 * traffic between them. */
struct machine_info {
	char host[128]; /* gethostname, or "unknown" */
	char cpu[160];  /* sys_cpu_model */
	char llc[32];   /* sys_last_level_cache */
};
void sys_machine_probe(struct machine_info *m);

/* This process's peak resident memory (VmHWM), bytes; 0 when unknown. */
size_t sys_peak_rss_bytes(void);

/* Starts the peak over from the current resident size (clear_refs 5), so
 * that the peak of one build is not an earlier one's. */
void sys_reset_peak_rss(void);

/* The file system type under dir: "tmpfs", "ext4", ..., "other" or
 * "unknown". */
const char *sys_fs_name(const char *dir);

/* MemAvailable from /proc/meminfo, bytes; 0 when unknown. */
size_t sys_mem_available(void);

#endif
