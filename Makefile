# omenbench — build, test and benchmark.
#
#   make            build ./omenbench (-O3 -march=$(ARCH))
#   make test       sanitizer build (ASan+UBSan) + every test; last line "N passed, N failed"
#   make bench      the full benchmark: results/bench.csv, plots, REPORT.md (QUICK=1 for a short run)
#
# Dependencies (Debian packages) are checked before the first compile and
# installed by scripts/deps.sh when missing.

CC       := gcc
ARCH     ?= native
WARN     := -std=gnu11 -Wall -Wextra -Werror
# One include path, the repository root: every project header is named by
# its folder ("common/params.h", "indexes/index.h"), so an include says
# which layer it reaches into (tests/cli/layers.sh checks the rules).
INCLUDES := -I.
LIBS     := -lsqlite3 -llmdb -lrocksdb -lxxhash -lm -lpthread

BENCH_FLAGS   := -O3 -march=$(ARCH) -g
TEST_FLAGS    := -O1 -g -march=$(ARCH) -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TSAN_FLAGS    := -O1 -g -march=$(ARCH) -fsanitize=thread -fno-omit-frame-pointer
# valgrind has no AVX-512: the regression build stops at x86-64-v3.
REGRESS_ARCH  ?= x86-64-v3
REGRESS_FLAGS := -O3 -march=$(REGRESS_ARCH) -g
# Each binary records the flags it was built with in every CSV row.
BENCH_CFLAGS   := $(WARN) $(BENCH_FLAGS) -pthread $(INCLUDES) -DOMEN_CFLAGS='"$(BENCH_FLAGS)"'
TEST_CFLAGS    := $(WARN) $(TEST_FLAGS) -pthread $(INCLUDES) -DOMEN_CFLAGS='"$(TEST_FLAGS)"'
TSAN_CFLAGS    := $(WARN) $(TSAN_FLAGS) -pthread $(INCLUDES) -DOMEN_CFLAGS='"$(TSAN_FLAGS)"'
REGRESS_CFLAGS := $(WARN) $(REGRESS_FLAGS) -pthread $(INCLUDES) -DOMEN_CFLAGS='"$(REGRESS_FLAGS)"'

# build/version.h names the commit; rewritten only when it changes, so the
# files that include it rebuild exactly then.
COMMIT := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
$(shell mkdir -p build && printf '#define OMEN_COMMIT "%s"\n' '$(COMMIT)' > build/version.h.tmp && \
	(cmp -s build/version.h.tmp build/version.h || mv build/version.h.tmp build/version.h); rm -f build/version.h.tmp)

