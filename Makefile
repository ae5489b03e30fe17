# gilscope -- one non-recursive Makefile.
#
#   make                      build ./gilscope (objects in build/release/)
#   make test                 install missing packages, build, run every test
#   make demo                 install missing packages, build, run the demo
#   make bench                gilscope vs python3 vs lua5.4; the GIL experiments
#   make SANITIZER=address    (or undefined, thread) objects and binary in
#                             build/address/; `make test SANITIZER=...` tests it
#   make install PREFIX=/usr DESTDIR=/tmp/pkg;  make uninstall;  make clean
#
# Test selection:  make test UNIT='lexer parser'   only those cmocka drivers
#                  make test UNIT=none             no cmocka drivers
#                  make test PROGRAMS=none         no workload programs
#                  make test PROGRAMS='tests/programs/str_*.py'
#                  make test SUITES='gil modes'   only these suites (SUITES=none: no suites;
#                                                 see the list above the test target)
#
# Variables a user may set: CC CFLAGS CPPFLAGS LDFLAGS LDLIBS PREFIX DESTDIR
# SANITIZER BUILD V=1 (show commands) JOBS (parallel test programs).

.DEFAULT_GOAL := all

# Build on every core unless told otherwise (a -jN on the command line wins).
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DESTDIR ?=
PKG_CONFIG ?= pkg-config
PYTHON  ?= python3
JOBS    ?= 2

SANITIZER ?=
ifneq ($(SANITIZER),)
ifeq ($(filter $(SANITIZER),address undefined thread),)
$(error SANITIZER must be one of: address undefined thread (got '$(SANITIZER)'))
endif
endif
BUILD ?= build/$(or $(SANITIZER),release)

# The default build puts the binary at the top; a sanitizer build keeps it in
# its build directory so it never shadows the normal one.
ifeq ($(SANITIZER),)
BIN := gilscope
else
BIN := $(BUILD)/gilscope
endif

# libgilscope-preload.so (`gilscope trace`) sits next to the binary, where
# gilscope looks for it; it is never sanitized (it runs inside CPython).
ifeq ($(SANITIZER),)
PRELOAD := libgilscope-preload.so
else
PRELOAD := $(BUILD)/libgilscope-preload.so
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

# ---- set-up: missing Debian packages ---------------------------------------
# The goals that promise a working set-up install what is missing first,
# exactly once per make invocation, before anything is built.
# (`make fuzz` too: it needs clang and libclang-rt.)
ifneq ($(filter test demo bench deps fuzz,$(MAKECMDGOALS)),)
DEPS_RC := $(shell scripts/deps.sh 1>&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error scripts/deps.sh failed (see above))
endif
endif

