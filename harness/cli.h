/*
 * harness/cli.h — how the command line speaks: one line on stderr, prefixed
 * "omenbench: ", and exit status 2 for bad input or a failure.
 */
#ifndef OMENBENCH_CLI_H
#define OMENBENCH_CLI_H

/* Prints "omenbench: " and the message as one line on stderr; returns 2,
 * so that a command can `return die(...)`. */
int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* getopt_long's complaint for command cmd (opterr = 0, ':' first in the
 * option string; c is what getopt_long returned) as one line of ours, with
 * where to look instead of the whole usage; returns 2. */
int bad_option(const char *cmd, int c, char **argv);

#endif
