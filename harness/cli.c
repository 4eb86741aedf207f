/*
 * harness/cli.c — how the command line speaks (see cli.h).
 */
#include "harness/cli.h"
#include "common/message.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>

int die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("omenbench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

int bad_option(const char *cmd, int c, char **argv)
{
	char shown[SHOWN_NAME_LEN];
	const char *opt = shown_name(argv[optind - 1], shown, sizeof shown);
	if (c == ':')
		return die("%s: option %s needs a value (see omenbench %s --help)", cmd, opt, cmd);
	if (optopt)
		return die("%s: unknown option '-%c' (see omenbench %s --help)", cmd, optopt, cmd);
	return die("%s: unknown option '%s' (see omenbench %s --help)", cmd, opt, cmd);
}
