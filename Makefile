# fence_recorder: a Pacemaker fence agent recording to SQLite, and fencectl.
#
#   make            build everything (-Wall -Wextra -Werror)
#   make check      install missing build/test packages, build, run all tests
#   make demo       a real fence through the agent against the example responder
#   make asan       the test suite under AddressSanitizer + UBSan
#   make valgrind   the test suite with every binary under valgrind
#   make fuzz       libFuzzer on the parsers, FUZZ_SECONDS each (default 60)
#   make chaos      the randomized fault run, CHAOS_ROUNDS from CHAOS_SEED
#   make bench      benchmarks (figures with the machine noted, never assertions)
#   make install    install (PREFIX, DESTDIR, SBINDIR)

VERSION   := 0.1.0
PREFIX    ?= /usr
SBINDIR   ?= $(PREFIX)/sbin
# Programs that are not commands for people: the recorder the agent starts
# and the example responder.
LIBEXECDIR ?= $(PREFIX)/lib/fence-recorder
# Not from the environment (the tests export BUILD); `make BUILD=dir` works.
BUILD     := build

CC        ?= cc
PKGS      := sqlite3 libcjson uuid
CFLAGS    ?= -O2 -g
WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lsqlite3 -lcjson -luuid) -lm
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SAN) -D_GNU_SOURCE -DFR_VERSION='"$(VERSION)"' \
             -Ilib -I$(BUILD) $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN)
# Pacemaker's XML is read with libxml2 (Pacemaker's own XML library) by
# one reader, lib/pcmk_xml.c: the objects that include it need
# XML_CFLAGS, every binary that links them XML_LIBS.
XML_CFLAGS = $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
XML_LIBS   = $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)

