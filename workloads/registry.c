/*
 * workloads/registry.c — every workload omenbench knows.  Adding one: a
 * `const struct workload` in its own file (or beside its kin) and one line
 * here.
 */
#include <string.h>

#include "workloads/workload.h"

extern const struct workload point_workload, point_grown_workload, range_workload,
	seq_lookup_workload;
extern const struct workload insert_workload, mixed_workload;
extern const struct workload seq_append_workload, seq_ooo_workload;
extern const struct workload ycsb_a_workload, ycsb_b_workload, ycsb_c_workload,
	ycsb_d_workload, ycsb_e_workload, ycsb_f_workload;

const struct workload *const workload_registry[] = {
	&point_workload,
	&point_grown_workload,
	&range_workload,
	&seq_lookup_workload,
	&insert_workload,
	&mixed_workload,
	&seq_append_workload,
	&seq_ooo_workload,
	&ycsb_a_workload,
	&ycsb_b_workload,
	&ycsb_c_workload,
	&ycsb_d_workload,
	&ycsb_e_workload,
	&ycsb_f_workload,
	NULL,
};

const struct workload *workload_find(const char *name)
{
	for (int i = 0; workload_registry[i]; i++)
		if (!strcmp(workload_registry[i]->name, name))
			return workload_registry[i];
	return NULL;
}
