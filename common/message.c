/* common/message.c — see message.h. */
#include "common/message.h"

#include <stdio.h>
#include <string.h>

const char *shown_name(const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);
	if (n < len)
		return name;
	/* room for "...(123456789 characters)" after the head */
	int head = len > 40 ? (int)(len - 40) : 0;
	snprintf(buf, len, "%.*s...(%zu characters)", head, name, n);
	return buf;
}
