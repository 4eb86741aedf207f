/*
 * common/params.h — `key=value` parameters, the one mechanism used by indexes
 * and workloads alike.
 *
 * A component declares its parameters as a {NULL}-terminated array of
 * param_def.  The user writes them after the component's name, separated by
 * colons:  `pgm:eps=16:eps_rec=4`, `range:len=100`.  param_set_parse() checks
 * every given name against the declaration (an unknown name is an error, never
 * ignored) and fills in defaults, so a param_set always holds every declared
 * parameter.  Typed getters then parse the strings strictly (trailing junk, a
 * sign on an unsigned, overflow or a value out of range are errors).
 *
 * Numbers may be written 65536, 64K, 10M, 2G (powers of 1000) or 2^16.
 */
#ifndef OMENBENCH_PARAMS_H
#define OMENBENCH_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#define PARAM_MAX 24
#define PARAM_VALUE_LEN 64

struct param_def {
	const char *name;
	const char *def;  /* default value as a string */
	const char *help; /* one line */
};

struct param_set {
	const struct param_def *defs;
	int count;
	char name[PARAM_MAX][32];
	char value[PARAM_MAX][PARAM_VALUE_LEN];
};

/* spec: "k=v:k=v" or "" (all defaults).  0 on success, -1 + err. */
int param_set_parse(const struct param_def *defs, const char *spec,
		    struct param_set *out, char *err, size_t errlen);
/* The value string of a declared parameter (never NULL for a declared one). */
const char *param_str(const struct param_set *s, const char *name);
int param_u64(const struct param_set *s, const char *name, uint64_t lo,
	      uint64_t hi, uint64_t *out, char *err, size_t errlen);
int param_double(const struct param_set *s, const char *name, double lo,
		 double hi, double *out, char *err, size_t errlen);
/* choices: NULL-terminated; *out = index of the match. */
int param_choice(const struct param_set *s, const char *name,
		 const char *const *choices, int *out, char *err, size_t errlen);
/* Canonical "k=v:k=v" of every parameter, for the CSV and for re-running. */
void param_set_format(const struct param_set *s, char *buf, size_t len);

/* Strict number parsers shared with the CLI (-n 10M). 0 ok, -1 bad. */
int parse_u64(const char *text, uint64_t *out);
int parse_double(const char *text, double *out);

#endif
