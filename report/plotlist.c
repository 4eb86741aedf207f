/*
 * report/plotlist.c — the report's Plots section: every PNG that
 * scripts/plots.sh drew, in reading order, with its caption and a link
 * relative to the report.
 */
#define _GNU_SOURCE /* strverscmp: lookup_uspr_1M before lookup_uspr_10M */
#include "report/plotlist.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Path of `to` relative to directory `from` (both existing), for image
 * links that work wherever the report and the plots live. */
static int relative_path(const char *from, const char *to, char *out, size_t len)
{
	char a[PATH_MAX], b[PATH_MAX];
	if (!realpath(from, a) || !realpath(to, b))
		return -1;
	size_t common = 0, i = 0;
	for (; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			common = i;
	if (!a[i] && (b[i] == '/' || !b[i]))
		common = i;
	else if (!b[i] && a[i] == '/')
		common = i;
	out[0] = 0;
	size_t used = 0;
	for (const char *p = a + common; *p; p++) {
		if (*p == '/') {
			int w = snprintf(out + used, len - used, "../");
			if (w < 0 || (size_t)w >= len - used)
				return -1;
			used += (size_t)w;
		}
	}
	const char *rest = b + common;
	if (*rest == '/')
		rest++;
	int w = snprintf(out + used, len - used, "%s", *rest ? rest : ".");
	if (w < 0 || (size_t)w >= len - used)
		return -1;
	return 0;
}

/* Plots in reading order: the headline lookup plots first, then the
 * trade-offs, then the rest; by name within a kind. */
static int plot_rank(const char *name)
{
	static const char *const order[] = {
		"lookup_", "decide_", "pareto_", "latency_", "writes_", "nkeys_",
		"threads_", "build_",
	};
	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		if (!strncmp(name, order[i], strlen(order[i])))
			return (int)i;
	return (int)(sizeof order / sizeof *order);
}

static int compare_plot_names(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	int ra = plot_rank(a), rb = plot_rank(b);
	return ra != rb ? ra - rb : strverscmp(a, b);
}

void section_plots(FILE *f, const char *plots_dir, const char *out_path)
{
	fprintf(f, "## Plots\n\n");
	DIR *dir = plots_dir ? opendir(plots_dir) : NULL;
	if (!dir) {
		fprintf(f, "No plots directory (%s); run `scripts/plots.sh`.\n\n",
			plots_dir ? plots_dir : "none given");
		return;
	}
	char *names[512];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dir)) && n < 512) {
		size_t l = strlen(e->d_name);
		if (l > 4 && !strcmp(e->d_name + l - 4, ".png")) {
			names[n] = strdup(e->d_name);
			if (names[n])
				n++;
		}
	}
	closedir(dir);
	qsort(names, n, sizeof *names, compare_plot_names);

	/* Links relative to the report's directory. */
	char out_dir[PATH_MAX], link_dir[PATH_MAX];
	snprintf(out_dir, sizeof out_dir, "%s", out_path);
	char *slash = strrchr(out_dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(out_dir, sizeof out_dir, ".");
	if (relative_path(out_dir, plots_dir, link_dir, sizeof link_dir))
		snprintf(link_dir, sizeof link_dir, "%s", plots_dir);

	if (!n)
		fprintf(f, "No PNG files in `%s`.\n\n", plots_dir);
	for (size_t i = 0; i < n; i++) {
		/* scripts/plots.sh writes NAME.txt with a one-line caption. */
		char caption[512] = "", path[PATH_MAX];
		char base[256];
		snprintf(base, sizeof base, "%.*s", (int)(strlen(names[i]) - 4), names[i]);
		snprintf(path, sizeof path, "%s/%s.txt", plots_dir, base);
		FILE *cf = fopen(path, "r");
		if (cf) {
			if (fgets(caption, sizeof caption, cf))
				caption[strcspn(caption, "\r\n")] = 0;
			fclose(cf);
		}
		if (!*caption)
			snprintf(caption, sizeof caption, "%s", base);
		fprintf(f, "![%s](%s/%s)\n\n*%s*\n\n", base, link_dir, names[i], caption);
		free(names[i]);
	}
}