# ---- sources ----------------------------------------------------------------
SRCS := $(wildcard main.c interp/*.c interp/modules/*.c bench/*.c viz/*.c)
OBJS := $(SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/main.o
LIB_OBJS := $(filter-out $(MAIN_OBJ),$(OBJS))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_ALL  := $(patsubst tests/unit/test_%.c,%,$(UNIT_SRCS))
comma := ,
UNIT ?= $(UNIT_ALL)
UNIT_REQ := $(subst $(comma), ,$(UNIT))
UNIT_UNKNOWN := $(filter-out $(UNIT_ALL) none,$(UNIT_REQ))
ifneq ($(UNIT_UNKNOWN),)
$(error unknown unit test(s): $(UNIT_UNKNOWN) (have: $(UNIT_ALL)))
endif
UNIT_BINS := $(addprefix $(BUILD)/tests/test_,$(filter $(UNIT_ALL),$(UNIT_REQ)))

PROGRAMS ?= all
ifneq ($(filter 0 none no,$(PROGRAMS)),)
PROGRAM_ARGS := --no-programs
else ifeq ($(PROGRAMS),all)
PROGRAM_ARGS :=
else
PROGRAM_ARGS := $(PROGRAMS)
endif

# ---- libraries (pkg-config) -------------------------------------------------
# PKGS are linked into gilscope.  The viewer and chart exporter (viz/) bring
# cairo, pango and SDL2 once their sources exist.
PKGS := zlib
ifneq ($(wildcard viz/*.c),)
PKGS += cairo pangocairo sdl2
endif
TEST_PKGS := cmocka

# pkg-config module -> the Debian package that provides it.
deb_zlib       := zlib1g-dev
deb_cmocka     := libcmocka-dev
deb_cairo      := libcairo2-dev
deb_pangocairo := libpango1.0-dev
deb_sdl2       := libsdl2-dev

NO_BUILD_GOALS := clean uninstall deps
ifneq ($(filter-out $(NO_BUILD_GOALS),$(or $(MAKECMDGOALS),all)),)
NEED_PKGS := $(PKGS) $(if $(and $(filter test,$(MAKECMDGOALS)),$(UNIT_SRCS)),$(TEST_PKGS))
ifeq ($(shell command -v $(PKG_CONFIG)),)
$(error $(PKG_CONFIG) not found: install the Debian package pkg-config (or run 'make deps' as root))
endif
MISSING_PKGS := $(strip $(foreach p,$(NEED_PKGS),$(if $(shell $(PKG_CONFIG) --exists $(p) && echo y),,$(p))))
ifneq ($(MISSING_PKGS),)
$(error pkg-config cannot find: $(MISSING_PKGS). Install the Debian package(s) \
$(foreach p,$(MISSING_PKGS),$(or $(deb_$(p)),$(p))) (as root: 'make deps'; \
otherwise: sudo apt-get install $(foreach p,$(MISSING_PKGS),$(or $(deb_$(p)),$(p)))))
endif
PKG_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS    := $(shell $(PKG_CONFIG) --libs $(PKGS))
ifneq ($(UNIT_BINS),)
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)
endif
endif

# ---- flags --------------------------------------------------------------------
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifneq ($(filter true 1 yes,$(CI)),)
WARNINGS += -Werror
endif

ifeq ($(SANITIZER),)
# Link-time optimisation lets the VM inline the object layer's small helpers.
OPT := -O2 -g -flto=auto
SAN :=
else
OPT := -O1 -g
SAN := -fsanitize=$(SANITIZER) -fno-omit-frame-pointer
ifeq ($(SANITIZER),undefined)
SAN += -fno-sanitize-recover=undefined
endif
endif

# User CFLAGS/CPPFLAGS/LDFLAGS/LDLIBS come last so they win.
ALL_CPPFLAGS := -D_GNU_SOURCE -I. -Iinterp $(CPPFLAGS)
ALL_CFLAGS   := -std=c11 $(WARNINGS) $(OPT) $(SAN) -pthread $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS  := $(OPT) $(SAN) -pthread $(LDFLAGS)
ALL_LDLIBS   := $(PKG_LIBS) -lm $(LDLIBS)

# Objects are rebuilt when the flags change (CI=true, CFLAGS=..., ...).
FLAGS_FILE := $(BUILD)/flags
FLAGS_NOW  := $(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(ALL_LDLIBS)
ifneq ($(filter-out $(NO_BUILD_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(strip $(FLAGS_NOW)),$(strip $(file <$(FLAGS_FILE))))
$(shell mkdir -p $(BUILD))
$(file >$(FLAGS_FILE),$(FLAGS_NOW))
endif
endif

# ---- build ------------------------------------------------------------------
.PHONY: all test bench demo install uninstall clean deps

all: $(BIN) $(PRELOAD)

$(BIN): $(OBJS) $(FLAGS_FILE)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) $(OBJS) -o $@ $(ALL_LDLIBS)

$(BUILD)/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The preload library: plain C11, only libc/libdl, no object of gilscope's.
PRELOAD_SRCS := $(wildcard trace/*.c)
$(PRELOAD): $(PRELOAD_SRCS) $(wildcard trace/*.h) $(FLAGS_FILE)
	@mkdir -p $(@D)
	@echo "  CC LD   $@"
	$(Q)$(CC) -D_GNU_SOURCE $(CPPFLAGS) -std=c11 $(WARNINGS) -O2 -g -fPIC -fvisibility=hidden -pthread \
		$(CFLAGS) -shared $(PRELOAD_SRCS) -o $@ $(LDFLAGS) -ldl

# The interpreter loop: keep one indirect jump per opcode (GCC's
# cross-jumping would merge them into one, as slow as a switch).
$(BUILD)/interp/vm.o: ALL_CFLAGS += -fno-crossjumping -fno-tree-slp-vectorize

# The modules written in Python are embedded with .incbin (interp/pylib.c).
$(BUILD)/interp/pylib.o: $(wildcard interp/lib/*.py)
# ... and the sitecustomize.py `gilscope trace` puts on PYTHONPATH (bench/cpytrace.c).
$(BUILD)/bench/cpytrace.o: trace/sitecustomize.py

# One cmocka driver per module, linked with every object but main's.
$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB_OBJS) $(FLAGS_FILE)
	@mkdir -p $(@D)
	@echo "  CC LD   $<"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(TEST_CFLAGS) -MMD -MP -MF $@.d \
		$< $(LIB_OBJS) -o $@ $(ALL_LDFLAGS) $(TEST_LIBS) $(ALL_LDLIBS)

$(FLAGS_FILE): ;

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d)

# ---- the two commands, and friends --------------------------------------------
deps:
	@echo "deps: all Debian packages present"

# Every test: cmocka drivers (each under a 120 s timeout) and the workload
# programs (each under gilscope and python3), one closing "N passed, N failed".
# The suites beside the unit drivers and programs, each closing with its own
# "N passed, N failed" (counted in):
#   gil      the GIL policies and the tracer, checked through traces
#   cpython  `gilscope trace` on this machine's real CPythons
#   modes    the threading programs under --mode threads, processes, sequential
#   bench    `gilscope bench`: table, JSON, CSV, charts, presets
#   export   `gilscope export`: PNG pixels, SVG, PDF, Perfetto JSON
#   viewer   `gilscope view` off-screen and under xvfb-run
#   bad      the bad-input corpus: options and damaged traces (tests/bad/cases.txt)
#   faults   SIGKILLed workers, a file-size limit, a full disk, tiny tracer buffers
#   stress   256 threads under every policy, 64 processes, 32+32 queue users
# SUITES='gil modes' picks some, SUITES=none skips them (GILTESTS=none drops
# gil and cpython).  ThreadSanitizer builds run the threading ones (pango and
# fontconfig are not instrumented: their own threads give false reports) and
# the GIL checks at a tenth of the work.
ifeq ($(SANITIZER),thread)
SUITES ?= gil modes stress
GIL_SCALE ?= 0.1
else
SUITES ?= gil cpython modes bench export viewer bad faults stress
GIL_SCALE ?= 1
endif
GILTESTS ?= all
ifneq ($(filter 0 none no,$(GILTESTS)),)
SUITES := $(filter-out gil cpython,$(SUITES))
endif
SUITE_CMD_gil     = $(PYTHON) tests/run_gil_tests.py --gilscope $(BIN) --scale $(GIL_SCALE)
SUITE_CMD_cpython = $(PYTHON) tests/run_cpython_trace_tests.py --gilscope $(BIN)
SUITE_CMD_modes   = sh tests/run_modes.sh $(BIN)
SUITE_CMD_bench   = $(PYTHON) tests/run_bench_tests.py --gilscope $(BIN)
SUITE_CMD_export  = $(PYTHON) tests/run_export_tests.py --gilscope $(BIN)
SUITE_CMD_viewer  = $(PYTHON) tests/run_viewer_tests.py --gilscope $(BIN)
SUITE_CMD_bad     = $(PYTHON) tests/run_bad_tests.py --gilscope $(BIN)
SUITE_CMD_faults  = $(PYTHON) tests/run_fault_tests.py --gilscope $(BIN)
SUITE_CMD_stress  = $(PYTHON) tests/run_stress_tests.py --gilscope $(BIN) --scale $(GIL_SCALE)
SUITE_ARGS := $(foreach s,$(filter gil cpython modes bench export viewer bad faults stress,$(SUITES)),--suite "$(SUITE_CMD_$(s))")

# ==== fuzzing (libFuzzer) -- begin ============================================
#   make fuzz FUZZ_SECONDS=N   build every tests/fuzz/fuzz_*.c target and run
#                              each for N seconds (default 60), printing its
#                              executions; a crash, hang or leak fails it.
# The targets: compile (lexer, parser, compiler on any bytes), trace (any
# bytes as a .gilt: reader, stats, viewer model), replay (the viewer's replay
# scripts), preset (experiment presets).  Objects go to build/fuzz/, compiled
# by clang with -fsanitize=fuzzer-no-link,address,undefined; seeds, corpora
# and crash inputs are in build/fuzz/ too (tests/fuzz/run_fuzz.py).
#
# The `fuzz` suite of `make test` runs each target for FUZZ_SUITE_SECONDS
# (7: about 30 s in all) and replays every input kept under
# tests/fuzz-regressions/TARGET/.  It is in the default SUITES of the normal
# build only: the fuzz build is ASan+UBSan already, whatever SANITIZER says,
# so `make test SANITIZER=address|undefined` would only repeat it, and
# ThreadSanitizer cannot be combined with AddressSanitizer.  SUITES=fuzz asks
# for it explicitly under any SANITIZER.
FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
FUZZ_SUITE_SECONDS ?= 7
FUZZ_BUILD    := build/fuzz
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS   := -std=c11 $(WARNINGS) -O1 -g -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION $(FUZZ_SAN) -fsanitize=fuzzer-no-link -pthread $(PKG_CFLAGS) $(CFLAGS)
FUZZ_LDFLAGS  := -g $(FUZZ_SAN) -fsanitize=fuzzer -pthread $(LDFLAGS)
FUZZ_OBJS     := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(filter-out main.c,$(SRCS)))
FUZZ_NAMES    := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS     := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_FLAGS_FILE := $(FUZZ_BUILD)/flags
FUZZ_FLAGS_NOW  := $(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_LDFLAGS) $(ALL_LDLIBS)

ifeq ($(origin SUITES),file)
ifeq ($(SANITIZER),)
SUITES += fuzz
endif
endif
SUITE_CMD_fuzz = $(PYTHON) tests/fuzz/run_fuzz.py --suite --bindir $(FUZZ_BUILD) --gilscope $(BIN) \
	--seconds $(FUZZ_SUITE_SECONDS)
ifneq ($(filter fuzz,$(SUITES)),)
SUITE_ARGS += --suite "$(SUITE_CMD_fuzz)"
test: $(FUZZ_BINS)
endif

ifneq ($(filter fuzz fuzz-build test,$(MAKECMDGOALS)),)
ifneq ($(strip $(FUZZ_FLAGS_NOW)),$(strip $(file <$(FUZZ_FLAGS_FILE))))
$(shell mkdir -p $(FUZZ_BUILD))
$(file >$(FUZZ_FLAGS_FILE),$(FUZZ_FLAGS_NOW))
endif
endif

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)
fuzz: $(FUZZ_BINS) $(BIN)
	$(Q)$(PYTHON) tests/fuzz/run_fuzz.py --bindir $(FUZZ_BUILD) --gilscope $(BIN) --seconds $(FUZZ_SECONDS)

$(FUZZ_BUILD)/%.o: %.c $(FUZZ_FLAGS_FILE)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/interp/pylib.o: $(wildcard interp/lib/*.py)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) $(FUZZ_FLAGS_FILE)
	@mkdir -p $(@D)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -MF $@.d $< $(FUZZ_OBJS) -o $@ \
		$(FUZZ_LDFLAGS) $(ALL_LDLIBS)

# (the objects are no intermediate files to delete after linking)
.SECONDARY: $(FUZZ_OBJS)
$(FUZZ_FLAGS_FILE): ;
-include $(FUZZ_OBJS:.o=.d) $(FUZZ_BINS:=.d)
# ==== fuzzing (libFuzzer) -- end ==============================================

# fontconfig's process-lifetime caches are not leaks of ours (tests/lsan.supp).
TEST_ENV := LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

test: $(BIN) $(PRELOAD) $(UNIT_BINS)
	$(Q)$(TEST_ENV) $(PYTHON) tests/run_programs.py --gilscope $(BIN) --jobs $(JOBS) \
		$(addprefix --unit ,$(UNIT_BINS)) $(PROGRAM_ARGS) $(SUITE_ARGS)

bench: $(BIN) $(PRELOAD)
	$(Q)$(PYTHON) bench/run.py --gilscope $(BIN)
	$(Q)$(PYTHON) bench/gil.py --gilscope $(BIN)
	$(Q)$(PYTHON) bench/cpytrace.py --gilscope $(BIN)
	$(Q)$(PYTHON) bench/viz.py --gilscope $(BIN)

# The headline comparison: countdown in 2 threads vs 2 processes vs
# sequentially, newgil and legacy; the table, the bar chart, and (when
# `gilscope export` exists) timelines from the kept traces.
COUNTDOWN := data/workloads/countdown.py
DEMO_COUNT ?= 20000000
demo: $(BIN)
	$(Q)rm -rf out/traces && mkdir -p out
	$(Q)./$(BIN) bench $(COUNTDOWN) --modes sequential,threads,processes --gil newgil,legacy \
		--threads 2 --repeat 3 --keep-traces out/traces --chart out/bench.png -- $(DEMO_COUNT)
	@echo "out/bench.png"
	$(Q)if ./$(BIN) --help | grep -q '^  export'; then \
		t() { ls out/traces/*-countdown-$$1-$$2-t2-*-r1.gilt | head -1; }; \
		./$(BIN) export "$$(t threads newgil)" "$$(t processes newgil)" -o out/threads-vs-processes.png && \
		echo "out/threads-vs-processes.png"; \
		./$(BIN) export "$$(t threads legacy)" "$$(t threads newgil)" -o out/legacy-vs-newgil.png && \
		echo "out/legacy-vs-newgil.png"; \
	else echo "(no 'gilscope export' yet: no timelines)"; fi
	$(Q)if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ -z "$$CI" ] && [ -f out/threads-vs-processes.png ]; then \
		t() { ls out/traces/*-countdown-$$1-$$2-t2-*-r1.gilt | head -1; }; \
		echo "opening the viewer on threads vs processes (? for keys, Q to quit)"; \
		./$(BIN) view "$$(t threads newgil)" "$$(t processes newgil)" || true; \
	fi

install: $(BIN) $(PRELOAD)
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/gilscope
	install -m 755 $(PRELOAD) $(DESTDIR)$(BINDIR)/libgilscope-preload.so

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gilscope $(DESTDIR)$(BINDIR)/libgilscope-preload.so

clean:
	rm -rf build gilscope libgilscope-preload.so
