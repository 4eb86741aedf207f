/*
 * common/params.c — parsing and validation of `key=value` parameters.
 * See params.h for the syntax.
 */
#include "common/params.h"
#include "common/message.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void perr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int parse_u64(const char *text, uint64_t *out)
{
	if (!text || !*text || *text == '-' || *text == '+' || *text == ' ')
		return -1;
	char *end;
	errno = 0;
	unsigned long long base = strtoull(text, &end, 10);
	if (errno || end == text)
		return -1;
	if (*end == '^') { /* 2^16 */
		char *end2;
		errno = 0;
		unsigned long long exp = strtoull(end + 1, &end2, 10);
		if (errno || end2 == end + 1 || *end2 || end[1] == '-')
			return -1;
		/* 0^E and 1^E need no arithmetic; from 2 on, E > 63 overflows,
		 * so the loop below runs at most 63 times whatever E says. */
		if (base <= 1) {
			*out = exp == 0 ? 1 : base;
			return 0;
		}
		if (exp > 63)
			return -1;
		unsigned long long v = 1;
		for (unsigned long long i = 0; i < exp; i++) {
			if (v > UINT64_MAX / base)
				return -1;
			v *= base;
		}
		*out = v;
		return 0;
	}
	uint64_t mult = 1;
	if (*end == 'K' || *end == 'k')
		mult = 1000ull, end++;
	else if (*end == 'M')
		mult = 1000000ull, end++;
	else if (*end == 'G')
		mult = 1000000000ull, end++;
	if (*end)
		return -1;
	if (base > UINT64_MAX / mult)
		return -1;
	*out = base * mult;
	return 0;
}

int parse_double(const char *text, double *out)
{
	if (!text || !*text || *text == ' ')
		return -1;
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int find_def(const struct param_def *defs, const char *name)
{
	for (int i = 0; defs && defs[i].name; i++)
		if (!strcmp(defs[i].name, name))
			return i;
	return -1;
}

static void list_names(const struct param_def *defs, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; defs && defs[i].name && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", defs[i].name);
	if (!buf[0])
		snprintf(buf, len, "none");
}

int param_set_parse(const struct param_def *defs, const char *spec,
		    struct param_set *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->defs = defs;
	for (int i = 0; defs && defs[i].name; i++) {
		if (i >= PARAM_MAX) {
			perr(err, errlen, "too many declared parameters");
			return -1;
		}
		snprintf(out->name[i], sizeof out->name[i], "%s", defs[i].name);
		snprintf(out->value[i], sizeof out->value[i], "%s", defs[i].def);
		out->count = i + 1;
	}
	if (!spec || !*spec)
		return 0;
	char copy[1024];
	if (strlen(spec) >= sizeof copy) {
		perr(err, errlen, "parameter list too long (%zu characters; at most %zu)",
		     strlen(spec), sizeof copy - 1);
		return -1;
	}
	strcpy(copy, spec);
	bool given[PARAM_MAX] = {false};
	char *save = NULL;
	for (char *tok = strtok_r(copy, ":", &save); tok;
	     tok = strtok_r(NULL, ":", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq || eq == tok || !eq[1]) {
			char shown[SHOWN_NAME_LEN];
			perr(err, errlen, "malformed parameter '%s' (expected key=value)",
			     shown_name(tok, shown, sizeof shown));
			return -1;
		}
		*eq = 0;
		int i = find_def(defs, tok);
		if (i < 0) {
			char names[256], shown[SHOWN_NAME_LEN];
			list_names(defs, names, sizeof names);
			perr(err, errlen, "unknown parameter '%s' (accepted: %s)",
			     shown_name(tok, shown, sizeof shown), names);
			return -1;
		}
		if (strlen(eq + 1) >= PARAM_VALUE_LEN) {
			perr(err, errlen, "value of '%s' too long (%zu characters; at most %d)", tok,
			     strlen(eq + 1), PARAM_VALUE_LEN - 1);
			return -1;
		}
		/* Two values for one name: which was meant?  Never a silent
		 * last-wins. */
		if (given[i]) {
			perr(err, errlen, "parameter '%s' given twice ('%s=%s' and '%s=%s')", tok, tok,
			     out->value[i], tok, eq + 1);
			return -1;
		}
		given[i] = true;
		snprintf(out->value[i], sizeof out->value[i], "%s", eq + 1);
	}
	return 0;
}

const char *param_str(const struct param_set *s, const char *name)
{
	for (int i = 0; i < s->count; i++)
		if (!strcmp(s->name[i], name))
			return s->value[i];
	return NULL;
}

static const char *need(const struct param_set *s, const char *name, char *err,
			size_t errlen)
{
	const char *v = param_str(s, name);
	if (!v)
		perr(err, errlen, "internal: parameter '%s' is not declared", name);
	return v;
}

int param_u64(const struct param_set *s, const char *name, uint64_t lo,
	      uint64_t hi, uint64_t *out, char *err, size_t errlen)
{
	const char *v = need(s, name, err, errlen);
	if (!v)
		return -1;
	uint64_t x;
	if (parse_u64(v, &x)) {
		perr(err, errlen, "parameter %s=%s is not a non-negative integer", name, v);
		return -1;
	}
	if (x < lo || x > hi) {
		perr(err, errlen, "parameter %s=%s is out of range [%llu, %llu]", name,
		     v, (unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	*out = x;
	return 0;
}

int param_double(const struct param_set *s, const char *name, double lo,
		 double hi, double *out, char *err, size_t errlen)
{
	const char *v = need(s, name, err, errlen);
	if (!v)
		return -1;
	double x;
	if (parse_double(v, &x)) {
		perr(err, errlen, "parameter %s=%s is not a number", name, v);
		return -1;
	}
	if (x < lo || x > hi) {
		perr(err, errlen, "parameter %s=%s is out of range [%g, %g]", name, v, lo, hi);
		return -1;
	}
	*out = x;
	return 0;
}

int param_choice(const struct param_set *s, const char *name,
		 const char *const *choices, int *out, char *err, size_t errlen)
{
	const char *v = need(s, name, err, errlen);
	if (!v)
		return -1;
	char list[256];
	size_t used = 0;
	list[0] = 0;
	for (int i = 0; choices[i]; i++) {
		if (!strcmp(choices[i], v)) {
			*out = i;
			return 0;
		}
		if (used < sizeof list)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
						 i ? "|" : "", choices[i]);
	}
	perr(err, errlen, "parameter %s=%s is not one of %s", name, v, list);
	return -1;
}

void param_set_format(const struct param_set *s, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < s->count && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", i ? ":" : "",
					 s->name[i], s->value[i]);
}
