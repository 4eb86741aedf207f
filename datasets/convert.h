/*
 * datasets/convert.h — converters from downloaded data to SOSD format.
 */
#ifndef OMENBENCH_CONVERT_H
#define OMENBENCH_CONVERT_H

#include <stddef.h>
#include <stdint.h>

/* geoip-lite's data/geoip-city.dat: records of 24 bytes, each starting with
 * the big-endian uint32 first address of an IPv4 block (then its last
 * address and location data).  Writes the first addresses, as uint64, in
 * SOSD format to out_path (atomically).  0, or -1 with one line in err. */
int convert_geoip_city(const char *in_path, const char *out_path, uint64_t *n_out,
		       char *err, size_t errlen);

/* `omenbench convert geoip-city IN OUT` */
int convert_main(int argc, char **argv);

#endif
