/*
 * indexes/registry.c — the table of every index omenbench knows.
 * Adding an index: define `const struct index_ops NAME_index` in its own file
 * and add one line below.  Order here is the order of `omenbench list`.
 */
#include <stddef.h>
#include <string.h>

#include "indexes/index.h"

extern const struct index_ops binsearch_index;
extern const struct index_ops rbs_index;
extern const struct index_ops isearch_index;
extern const struct index_ops btree_index;
extern const struct index_ops stree_index;
extern const struct index_ops art_index;
extern const struct index_ops rmi_index;
extern const struct index_ops rs_index;
extern const struct index_ops pgm_index;
#ifdef OMEN_REFERENCE /* make reference: the authors' code, for comparison */
extern const struct index_ops refpgm_index;
extern const struct index_ops refrs_index;
extern const struct index_ops refrmi_index;
extern const struct index_ops refalex_index;
extern const struct index_ops reftlx_index;
#endif
extern const struct index_ops dpgm_index;
extern const struct index_ops alex_index;
extern const struct index_ops tsli_index;
extern const struct index_ops hash_index;
extern const struct index_ops robinhood_index;
extern const struct index_ops lmdb_index;
extern const struct index_ops rocksdb_index;
extern const struct index_ops sqlite_index;

const struct index_ops *const index_registry[] = {
	/* baselines */
	&binsearch_index,
	&rbs_index,
	&isearch_index,
	/* trees and tries */
	&btree_index,
	&stree_index,
	&art_index,
	/* learned */
	&rmi_index,
	&rs_index,
	&pgm_index,
#ifdef OMEN_REFERENCE
	&refpgm_index,
	&refrs_index,
	&refrmi_index,
#endif
	&dpgm_index,
	&alex_index,
	&tsli_index,
#ifdef OMEN_REFERENCE
	&refalex_index,
	&reftlx_index,
#endif
	/* hash tables */
	&hash_index,
	&robinhood_index,
	/* engines */
	&lmdb_index,
	&rocksdb_index,
	&sqlite_index,
	NULL,
};

const struct index_ops *index_find(const char *name)
{
	for (int i = 0; index_registry[i]; i++)
		if (!strcmp(index_registry[i]->name, name))
			return index_registry[i];
	return NULL;
}
