/*
 * harness/sweep.c — expanding `run`'s lists into configurations (see
 * sweep.h).
 */
#define _GNU_SOURCE
#include "harness/sweep.h"
#include "common/message.h"
#include "common/params.h"
#include "indexes/index.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void spec_list_free(struct spec_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->item[i]);
	l->n = 0;
}

static int spec_push(struct spec_list *l, const char *s)
{
	if (l->n >= MAX_SPECS)
		return -1;
	l->item[l->n] = strdup(s);
	return l->item[l->n++] ? 0 : -1;
}

/* Expands "name:a=1..8:b=x/y" into every combination: a=1,2,4,8 (doubling
 * ranges) and b=x,y (slash lists). */
static int expand_sweeps(const char *spec, struct spec_list *out, char *err, size_t errlen)
{
	const char *colon = strchr(spec, ':');
	if (!colon)
		return spec_push(out, spec) ? (snprintf(err, errlen, "too many configurations"), -1) : 0;
	/* find the first parameter with a sweep */
	char head[1024], tail[1024];
	const char *p = colon + 1;
	while (*p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char item[256];
		if (len >= sizeof item) {
			char shown[SHOWN_NAME_LEN];
			snprintf(err, errlen, "parameter too long (%zu characters; at most %zu) in '%s'",
				 len, sizeof item - 1, shown_name(spec, shown, sizeof shown));
			return -1;
		}
		memcpy(item, p, len);
		item[len] = 0;
		char *eq = strchr(item, '=');
		char *dots = eq ? strstr(eq, "..") : NULL;
		char *slash = eq ? strchr(eq, '/') : NULL;
		if (eq && (dots || slash)) {
			snprintf(head, sizeof head, "%.*s", (int)(p - spec), spec);
			snprintf(tail, sizeof tail, "%s", end ? end : "");
			*eq = 0;
			const char *name = item, *vals = eq + 1;
			char one[4096];
			if (dots) {
				uint64_t a, b;
				*dots = 0;
				if (parse_u64(vals, &a) || parse_u64(dots + 2, &b) || a == 0 || b < a) {
					snprintf(err, errlen, "bad sweep '%s=%s..%s' (want LO..HI, 0 < LO <= HI; doubles)",
						 name, vals, dots + 2);
					return -1;
				}
				for (uint64_t v = a; v <= b; v *= 2) {
					snprintf(one, sizeof one, "%s%s=%llu%s", head, name,
						 (unsigned long long)v, tail);
					if (expand_sweeps(one, out, err, errlen))
						return -1;
					if (v > UINT64_MAX / 2)
						break;
				}
			} else {
				char copy[256];
				snprintf(copy, sizeof copy, "%s", vals);
				char *save = NULL;
				for (char *v = strtok_r(copy, "/", &save); v; v = strtok_r(NULL, "/", &save)) {
					snprintf(one, sizeof one, "%s%s=%s%s", head, name, v, tail);
					if (expand_sweeps(one, out, err, errlen))
						return -1;
				}
			}
			return 0;
		}
		p = end ? end + 1 : p + len;
	}
	if (spec_push(out, spec)) {
		snprintf(err, errlen, "too many configurations (at most %d)", MAX_SPECS);
		return -1;
	}
	return 0;
}

int parse_list(const char *arg, struct spec_list *out, char *err, size_t errlen)
{
	char *copy = strdup(arg), *save = NULL;
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save))
		rc = expand_sweeps(tok, out, err, errlen);
	free(copy);
	if (!rc && out->n == 0) {
		char shown[SHOWN_NAME_LEN];
		snprintf(err, errlen, "empty list '%s'", shown_name(arg, shown, sizeof shown));
		rc = -1;
	}
	return rc;
}

void split_name(const char *spec, char *name, size_t len, const char **params)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	snprintf(name, len, "%.*s", (int)n, spec);
	*params = colon ? colon + 1 : "";
}

/* Does list item `sel` ("all", "@family" or a name) select index o? */
static bool selects(const char *sel, const struct index_ops *o)
{
	if (!strcmp(sel, "all"))
		return true;
	if (sel[0] == '@')
		return !strcmp(sel + 1, o->family);
	return !strcmp(sel, o->name);
}

static bool is_selector(const char *item)
{
	return !strcmp(item, "all") || item[0] == '@' || index_find(item);
}

