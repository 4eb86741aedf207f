/*
 * harness/sysinfo.c — what the machine says about itself (see sysinfo.h).
 */
#define _GNU_SOURCE
#include "harness/sysinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

void sys_cpu_model(char *buf, size_t len)
{
	snprintf(buf, len, "unknown");
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "model name", 10)) {
			char *c = strchr(line, ':');
			if (c) {
				c++;
				while (*c == ' ')
					c++;
				c[strcspn(c, "\n")] = 0;
				snprintf(buf, len, "%s", c);
			}
			break;
		}
	}
	fclose(f);
}

/* The size of the CPU's last-level cache as sysfs states it ("32768K"),
 * the level with the highest number; "NA" where sysfs says nothing. */
void sys_last_level_cache(char *buf, size_t len)
{
	int best_level = 0;
	snprintf(buf, len, "NA");
	for (int i = 0; i < 16; i++) {
		char path[96], level[16], size[32];
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		int ok = fgets(level, sizeof level, f) != NULL;
		fclose(f);
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
		if (!ok || atoi(level) <= best_level || !(f = fopen(path, "r")))
			continue;
		if (fgets(size, sizeof size, f)) {
			size[strcspn(size, "\n")] = 0;
			snprintf(buf, len, "%s", size);
			best_level = atoi(level);
		}
		fclose(f);
	}
}

size_t sys_peak_rss_bytes(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return 0;
	char line[256];
	size_t kb = 0;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = strtoull(line + 6, NULL, 10);
	fclose(f);
	return kb * 1024;
}

void sys_reset_peak_rss(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (f) {
		fputs("5", f);
		fclose(f);
	}
}

const char *sys_fs_name(const char *dir)
{
	struct statfs sf;
	if (!dir || statfs(dir, &sf))
		return "unknown";
	switch ((unsigned long)sf.f_type) {
	case 0x01021994: return "tmpfs";
	case 0xEF53: return "ext4";
	case 0x58465342: return "xfs";
	case 0x9123683E: return "btrfs";
	case 0x794c7630: return "overlayfs";
	default: return "other";
	}
}

/* MemAvailable from /proc/meminfo, or 0 when unknown. */
size_t sys_mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return 0;
	char line[256];
	size_t kb = 0;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "MemAvailable:", 13))
			kb = strtoull(line + 13, NULL, 10);
	fclose(f);
	return kb * 1024;
}

void sys_machine_probe(struct machine_info *m)
{
	snprintf(m->host, sizeof m->host, "unknown");
	if (gethostname(m->host, sizeof m->host - 1) != 0)
		snprintf(m->host, sizeof m->host, "unknown");
	m->host[sizeof m->host - 1] = 0;
	sys_cpu_model(m->cpu, sizeof m->cpu);
	sys_last_level_cache(m->llc, sizeof m->llc);
}
