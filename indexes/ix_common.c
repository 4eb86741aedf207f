/*
 * indexes/ix_common.c — the helpers index.h declares for every index: the
 * large-array allocator and the one-line error formatter.  Kept apart from
 * the registry so that a test can link one index without all the others.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "indexes/index.h"

void *ix_alloc_large(size_t bytes)
{
	const size_t huge = (size_t)2 << 20;
	size_t align = bytes >= huge ? huge : 64;
	if (bytes > SIZE_MAX - align)
		return NULL;
	size_t rounded = bytes ? (bytes + align - 1) / align * align : align;
	void *p = aligned_alloc(align, rounded);
#ifdef MADV_HUGEPAGE
	if (p && align == huge)
		(void)madvise(p, rounded, MADV_HUGEPAGE); /* advice: failure is fine */
#endif
	return p;
}

void ix_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
