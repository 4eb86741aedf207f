/*
 * common/message.h — one-line error messages that keep their point.
 *
 * Messages read "NAME: problem".  A name the user typed can be any length
 * (a 100 KB --data argument), and a fixed buffer would then cut the line
 * before the problem; every user-given name in a message goes through
 * shown_name() first.
 */
#ifndef OMENBENCH_MESSAGE_H
#define OMENBENCH_MESSAGE_H

#include <stddef.h>

/* The longest name shown whole, and the buffer shown_name() needs. */
#define SHOWN_NAME_LEN 200

/* name itself when shorter than len, else its head and its length written
 * into buf ("aaaa...(102400 characters)"). */
const char *shown_name(const char *name, char *buf, size_t len);

#endif