LIB_SRC    := $(wildcard lib/*.c)
AGENT_SRC  := $(wildcard agent/*.c)
REC_SRC    := $(wildcard recorder/*.c)
ALERT_SRC  := $(wildcard alert/*.c)
CTL_SRC    := $(wildcard fencectl/*.c)
RESP_SRC   := $(wildcard contrib/responder/*.c)
CHECK_SRC  := $(wildcard check/*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
MIGRATIONS := $(sort $(wildcard schema/[0-9]*.sql))

OBJ        := $(BUILD)/obj
LIB_OBJ    := $(LIB_SRC:%.c=$(OBJ)/%.o) $(OBJ)/schema_sql.o
AGENT_OBJ  := $(AGENT_SRC:%.c=$(OBJ)/%.o)
REC_OBJ    := $(REC_SRC:%.c=$(OBJ)/%.o)
ALERT_OBJ  := $(ALERT_SRC:%.c=$(OBJ)/%.o)
CTL_OBJ    := $(CTL_SRC:%.c=$(OBJ)/%.o)
RESP_OBJ   := $(RESP_SRC:%.c=$(OBJ)/%.o)
CHECK_OBJ  := $(filter-out $(OBJ)/check/main%.o,$(CHECK_SRC:%.c=$(OBJ)/%.o))
# Unit tests link the agent's and the recorder's objects too, all but
# their main().
AGENT_LIBOBJ := $(filter-out $(OBJ)/agent/main.o,$(AGENT_OBJ))
REC_LIBOBJ   := $(filter-out $(OBJ)/recorder/main.o,$(REC_OBJ))
ALERT_LIBOBJ := $(filter-out $(OBJ)/alert/main.o,$(ALERT_OBJ))
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# The recorder the agent starts for every fence (lib/handoff.h), in two
# stages: fr-recorder (small, static, libc only: what the spawn starts)
# execs fr-recorder-write (SQLite, libxml2) once the fence no longer needs
# the CPU. Never named fence_*, as cluster tools run every fence_* they
# find as an agent.
RECORDER  := fr-recorder
RECORDER_WRITE := fr-recorder-write
# Pacemaker's alert agent for the record (pcs alert create path=...).
ALERT     := fence-recorder-alert
# The example responder is never named fence_* either: it answers fences.
RESPONDER := fence-recorder-responder
# The watchdog daemon's storage-fence check and its hard-reboot variant
# (check/): installed beside the recorder, never into /etc/watchdog.d
# (enabling it is the administrator's choice: doc/watchdog.md). Not
# named fence_* either.
CHECK     := fence-recorder-check
CHECK_HR  := fence-recorder-check-hardreboot
BINS := $(BUILD)/fence_recorder $(BUILD)/$(RECORDER) $(BUILD)/$(RECORDER_WRITE) \
        $(BUILD)/$(ALERT) $(BUILD)/fencectl \
        $(BUILD)/$(RESPONDER) $(BUILD)/$(CHECK) $(BUILD)/$(CHECK_HR)

.PHONY: all check unit e2e deps check-deps demo asan valgrind fuzz chaos bench man clean install uninstall deb pkgcheck

# Before anything compiles: every library's -dev package must be there
# (pkg-config finds its .pc file), else stop naming the Debian packages
# and `make deps` instead of failing on a missing header.
PKG_DEBS := sqlite3:libsqlite3-dev libcjson:libcjson-dev uuid:uuid-dev libxml-2.0:libxml2-dev
pkgcheck:
	@command -v pkg-config >/dev/null || { echo "pkg-config is missing: run 'make deps' (as root) or apt-get install pkg-config $(BUILD_DEBS)" >&2; exit 1; }
	@missing=; for pd in $(PKG_DEBS); do pkg-config --exists $${pd%%:*} || missing="$$missing $${pd#*:}"; done; \
	 if [ -n "$$missing" ]; then echo "missing build packages:$$missing" >&2; \
	   echo "install them with 'make deps' (as root) or: apt-get install$$missing" >&2; exit 1; fi
all: $(BINS)

$(BUILD)/libfr.a: $(LIB_OBJ)
	ar rcs $@ $^

XML_CFLAGS = $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
XML_LIBS   = $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
ALL_CFLAGS += $(XML_CFLAGS)

# The agent is what Pacemaker starts for every fence and every monitor of
# every device: it links libc, cJSON and libuuid only. Its link line names
# no SQLite and no libxml2, so an object of libfr.a that needs either,
# pulled into the agent, fails the build. libuuid is linked statically
# (from uuid-dev; debian/control names it in Built-Using): one shared
# object fewer to load at every start. AGENT_STATIC= links it dynamically.
AGENT_STATIC ?= uuid
STATIC_PART = -Wl,-Bstatic $(addprefix -l,$(AGENT_STATIC)) -Wl,-Bdynamic
AGENT_LIBS = $(if $(AGENT_STATIC),$(STATIC_PART)) \
             $(filter-out $(addprefix -l,$(AGENT_STATIC)),$(shell pkg-config --libs libcjson uuid 2>/dev/null || echo -lcjson -luuid))
$(BUILD)/fence_recorder: $(AGENT_OBJ) $(BUILD)/libfr.a
	$(CC) $(ALL_LDFLAGS) -Wl,--as-needed -o $@ $^ $(AGENT_LIBS)
# The recorder: discovery, the cluster's state (libxml2), the database and
# the three logs. The agent finds its first stage in LIBEXECDIR: static,
# never sanitized (it only waits and execs; a static ASan binary cannot
# be built), so starting it costs the agent what a fork would.
$(BUILD)/$(RECORDER_WRITE): $(REC_OBJ) $(BUILD)/libfr.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(XML_LIBS)
$(BUILD)/$(RECORDER): $(wildcard recorder/launch/*.c recorder/launch/*.h) lib/handoff.h \
                      lib/requester.c lib/requester.h lib/clock.c lib/clock.h | pkgcheck
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) -O2 -D_GNU_SOURCE -DFR_LIBEXECDIR='"$(LIBEXECDIR)"' -Ilib \
	    $(PKG_CFLAGS) -static -o $@ $(filter %.c,$^)
$(OBJ)/agent/recorder_spawn.o: ALL_CFLAGS += -DFR_LIBEXECDIR='"$(LIBEXECDIR)"'
$(BUILD)/$(ALERT): $(ALERT_OBJ) $(BUILD)/libfr.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(XML_LIBS)
# fencectl reads Pacemaker's XML with the same reader (lib/).
$(BUILD)/fencectl: $(CTL_OBJ) $(BUILD)/libfr.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(XML_LIBS)
$(BUILD)/$(RESPONDER): $(RESP_OBJ) $(BUILD)/libfr.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
# Two thin mains over check/check.c: the behaviour never depends on the
# name it is run by (a symlink in /etc/watchdog.d may have any). libc,
# cJSON and libuuid, as the agent.
$(BUILD)/$(CHECK): $(CHECK_OBJ) $(OBJ)/check/main.o $(BUILD)/libfr.a
	$(CC) $(ALL_LDFLAGS) -Wl,--as-needed -o $@ $^ $(AGENT_LIBS)
$(BUILD)/$(CHECK_HR): $(CHECK_OBJ) $(OBJ)/check/main_hardreboot.o $(BUILD)/libfr.a
	$(CC) $(ALL_LDFLAGS) -Wl,--as-needed -o $@ $^ $(AGENT_LIBS)
$(BUILD)/tests/test_cluster_state: ALL_CFLAGS += -DFIXTURE_DIR='"$(CURDIR)/tests/fixtures/cluster_state"'

$(OBJ)/schema_sql.c: $(MIGRATIONS) tools/embed-sql.sh
	@mkdir -p $(@D)
	sh tools/embed-sql.sh $@ $(MIGRATIONS)
$(OBJ)/schema_sql.o: $(OBJ)/schema_sql.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OBJ)/%.o: %.c | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(AGENT_LIBOBJ) $(REC_LIBOBJ) $(ALERT_LIBOBJ) $(BUILD)/libfr.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iagent -Irecorder -Ialert $(shell pkg-config --cflags cmocka 2>/dev/null) -o $@ $(filter %.c,$^) $(filter %.o,$^) $(filter %.a,$^) \
	    $(ALL_LDFLAGS) $(PKG_LIBS) $(XML_LIBS) $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# The fuzz targets replay their corpus as part of the unit tests.
$(BUILD)/tests/test_fuzz_corpus: $(FUZZ_SRC)
$(BUILD)/tests/test_fuzz_corpus: ALL_CFLAGS += -DFUZZ_CORPUS_DIR='"$(CURDIR)/tests/fuzz/corpus"'

# Packages the build and the tests need, installed with apt-get when
# missing (as root), so a fresh Debian machine and CI need nothing else.
BUILD_DEBS := build-essential pkg-config libsqlite3-dev libcjson-dev uuid-dev libxml2-dev
TEST_DEBS  := libcmocka-dev libxml2-utils fence-agents sqlite3 jq valgrind strace xsltproc debhelper acl \
              corosync pacemaker pacemaker-cli-utils pcs crmsh prometheus
deps:
	@sh tools/ensure-debs.sh $(BUILD_DEBS)
check-deps:
	@sh tools/ensure-debs.sh $(BUILD_DEBS) $(TEST_DEBS)

# LD_PRELOAD shims the tests and benches use to take away inotify
# (as past fs.inotify.max_user_instances), dnotify (as on NFS) and fork
# (as under a pids limit).
SHIMS := $(BUILD)/tests/shims/no_inotify.so $(BUILD)/tests/shims/no_dnotify.so \
         $(BUILD)/tests/shims/no_fork.so
# Never sanitized: preloaded into an ASan binary, an instrumented shim
# would load the ASan runtime out of order.
$(BUILD)/tests/shims/%.so: tests/shims/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) -O2 -D_GNU_SOURCE -fPIC -shared -o $@ $< -ldl

# PID 1 of the private machines the cluster and package suites run in
# (tests/e2e/machine.sh). Never sanitized: it only forks, execs and reaps.
NS_INIT := $(BUILD)/tests/ns-init
$(NS_INIT): tests/sandbox/ns_init.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) -O2 -D_GNU_SOURCE -o $@ $<

unit: $(UNIT_BIN) $(SHIMS) $(NS_INIT)
VALGRIND   := valgrind -q --error-exitcode=99 --leak-check=full \
              --errors-for-leak-kinds=definite,indirect --track-fds=no
ASAN_BUILD := build-asan
ASAN_FLAGS := CFLAGS="-O1 -g -fno-omit-frame-pointer" \
              SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
# The whole suite natively, under ASan+UBSan and under valgrind
# (tests/all.sh); about 25 minutes on 2 cores.
check: check-deps
	$(MAKE) all unit
	$(MAKE) all unit BUILD=$(ASAN_BUILD) $(ASAN_FLAGS)
	VALGRIND="$(VALGRIND)" sh tests/all.sh $(BUILD) $(ASAN_BUILD)

demo: deps
	$(MAKE) all
	sh tools/demo.sh $(BUILD)

asan: check-deps
	$(MAKE) all unit BUILD=$(ASAN_BUILD) $(ASAN_FLAGS)
	FR_SANITIZED=1 sh tests/run.sh $(ASAN_BUILD)

valgrind: check-deps
	$(MAKE) all unit
	FR_WRAP="$(VALGRIND)" FR_JOBS=2 sh tests/run.sh $(BUILD)

# The randomized fault run (tests/chaos/chaos.sh), longer than the one in
# make check: CHAOS_ROUNDS rounds of 8 fences from CHAOS_SEED.
CHAOS_ROUNDS ?= 60
CHAOS_SEED ?= 1
chaos: check-deps
	$(MAKE) all unit
	sh tests/chaos/chaos.sh $(BUILD) $(CHAOS_ROUNDS) $(CHAOS_SEED) 8

# libFuzzer on the response parser, the stdin options, the time parser,
# the XML reader (with discovery's extractors), the cluster-state parser
# and the recorder's reading of the agent's hand-off;
# FUZZ_SECONDS per target. `make check` replays the corpus every time.
FUZZ_SECONDS ?= 60
fuzz: all
	@command -v clang >/dev/null || sh tools/ensure-debs.sh clang
	sh tools/fuzz.sh $(FUZZ_SECONDS)

# Figures, never assertions: prints medians next to references in one run.
BENCH_TOOLS := $(BUILD)/bench/frbench $(BUILD)/bench/floor_client $(SHIMS)
# The protocol's floor for a whole off: libc only, nothing of ours linked.
$(BUILD)/bench/floor_client: bench/floor_client.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -o $@ $<
$(BUILD)/bench/frbench: bench/frbench.c $(BUILD)/libfr.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c,$^) $(BUILD)/libfr.a $(ALL_LDFLAGS) $(PKG_LIBS)
bench: all $(BENCH_TOOLS)
	@command -v gawk >/dev/null || sh tools/ensure-debs.sh gawk jq
	sh bench/agent.sh $(BUILD)
	sh bench/db.sh $(BUILD)
	sh bench/fencectl.sh $(BUILD)
	sh bench/dirs.sh $(BUILD)

# Installation: where Pacemaker looks for agents (/usr/sbin), and each
# contrib file to its conventional place. DESTDIR for staging/packaging.
MANDIR        ?= $(PREFIX)/share/man
SYSCONFDIR    ?= /etc
UNITDIR       ?= $(PREFIX)/lib/systemd/system
TMPFILESDIR   ?= $(PREFIX)/lib/tmpfiles.d
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
DOCDIR        ?= $(PREFIX)/share/doc/fence-recorder
# The man pages' date: the last commit's, so rebuilds are reproducible.
MANDATE       ?= $(shell git log -1 --format=%cs 2>/dev/null || date -u +%Y-%m-%d)

MANPAGES := $(BUILD)/man/fence_recorder.8 $(BUILD)/man/fencectl.8 $(BUILD)/man/fence-recorder-check.8 \
            $(BUILD)/man/fence-recorder-alert.8
# fence_recorder(8) is rendered from the agent's own metadata: it cannot
# drift from the parameters the agent accepts.
$(BUILD)/man/fence_recorder.8: $(BUILD)/fence_recorder tools/metadata2man.xsl
	@mkdir -p $(@D)
	@command -v xsltproc >/dev/null || sh tools/ensure-debs.sh xsltproc
	$(BUILD)/fence_recorder -o metadata | xsltproc --stringparam version $(VERSION) \
	    --stringparam date $(MANDATE) tools/metadata2man.xsl - > $@.tmp && mv $@.tmp $@
$(BUILD)/man/fencectl.8: contrib/man/fencectl.8
	@mkdir -p $(@D)
	cp $< $@
$(BUILD)/man/fence-recorder-alert.8: contrib/man/fence-recorder-alert.8
	@mkdir -p $(@D)
	cp $< $@
$(BUILD)/man/fence-recorder-check.8: contrib/man/fence-recorder-check.8
	@mkdir -p $(@D)
	cp $< $@
man: $(MANPAGES)

INSTALLED := $(SBINDIR)/fence_recorder $(SBINDIR)/fencectl $(LIBEXECDIR)/$(RESPONDER) \
    $(LIBEXECDIR)/$(RECORDER) $(LIBEXECDIR)/$(RECORDER_WRITE) $(LIBEXECDIR)/$(ALERT) \
    $(LIBEXECDIR)/$(CHECK) $(LIBEXECDIR)/$(CHECK_HR) \
    $(MANDIR)/man8/fence_recorder.8 $(MANDIR)/man8/fencectl.8 $(MANDIR)/man8/fence-recorder-check.8 \
    $(MANDIR)/man8/fence-recorder-alert.8 \
    $(UNITDIR)/fence-responder.service $(UNITDIR)/fencectl-prune.service \
    $(UNITDIR)/fencectl-prune.timer $(UNITDIR)/fencectl-metrics.service \
    $(UNITDIR)/fencectl-metrics.timer $(TMPFILESDIR)/fence-recorder.conf \
    $(SYSCONFDIR)/logrotate.d/fence-recorder $(SYSCONFDIR)/cron.d/fence-recorder \
    $(COMPLETIONDIR)/fencectl $(DOCDIR)/README.md $(DOCDIR)/responder.md \
    $(addprefix $(DOCDIR)/doc/,$(notdir $(wildcard doc/*.md))) \
    $(DOCDIR)/examples/pcs-stonith-create.sh $(DOCDIR)/examples/cib-primitive.xml \
    $(DOCDIR)/examples/check.conf $(DOCDIR)/examples/watchdog-check.sh \
    $(DOCDIR)/examples/alert-create.sh

install: all man
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(SYSCONFDIR)/logrotate.d $(DESTDIR)$(SYSCONFDIR)/cron.d \
	    $(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR)/doc
	install -m 0755 $(BUILD)/fence_recorder $(BUILD)/fencectl $(DESTDIR)$(SBINDIR)/
	install -m 0755 $(BUILD)/$(RESPONDER) $(BUILD)/$(RECORDER) $(BUILD)/$(RECORDER_WRITE) \
	    $(BUILD)/$(ALERT) $(DESTDIR)$(LIBEXECDIR)/
	# The watchdog check: beside the recorder, never into /etc/watchdog.d
	# (doc/watchdog.md, "Enabling").
	install -m 0755 $(BUILD)/$(CHECK) $(BUILD)/$(CHECK_HR) $(DESTDIR)$(LIBEXECDIR)/
	install -m 0644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 contrib/systemd/fence-responder.service contrib/systemd/fencectl-prune.service \
	    contrib/systemd/fencectl-prune.timer contrib/systemd/fencectl-metrics.service \
	    contrib/systemd/fencectl-metrics.timer $(DESTDIR)$(UNITDIR)/
	install -m 0644 contrib/tmpfiles.d/fence-recorder.conf $(DESTDIR)$(TMPFILESDIR)/
	install -m 0644 contrib/logrotate/fence-recorder $(DESTDIR)$(SYSCONFDIR)/logrotate.d/
	install -m 0644 contrib/cron/fence-recorder $(DESTDIR)$(SYSCONFDIR)/cron.d/
	install -m 0644 contrib/bash-completion/fencectl $(DESTDIR)$(COMPLETIONDIR)/
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 doc/*.md $(DESTDIR)$(DOCDIR)/doc/
	install -m 0644 contrib/responder/README.md $(DESTDIR)$(DOCDIR)/responder.md
	install -m 0644 contrib/examples/pcs-stonith-create.sh contrib/examples/cib-primitive.xml \
	    contrib/examples/check.conf contrib/examples/watchdog-check.sh \
	    contrib/examples/alert-create.sh $(DESTDIR)$(DOCDIR)/examples/
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR)/doc $(DESTDIR)$(DOCDIR) $(DESTDIR)$(LIBEXECDIR) 2>/dev/null

# The Debian package, built from a copy of the tree (dpkg-buildpackage
# writes next to its source), then copied to $(BUILD)/.
deb:
	@command -v dh >/dev/null || sh tools/ensure-debs.sh debhelper dpkg-dev xsltproc
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/src
	tar --exclude=./build --exclude='./build-*' --exclude=./.git -cf - . | tar -C $(BUILD)/deb/src -xf -
	cd $(BUILD)/deb/src && dpkg-buildpackage -us -uc -b
	cp $(BUILD)/deb/fence-recorder_*.deb $(BUILD)/

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -path $(BUILD)/deb -prune -o -name '*.d' -type f -print 2>/dev/null)
