# The Debian package: built from the tree with `make deb`, installed
# with dpkg, used, and purged, as a cluster node would. It runs in a
# private machine (tests/e2e/machine.sh): dpkg's database, /usr and /etc
# are that machine's overlays, so the host's packages are never touched.
#machine: fr-pkg

suite_setup() {
    if [ "$(cat /proc/1/comm 2>/dev/null)" != ns-init ]; then
        echo "the package suite runs only in a private machine: sh tests/run.sh (tests/e2e/machine.sh)"
        return 1
    fi
    # A package installed on the host is this machine's copy: out of the way.
    dpkg --purge fence-recorder >/dev/null 2>&1
    PKG_WORK=$(mktemp -d /tmp/fr-pkg.XXXXXX)
    export PKG_WORK
    mkdir "$PKG_WORK/src"
    (cd "$TOP" && tar --exclude=./build --exclude='./build-*' --exclude=./.git -cf - .) \
        | tar -C "$PKG_WORK/src" -xf - || return 1
    # As the README says (make deb); the suite's BUILD, TOP and FR_WRAP
    # must not leak into the package's build.
    (cd "$PKG_WORK/src" && env -u BUILD -u TOP -u FR_WRAP make deb) > "$PKG_WORK/build.log" 2>&1 \
        || { tail -30 "$PKG_WORK/build.log"; return 1; }
    DEB=$(ls "$PKG_WORK"/src/build/fence-recorder_*.deb)
    export DEB
    rm -f /usr/sbin/fence_recorder /usr/sbin/fencectl
    return 0
}

suite_teardown() {
    rm -rf "$PKG_WORK"
}

test_package_installs_works_and_purges() {
    dpkg -i "$DEB" > "$S/install.log" 2>&1 || fail "dpkg -i failed: $(tail -5 "$S/install.log")"
    for f in /usr/sbin/fence_recorder /usr/sbin/fencectl /usr/lib/fence-recorder/fence-recorder-responder \
             /usr/lib/fence-recorder/fr-recorder /usr/lib/fence-recorder/fr-recorder-write \
             /usr/share/man/man8/fence_recorder.8.gz /usr/share/man/man8/fencectl.8.gz \
             /lib/systemd/system/fencectl-prune.timer /lib/systemd/system/fence-responder.service \
             /usr/lib/tmpfiles.d/fence-recorder.conf /etc/logrotate.d/fence-recorder \
             /etc/cron.d/fence-recorder /usr/share/bash-completion/completions/fencectl \
             /usr/share/doc/fence-recorder/examples/pcs-stonith-create.sh \
             /usr/lib/fence-recorder/fence-recorder-check /usr/lib/fence-recorder/fence-recorder-check-hardreboot \
             /usr/share/man/man8/fence-recorder-check.8.gz; do
        [ -e "$f" ] || fail "package did not install $f"
    done
    # The prune timer is enabled; the example responder never is.
    [ -L /etc/systemd/system/timers.target.wants/fencectl-prune.timer ] || fail "prune timer not enabled"
    [ ! -e /etc/systemd/system/multi-user.target.wants/fence-responder.service ] \
        || fail "the example responder was enabled"
    # Nothing of ours but the agent where cluster tools look for agents.
    agents=$(dpkg -L fence-recorder | grep '/fence_[^/]*$' | grep -v '/man/')
    [ "$agents" = /usr/sbin/fence_recorder ] || fail "the package installs files named like agents: $agents"
    # The man page is the agent's metadata: every parameter is in it.
    for p in $(/usr/sbin/fence_recorder -o metadata | sed -n 's/.*<parameter name="\([a-z_]*\)".*/\1/p'); do
        zcat /usr/share/man/man8/fence_recorder.8.gz | grep -q "^\.B $p\$" || fail "man page lacks parameter $p"
    done
    /usr/sbin/fence_recorder -o metadata | xmllint --noout --relaxng /usr/share/cluster/relaxng/metadata.rng - 2>/dev/null \
        || fail "installed agent's metadata is invalid"
    # A real fence through the installed binaries.
    /usr/lib/fence-recorder/fence-recorder-responder --serve --request-dir "$NNF_FENCE_REQUEST_DIR" --response-dir "$NNF_FENCE_RESPONSE_DIR" \
        -q --pid-file "$S/responder.pid" &
    while [ ! -s "$S/responder.pid" ]; do sleep 0.02; done
    printf 'action=off\nport=node2\n' | env -u FENCE_RECORDER_RECORDER /usr/sbin/fence_recorder \
        || fail "installed agent (with its installed recorder) failed to fence"
    stop_responder
    eventually_sql completed "select status from operations where target_node = 'node2'"
    /usr/sbin/fencectl history --node node2 | grep -q completed || fail "installed fencectl does not show the fence"
    dpkg --purge fence-recorder > "$S/purge.log" 2>&1 || fail "dpkg --purge failed: $(tail -5 "$S/purge.log")"
    for f in /usr/sbin/fence_recorder /usr/sbin/fencectl /etc/cron.d/fence-recorder \
             /etc/systemd/system/timers.target.wants/fencectl-prune.timer; do
        [ ! -e "$f" ] || fail "$f left behind after purge"
    done
}