LIB_SRC  := $(filter-out harness/main.c,$(wildcard common/*.c harness/*.c indexes/*.c workloads/*.c datasets/*.c report/*.c))
TEST_SRC := $(wildcard tests/test_*.c)
TEST_LIB := $(filter-out $(TEST_SRC),$(wildcard tests/*.c))

BENCH_OBJ := $(LIB_SRC:%.c=build/bench/%.o)
TEST_OBJ  := $(LIB_SRC:%.c=build/test/%.o) $(TEST_LIB:%.c=build/test/%.o)
REGRESS_OBJ := $(LIB_SRC:%.c=build/regress/%.o)
TSAN_OBJ    := $(LIB_SRC:%.c=build/tsan/%.o)
TEST_BINS := $(TEST_SRC:tests/%.c=build/test/%)

DEPS_OK := build/.deps-ok

.SECONDARY:
.PHONY: all test bench plots report sosd reference regress regress-update deps clean
all: omenbench

$(DEPS_OK):
	@scripts/deps.sh
	@mkdir -p build && touch $@

deps:
	@scripts/deps.sh

build/bench/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -MMD -MP -c $< -o $@

build/test/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -MMD -MP -c $< -o $@

build/tsan/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(TSAN_CFLAGS) -MMD -MP -c $< -o $@

build/regress/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(REGRESS_CFLAGS) -MMD -MP -c $< -o $@

# Linked under a temporary name and renamed: a benchmark running from this
# binary never sees a half-written file.
omenbench: build/bench/harness/main.o $(BENCH_OBJ)
	$(CC) $(BENCH_CFLAGS) $^ -o $@.tmp $(LIBS) && mv $@.tmp $@

build/test/omenbench: build/test/harness/main.o $(TEST_OBJ)
	$(CC) $(TEST_CFLAGS) $^ -o $@ $(LIBS)

# ThreadSanitizer build for the multi-threaded tests (tests/cli/threads.sh).
build/tsan/omenbench: build/tsan/harness/main.o $(TSAN_OBJ)
	$(CC) $(TSAN_CFLAGS) $^ -o $@ $(LIBS)

build/regress/omenbench: build/regress/harness/main.o $(REGRESS_OBJ)
	$(CC) $(REGRESS_CFLAGS) $^ -o $@ $(LIBS)

build/test/test_%: build/test/tests/test_%.o $(TEST_OBJ)
	$(CC) $(TEST_CFLAGS) $^ -o $@ $(LIBS)

# The rank ladder (indexes/simd_rank.h) has AVX-512, AVX2 and plain-C paths
# chosen at compile time; its test and the PGM walk's (which needs pgm.c
# alone) also run built for the other two.
PORTABLE_ARCHS := x86-64-v3 x86-64
PGM_TEST_SRC   := tests/test_pgm.c tests/testlib.c indexes/pgm.c indexes/ix_common.c common/params.c common/message.c
SIMD_TEST_SRC  := tests/test_simd_rank.c tests/testlib.c
PORTABLE_TESTS := $(PORTABLE_ARCHS:%=build/test-%/test_pgm) $(PORTABLE_ARCHS:%=build/test-%/test_simd_rank)
build/test-%/test_pgm: $(PGM_TEST_SRC) indexes/pgm_core.h indexes/lastmile.h indexes/simd_rank.h indexes/index.h | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(subst -march=$(ARCH),-march=$*,$(TEST_CFLAGS)) $(PGM_TEST_SRC) -o $@ -lm
build/test-%/test_simd_rank: $(SIMD_TEST_SRC) indexes/simd_rank.h tests/test.h | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(subst -march=$(ARCH),-march=$*,$(TEST_CFLAGS)) $(SIMD_TEST_SRC) -o $@

# A full disk for the fault tests (tests/cli/faults.sh), loaded with
# LD_PRELOAD: no sanitizer, it wraps libc's write calls.
build/test/faultfs.so: tests/shim/faultfs.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g -fPIC -shared $< -o $@ -ldl

test: $(TEST_BINS) $(PORTABLE_TESTS) build/test/omenbench omenbench build/regress/omenbench build/tsan/omenbench build/test/faultfs.so
	@scripts/run-tests.sh $(TEST_BINS) $(PORTABLE_TESTS)

# The benchmark (QUICK=1 for a short run; N=, DATA=, REPS= to change it).
bench: omenbench
	@scripts/bench.sh

plots: omenbench
	@scripts/plots.sh $(or $(CSV),results/bench.csv) results/plots

# The SOSD section comes from results/sosd.csv, the authors'-code section
# from results/reference.csv (scripts/reference.sh table), as bench.sh does.
report: omenbench
	./omenbench report --csv $(or $(CSV),results/bench.csv) --out REPORT.md --plots results/plots \
		$(if $(wildcard results/sosd.csv),--sosd results/sosd.csv)
	$(if $(wildcard results/reference.csv),README= scripts/reference.sh table)

# build/reference/omenbench: omenbench plus the authors' own code, each
# behind the index contract (indexes/reference/): `refpgm` (PGM-index),
# `refrs` (RadixSpline), `refrmi` (analysis-rmi's header-only RMI), `refalex`
# (ALEX) and `reftlx` (tlx's btree_map), to measure ours against theirs in
# one run.  REF_* name checkouts of gvinciguerra/PGM-index,
# learnedsystems/RadixSpline, BigDataAnalyticsGroup/analysis-rmi,
# microsoft/ALEX and tlx/tlx; `make reference` builds this binary and runs
# scripts/reference.sh (SIZES=, QUICK=1 for a short run).  Not built by
# default and never by `make test`: it needs those checkouts.
REF_PGM  ?= ../PGM-index
REF_RS   ?= ../RadixSpline
REF_RMI  ?= ../analysis-rmi
REF_ALEX ?= ../ALEX
REF_TLX  ?= ../tlx
# One header per checkout, to say which is missing before compiling.
REF_FILES := $(REF_PGM)/include/pgm/pgm_index.hpp $(REF_RS)/include/rs/radix_spline.h \
	$(REF_RMI)/include/rmi/rmi.hpp $(REF_ALEX)/src/core/alex.h \
	$(REF_TLX)/tlx/container/btree_map.hpp
REF_CFLAGS   := $(BENCH_CFLAGS) -DOMEN_REFERENCE
# -MD (not -MMD) on the wrappers: the checkouts are -isystem, and their
# headers must be in the dependency files, which scripts/reference.sh reads
# to record the sha1 of every header compiled.
REF_CXXFLAGS := -std=c++17 $(BENCH_FLAGS) -DNDEBUG -Wall -Wextra $(INCLUDES) \
	-isystem $(REF_PGM)/include -isystem $(REF_RS)/include \
	-isystem $(REF_RMI)/include -isystem $(REF_ALEX)/src -isystem $(REF_TLX)
REF_NAMES := refpgm refrs refrmi refalex reftlx
REF_OBJ := $(LIB_SRC:%.c=build/reference/%.o) \
	$(REF_NAMES:%=build/reference/indexes/reference/%.o)
build/reference/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(REF_CFLAGS) -MMD -MP -c $< -o $@
build/reference/%.o: %.cc | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@missing=""; for f in $(REF_FILES); do [ -f "$$f" ] || missing="$$missing $$f"; done; \
		[ -z "$$missing" ] || { echo "make reference: missing$$missing: set REF_PGM REF_RS REF_RMI REF_ALEX REF_TLX to checkouts of gvinciguerra/PGM-index learnedsystems/RadixSpline BigDataAnalyticsGroup/analysis-rmi microsoft/ALEX tlx/tlx (scripts/reference.sh)" >&2; exit 2; }
	g++ $(REF_CXXFLAGS) -MD -MP -c $< -o $@
build/reference/omenbench: build/reference/harness/main.o $(REF_OBJ)
	$(CC) $(REF_CFLAGS) $^ -o $@ $(LIBS) -lstdc++
reference: build/reference/omenbench omenbench
	@REF_PGM=$(REF_PGM) REF_RS=$(REF_RS) REF_RMI=$(REF_RMI) REF_ALEX=$(REF_ALEX) \
		REF_TLX=$(REF_TLX) scripts/reference.sh

# SOSD's protocol on SOSD's data sets when present, else synthetic ones (N=).
sosd: omenbench $(if $(REF),build/reference/omenbench)
	@scripts/sosd.sh

# Deterministic regression check: instructions and simulated cache misses
# per operation under valgrind, against results/baseline/regress.csv.
regress: build/regress/omenbench
	@scripts/regress.sh check

regress-update: build/regress/omenbench
	@scripts/regress.sh update

clean:
	rm -rf build omenbench

-include $(shell find build -name '*.d' 2>/dev/null)