/* "all" and "@family" take no parameters and must select something. */
static int check_group(const char *item, char *err, size_t errlen)
{
	char shown[SHOWN_NAME_LEN];
	if (item[0] != '@' && strcmp(item, "all") && strncmp(item, "all:", 4))
		return 0;
	if (strchr(item, ':')) {
		snprintf(err, errlen, "'%s': parameters go with one index name, not with all or "
			 "a @family", shown_name(item, shown, sizeof shown));
		return -1;
	}
	for (int r = 0; index_registry[r]; r++)
		if (selects(item, index_registry[r]))
			return 0;
	snprintf(err, errlen, "no index of family '%s'", shown_name(item + 1, shown, sizeof shown));
	return -1;
}

/* The canonical "name:k=v:..." of spec with every default filled in, or ""
 * when spec names no index or has bad parameters (reported later). */
static void canonical_config(const char *spec, char *buf, size_t len)
{
	char base[64], err[256];
	const char *params;
	struct param_set set;
	buf[0] = 0;
	split_name(spec, base, sizeof base, &params);
	const struct index_ops *o = index_find(base);
	if (!o || param_set_parse(o->params, params, &set, err, sizeof err))
		return;
	size_t used = (size_t)snprintf(buf, len, "%s:", o->name);
	if (used < len)
		param_set_format(&set, buf + used, len - used);
}

/* A sweep that passes through an index's defaults (btree node=16, pgm
 * eps=16 with eps_rec=4 spelt out or not) would run that configuration twice
 * in one command, and its rows would look pooled from two runs: keep the
 * first of each. */
static void drop_repeated_configs(struct spec_list *l)
{
	int kept = 0;
	for (int i = 0; i < l->n; i++) {
		char mine[2048], other[2048];
		bool repeat = false;
		canonical_config(l->item[i], mine, sizeof mine);
		for (int j = 0; *mine && j < kept && !repeat; j++) {
			canonical_config(l->item[j], other, sizeof other);
			repeat = !strcmp(mine, other);
		}
		if (repeat)
			free(l->item[i]);
		else
			l->item[kept++] = l->item[i];
	}
	l->n = kept;
}

int expand_index_list(const char *index_arg, const char *exclude_arg, bool sweeps,
			     struct spec_list *out, char *err, size_t errlen)
{
	struct spec_list names = {0}, excl = {0};
	char expanded[16384] = "";
	size_t used = 0;
	int rc = parse_list(index_arg, &names, err, errlen);
	if (!rc && exclude_arg)
		rc = parse_list(exclude_arg, &excl, err, errlen);
	for (int i = 0; !rc && i < excl.n; i++)
		if (!is_selector(excl.item[i])) {
			char shown[SHOWN_NAME_LEN];
			snprintf(err, errlen, "--exclude: no index or family '%s'",
				 shown_name(excl.item[i], shown, sizeof shown));
			rc = -1;
		}
	for (int i = 0; !rc && i < names.n; i++) {
		const char *item = names.item[i];
		const char *colon = strchr(item, ':');
		if ((rc = check_group(item, err, errlen)) < 0)
			break;
		for (int r = 0; index_registry[r] && used < sizeof expanded; r++) {
			const struct index_ops *o = index_registry[r];
			char base[64];
			const char *params;
			split_name(item, base, sizeof base, &params);
			/* "pgm:" is pgm with no parameters, as "pgm::eps=16" is
			 * pgm:eps=16 */
			bool chosen = colon ? !strcmp(base, o->name) : selects(item, o);
			bool dropped = false;
			for (int e = 0; e < excl.n; e++)
				dropped |= selects(excl.item[e], o);
			if (!chosen || dropped)
				continue;
			used += (size_t)snprintf(expanded + used, sizeof expanded - used, "%s%s",
						 used ? "," : "", *params ? item : o->name);
			/* A sweep is one or more space-separated parameter sets. */
			for (const char *sw = sweeps && !*params ? o->sweep : NULL;
			     sw && *sw && used < sizeof expanded;) {
				size_t len = strcspn(sw, " ");
				if (len)
					used += (size_t)snprintf(expanded + used, sizeof expanded - used,
								 ",%s:%.*s", o->name, (int)len, sw);
				sw += len + (sw[len] == ' ');
			}
		}
		char base[64];
		const char *params;
		split_name(item, base, sizeof base, &params);
		if (!is_selector(base) && used < sizeof expanded) /* reported below */
			used += (size_t)snprintf(expanded + used, sizeof expanded - used, "%s%s",
						 used ? "," : "", item);
	}
	if (!rc && used >= sizeof expanded) {
		snprintf(err, errlen, "list too long");
		rc = -1;
	}
	if (!rc && !used) {
		snprintf(err, errlen, "--exclude left no index to run");
		rc = -1;
	}
	if (!rc)
		rc = parse_list(expanded, out, err, errlen);
	if (!rc)
		drop_repeated_configs(out);
	spec_list_free(&names);
	spec_list_free(&excl);
	return rc;
}