# The tmpfiles.d entry, applied under a scratch root by systemd-tmpfiles:
# the same directories and modes the agent would create.
test_tmpfiles_entry_creates_the_directories_with_their_modes() {
    command -v systemd-tmpfiles >/dev/null || skip_test "systemd-tmpfiles is not installed here"
    mkdir -p "$S/root/usr/lib/tmpfiles.d" "$S/root/etc"
    cp /etc/passwd /etc/group "$S/root/etc/"   # adm and haclient, as on a cluster node
    cp "$TOP/contrib/tmpfiles.d/fence-recorder.conf" "$S/root/usr/lib/tmpfiles.d/"
    systemd-tmpfiles --root="$S/root" --create fence-recorder.conf || fail "systemd-tmpfiles failed"
    for d in localdisk/fence-recorder/requests:755:root localdisk/fence-recorder/responses:755:root \
             var/log/fence-recorder:755:root var/lib/fence-recorder:2770:haclient \
             var/log/fence-recorder/fence-events.log:660:adm; do
        want=${d#*:}
        [ "$(stat -c %a:%G "$S/root/${d%%:*}" 2>/dev/null)" = "$want" ] \
            || fail "${d%%:*}: $(stat -c %a:%G "$S/root/${d%%:*}" 2>&1), not $want"
    done
    # 660 above is the ACL mask: the group adm reads, haclient appends.
    acl=$(getfacl -n "$S/root/var/log/fence-recorder/fence-events.log" 2>/dev/null)
    echo "$acl" | grep -q '^group::r--$' || fail "adm may write the log: $acl"
    echo "$acl" | grep -q "^group:$(getent group haclient | cut -d: -f3):rw-$" || fail "haclient may not append: $acl"
}

# make install into a staging DESTDIR puts every file in place, and make
# uninstall takes exactly those away again.
test_make_install_and_uninstall_with_destdir() {
    (cd "$TOP" && env -u BUILD make -s install DESTDIR="$S/stage" >/dev/null) || fail "make install failed"
    [ -x "$S/stage/usr/sbin/fence_recorder" ] || fail "agent not in /usr/sbin"
    [ -x "$S/stage/usr/lib/fence-recorder/fence-recorder-responder" ] \
        || fail "example responder not in /usr/lib/fence-recorder"
    [ -x "$S/stage/usr/lib/fence-recorder/fr-recorder" ] \
        || fail "recorder not in /usr/lib/fence-recorder"
    for c in fence-recorder-check fence-recorder-check-hardreboot; do
        [ -x "$S/stage/usr/lib/fence-recorder/$c" ] || fail "$c not in /usr/lib/fence-recorder"
    done
    [ ! -e "$S/stage/etc/watchdog.d" ] || fail "make install enabled the watchdog check"
    agents=$(find "$S/stage" -name 'fence_*' -type f ! -path '*/man/*' | sed "s|^$S/stage||")
    [ "$agents" = /usr/sbin/fence_recorder ] || fail "files named like fence agents: $agents"
    n=$(find "$S/stage" -type f | wc -l)
    want=$((28 + $(ls "$TOP"/doc/*.md | wc -l)))   # and the doc/ pages the README links
    [ "$n" -eq "$want" ] || fail "make install put $n files, expected $want: $(find "$S/stage" -type f)"
    (cd "$TOP" && env -u BUILD make -s uninstall DESTDIR="$S/stage" >/dev/null) || fail "make uninstall failed"
    left=$(find "$S/stage" -type f)
    [ -z "$left" ] || fail "make uninstall left: $left"
}
