/*
 * datasets/convert.c — real data into SOSD format.
 *
 * ipv4geo: IP-to-location is a real lower-bound workload.  geoip-lite (npm)
 * ships MaxMind GeoLite data as fixed 24-byte records sorted by the first
 * address of each IPv4 block; finding the block of an address is finding the
 * greatest first address <= it.  The keys are those first addresses.
 */
#include "datasets/convert.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


#include "datasets/dataset.h"

#define GEOIP_RECORD 24

int convert_geoip_city(const char *in_path, const char *out_path, uint64_t *n_out,
		       char *err, size_t errlen)
{
	FILE *f = fopen(in_path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", in_path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", in_path);
		fclose(f);
		return -1;
	}
	size_t size = (size_t)st.st_size;
	if (size == 0) {
		snprintf(err, errlen, "%s: empty file, no records", in_path);
		fclose(f);
		return -1;
	}
	if (size % GEOIP_RECORD) {
		snprintf(err, errlen, "%s: %zu bytes is not a whole number of %d-byte records "
			 "(truncated record at byte %zu)", in_path, size, GEOIP_RECORD,
			 size - size % GEOIP_RECORD);
		fclose(f);
		return -1;
	}
	size_t n = size / GEOIP_RECORD;
	uint64_t *keys = malloc(n * sizeof *keys);
	if (!keys) {
		snprintf(err, errlen, "out of memory for %zu keys", n);
		fclose(f);
		return -1;
	}
	unsigned char rec[GEOIP_RECORD];
	for (size_t i = 0; i < n; i++) {
		if (fread(rec, 1, GEOIP_RECORD, f) != GEOIP_RECORD) {
			snprintf(err, errlen, "%s: read failed at record %zu", in_path, i);
			free(keys);
			fclose(f);
			return -1;
		}
		keys[i] = (uint64_t)rec[0] << 24 | (uint64_t)rec[1] << 16 |
			  (uint64_t)rec[2] << 8 | rec[3];
		if (i && keys[i] < keys[i - 1]) {
			snprintf(err, errlen, "%s: records not sorted: record %zu starts at %llu, "
				 "before record %zu (%llu)", in_path, i, (unsigned long long)keys[i],
				 i - 1, (unsigned long long)keys[i - 1]);
			free(keys);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	int rc = dataset_write(out_path, keys, n, 64, err, errlen);
	free(keys);
	if (!rc && n_out)
		*n_out = n;
	return rc;
}

/* SOSD's downsample: every 4th key of the 800M books and osm files. */
static int convert_every4(const char *in, const char *out, uint64_t *n_out, char *err,
			  size_t errlen)
{
	struct dataset d;
	if (dataset_open(in, &d, err, errlen))
		return -1;
	size_t m = (d.n + 3) / 4;
	uint64_t *k = malloc((m ? m : 1) * sizeof *k);
	if (!k) {
		dataset_close(&d);
		snprintf(err, errlen, "out of memory for %zu keys", m);
		return -1;
	}
	for (size_t i = 0; i < m; i++)
		k[i] = d.keys[4 * i];
	int rc = dataset_write(out, k, m, d.width, err, errlen);
	dataset_close(&d);
	free(k);
	*n_out = m;
	return rc;
}

int convert_main(int argc, char **argv)
{
	static const char usage[] = "usage: omenbench convert geoip-city IN.dat OUT_uint64\n"
				    "       omenbench convert every4 IN OUT   (SOSD's 800M -> 200M downsample)\n";
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc != 4 || (strcmp(argv[1], "geoip-city") && strcmp(argv[1], "every4"))) {
		fprintf(stderr, "omenbench: convert: need geoip-city IN.dat OUT_uint64 or every4 IN OUT "
				"(see omenbench convert --help)\n");
		return 2;
	}
	char err[1200];
	uint64_t n = 0;
	int rc = !strcmp(argv[1], "every4") ? convert_every4(argv[2], argv[3], &n, err, sizeof err)
					     : convert_geoip_city(argv[2], argv[3], &n, err, sizeof err);
	if (rc) {
		fprintf(stderr, "omenbench: convert: %s\n", err);
		return 2;
	}
	printf("wrote %s (%llu keys from %s)\n", argv[3], (unsigned long long)n, argv[2]);
	return 0;
}
