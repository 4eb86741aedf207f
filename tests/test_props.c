/*
 * tests/test_props.c — runs the shared property tests on every registered
 * index with its default parameters, plus extra configurations named in
 * tests/props_configs below (small error bounds and odd settings are where
 * learned indexes break).
 */
#include <stdio.h>
#include <string.h>

#include "tests/props.h"
#include "tests/test.h"

/* Non-default configurations worth testing; an index missing from the
 * registry is skipped so this list can name indexes still being written. */
static const char *const extra_configs[] = {
	"binsearch:search=binary",
	"binsearch:search=interpolation",
	"btree:node=4",
	"btree:node=8:prefetch=0",
	"btree:node=5:fill=0.5",
	"btree:node=64:fill=0.7",
	"btree:node=16:prefetch=1",
	"btree:node=100:fill=0.9",
	"btree:append=0",
	"btree:node=4:append=0",
	"stree:leaf=ref",
	"rbs:bits=1",
	"rbs:bits=24",
	"rbs:bits=4:search=linear",
	"rbs:bits=8:search=exponential",
	"rbs:search=interpolation",
	"isearch:tail=1",
	"isearch:tail=64",
	"hash:load=0.9",
	"hash:load=0.25",
	"hash:load=0.1",
	"robinhood:load=0.95",
	"robinhood:load=0.5",
	"alex:max_node_bytes=4096",
	"alex:max_node_bytes=1024:min_density=0.5:init_density=0.5:max_density=0.55",
	"alex:max_density=0.95:min_density=0.9:init_density=0.9",
	"alex:search=linear:max_node_bytes=4096",
	"alex:search=branchless",
	"pgm:eps=1:eps_rec=1",
	"pgm:eps=0:eps_rec=0",
	"pgm:eps=16:search=branchless",
	"pgm:eps=8:eps_rec=2:search=linear",
	"pgm:eps=4:search=exponential",
	"pgm:eps=32:search=interpolation",
	"dpgm:eps=2:buffer=1",
	"dpgm:eps=0:buffer=7",
	"dpgm:eps=16:buffer=64",
	"tsli:eps=0:dir_eps=0:seg_max=16",
	"tsli:eps=8:dir_eps=1:buffer=2",
	"tsli:eps=4:buffer=7:seg_max=100",
	"tsli:eps=256:dir_eps=64:buffer=1000",
	"rs:err=1",
	"rs:radix_bits=1",
	"rs:radix_bits=30:err=2",
	"rs:err=4:search=linear",
	"rs:err=64:search=exponential",
	"rs:search=branchless",
	"rs:search=interpolation",
	"rmi:top=linear",
	"rmi:top=robust_linear",
	"rmi:top=cubic:branch=64",
	"rmi:top=cubic",
	"rmi:top=radix",
	"rmi:top=radix:branch=100",
	"rmi:top=auto:budget=100000",
	"rmi:top=auto",
	"rmi:top=linear:search=linear",
	"rmi:branch=2^20:search=exponential",
	"rmi:search=branchless",
	"rmi:top=linear_spline:branch=64:search=interpolation",
	"lmdb:batch=1",
	"lmdb:snapshot=op:batch=7",
	"lmdb:map=65536",
	"lmdb:writemap=1:sync=1",
	"sqlite:without_rowid=1",
	"sqlite:batch=1:mmap=0",
	"sqlite:page=512:batch=3",
	"sqlite:page=65536:without_rowid=1",
	"rocksdb:table=plain",
	"rocksdb:batch=1:wal=1",
	"rocksdb:bloom_bits=0:batch=7",
	NULL,
};

int main(int argc, char **argv)
{
	/* argv[1], if given, restricts the run to one index name or spec. */
	const char *only = argc > 1 ? argv[1] : NULL;
	for (int i = 0; index_registry[i]; i++) {
		const char *name = index_registry[i]->name;
		size_t len = strlen(name);
		if (only && (strncmp(only, name, len) || (only[len] && only[len] != ':')))
			continue;
		long f = props_check_index(only ? only : name);
		printf("%-12s %s\n", name, f ? "FAILED" : "ok");
		fflush(stdout);
	}
	for (int i = 0; extra_configs[i]; i++) {
		char name[64];
		snprintf(name, sizeof name, "%s", extra_configs[i]);
		char *c = strchr(name, ':');
		if (c)
			*c = 0;
		if (!index_find(name) || (only && strcmp(only, name)))
			continue;
		long f = props_check_index(extra_configs[i]);
		printf("%-32s %s\n", extra_configs[i], f ? "FAILED" : "ok");
		fflush(stdout);
	}
	TEST_MAIN_END();
}
