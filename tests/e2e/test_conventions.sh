# What real clients and documents expect of the agent and the tree:
# fencing.py's standard options, the list action, the timeout advice of
# README/metadata/-h/examples and the warnings that back it, and a build
# that names missing packages. (The same against a real cluster, pcs and
# crmsh: test_pacemaker.sh.)

# pcs_block FILE: the `pcs stonith create` command as printed in FILE,
# from its first line to the line with "op monitor", indentation removed.
pcs_block() {
    sed -n '/^ *pcs stonith create/,/op monitor/p' "$1" | sed "s/^${2:-}//"
}

# pcs_params FILE: the command's key=value words, one per line, quotes
# removed, as Pacemaker would pass the device attributes.
pcs_params() {
    pcs_block "$1" | tr -d '\\' | tr '\n' ' ' | sed 's/"\([^"]*\)"/\1/g' \
        | grep -o '[a-z_]*=[^ ]*' | grep -v '^interval='
}

test_readme_pcs_command_is_the_contrib_example() {
    pcs_block "$TOP/README.md" '    ' > readme.txt
    pcs_block "$TOP/contrib/examples/pcs-stonith-create.sh" > contrib.txt
    [ "$(wc -l < readme.txt)" -ge 3 ] || fail "no pcs command found in README.md"
    diff -u contrib.txt readme.txt || fail "README's pcs command differs from contrib/examples/pcs-stonith-create.sh"
}

# The documented device lets the agent's own timeout win for off and
# reboot: validate-all, given the device's attributes (pcmk_* included, as
# an administrator can), warns about nothing.
test_documented_timeouts_win_for_every_action() {
    for src in "$TOP/README.md" "$TOP/contrib/examples/pcs-stonith-create.sh"; do
        params=$(pcs_params "$src")
        for k in pcmk_off_timeout pcmk_reboot_timeout fence_timeout; do
            echo "$params" | grep -q "^$k=" || fail "$src: the pcs command lacks $k"
        done
        out=$( { echo action=validate-all; echo plug=node2; echo "$params" | grep -v '^pcmk_host_list='; } \
               | agent 2>&1) || fail "validate-all of $src's device failed: $out"
        echo "$out" | grep -q WARNING && fail "$src's device draws a warning: $out"
    done
    # The CIB example: the same attributes.
    xml="$TOP/contrib/examples/cib-primitive.xml"
    params=$(sed -n 's/.*name="\([a-z_]*\)" value="\([^"]*\)".*/\1=\2/p' "$xml" | grep -v '^pcmk_host_list=')
    out=$( { echo action=validate-all; echo plug=node2; echo "$params"; } | agent 2>&1) \
        || fail "validate-all of the CIB example failed: $out"
    echo "$out" | grep -q WARNING && fail "the CIB example draws a warning: $out"
    for k in pcmk_off_timeout pcmk_reboot_timeout; do
        grep -q "name=\"$k\"" "$xml" || fail "cib-primitive.xml lacks $k"
    done
    # -h and the metadata (hence the man page) give the same advice.
    agent -h | grep -q pcmk_reboot_timeout || fail "-h does not mention pcmk_reboot_timeout"
    agent -o metadata | grep -q 'pcmk_reboot_timeout=90' || fail "metadata lacks the reboot timeout advice"
}

test_validate_and_monitor_warn_when_pacemaker_would_kill_the_agent() {
    # The old README device: reboot left to stonith-timeout (60 s).
    out=$(printf 'action=validate-all\nplug=node2\nfence_timeout=60\npcmk_off_timeout=90\n' | agent 2>&1)
    [ $? -eq 0 ] || fail "a warning changed the exit code: $out"
    echo "$out" | grep -q 'WARNING: reboot is timed by stonith-timeout=60s' || fail "no reboot warning: $out"
    echo "$out" | grep -q 'WARNING: off' && fail "off warned although 90 s is enough: $out"
    # off too short, given explicitly; delay counts.
    out=$(printf 'action=monitor\nfence_timeout=30\ndelay=10\npcmk_off_timeout=40\npcmk_reboot_timeout=2min\n' | agent 2>&1)
    [ $? -eq 0 ] || fail "monitor failed: $out"
    echo "$out" | grep -q 'WARNING: off is timed by pcmk_off_timeout=40s < delay+fence_timeout+5s=45s' \
        || fail "no off warning: $out"
    echo "$out" | grep -q 'WARNING: reboot' && fail "2min is enough for reboot: $out"
    # stonith-timeout as the fallback of both.
    out=$(printf 'action=validate-all\nplug=node2\nfence_timeout=20\nstonith-timeout=20s\n' | agent 2>&1)
    [ "$(echo "$out" | grep -c 'timed by stonith-timeout=20s')" -eq 2 ] || fail "stonith-timeout not judged: $out"
    # Nothing known, nothing guessed.
    out=$(printf 'action=validate-all\nplug=node2\nfence_timeout=80\n' | agent 2>&1)
    echo "$out" | grep -q WARNING && fail "warned without any Pacemaker timeout: $out"
    return 0
}

ALL_STD_ARGV="--power-timeout 5 --power-wait=1 --retry-on 2 --plug-separator=: -C ; --shell-timeout 1
 --login-timeout 1 --disable-timeout true --stonith-status-sleep 1 --missing-as-off --verbose-level 1"

test_fencingpy_standard_options_accepted_on_argv_and_stdin() {
    # shellcheck disable=SC2086
    out=$(agent -o validate-all -n node2 $ALL_STD_ARGV -D "$S/debug.log" 2>&1) || fail "argv refused: $out"
    echo "$out" | grep -q "accepted but ignored.*power_timeout, power_wait, shell_timeout, login_timeout, disable_timeout, stonith_status_sleep, retry_on, plug_separator, missing_as_off" \
        || fail "no debug line naming the ignored options: $out"
    out=$(printf '%s\n' action=validate-all plug=node2 power_timeout=5 power-wait=1 retry_on=2 \
          plug_separator=: separator=";" shell_timeout=1 login_timeout=1 disable_timeout=true \
          stonith_status_sleep=1 missing_as_off=1 verbose_level=1 "debug_file=$S/d2.log" | agent 2>&1) \
        || fail "stdin refused: $out"
    echo "$out" | grep -q "accepted but ignored.*power_timeout" || fail "stdin options dropped silently: $out"
    agent -o metadata > meta.xml
    xmllint --noout --relaxng /usr/share/cluster/relaxng/metadata.rng meta.xml || fail "metadata invalid"
    for p in power_timeout power_wait retry_on plug_separator separator shell_timeout login_timeout \
             disable_timeout stonith_status_sleep missing_as_off verbose_level debug_file debug; do
        grep -q "<parameter name=\"$p\"" meta.xml || fail "metadata lacks $p"
    done
    grep -A3 '<parameter name="power_timeout"' meta.xml | grep -q 'ignored' || fail "metadata does not say ignored"
    grep -q '<getopt mixed="-C, --separator=\[char\]" />' meta.xml || fail "separator's getopt"
    grep -q '<getopt mixed="-D, --debug-file=\[debugfile\]" />' meta.xml || fail "debug_file's getopt"
    agent -o manpage > man.xml || fail "-o manpage failed"
    cmp -s meta.xml man.xml || fail "-o manpage differs from the metadata"
    grep -q '<action name="manpage" />' meta.xml || fail "manpage action not declared"
}

test_debug_file_gets_a_copy_of_stderr_and_never_fails_a_fence() {
    start_responder
    agent -o off -n node2 -v -D "$S/debug.log" 2> stderr.txt || fail "fence failed: $(cat stderr.txt)"
    [ -s stderr.txt ] || fail "nothing on stderr to copy"
    cmp stderr.txt "$S/debug.log" || fail "the debug file is not a copy of stderr: $(cat "$S/debug.log")"
    # The debug lines themselves, and the old name 'debug' on stdin.
    printf '%s\n' action=validate-all plug=node3 "debug=$S/debug2.log" verbose=1 power_wait=2 | agent 2>/dev/null \
        || fail "validate-all with the old 'debug' name failed"
    grep -q 'DEBUG: accepted but ignored' "$S/debug2.log" || fail "'debug' on stdin not honoured"
    mkdir "$S/adir"
    out=$(agent -o off -n node4 -D "$S/adir" 2>&1) || fail "an unusable debug file failed the fence: $out"
    echo "$out" | grep -q "cannot open debug_file $S/adir" || fail "unusable debug file not reported: $out"
    stop_responder
    expect_exit 1 agent -o validate-all -n node2 -D relative.log
}

test_verbose_level_decides_debug_lines() {
    agent -o validate-all -n node2 -v --verbose-level 0 --power-wait 1 2>&1 | grep -q DEBUG \
        && fail "verbose_level=0 still shows debug lines"
    printf 'action=validate-all\nplug=node2\nverbose_level=2\npower_wait=1\n' | agent 2>&1 | grep -q DEBUG \
        || fail "verbose_level=2 shows no debug lines"
    expect_exit 1 agent -o validate-all -n node2 --verbose-level=-1
}

test_list_answers_plug_host_list_or_the_cluster_nodes() {
    [ "$(printf 'action=list\nplug=node7\n' | agent)" = node7 ] || fail "list with plug"
    [ "$(printf 'action=list\npcmk_host_list=a b,c\n' | agent | tr '\n' ' ')" = "a b c " ] \
        || fail "list with pcmk_host_list"
    mkdir bin
    printf '#!/bin/sh\n[ "$1" = -l ] || exit 9\necho "1 vm member"\necho "2 node2 lost"\n' > bin/crm_node
    chmod +x bin/crm_node
    [ "$(printf 'action=list\n' | PATH="$S/bin:$PATH" agent | tr '\n' ' ')" = "vm node2 " ] \
        || fail "list from crm_node -l: $(printf 'action=list\n' | PATH="$S/bin:$PATH" agent 2>&1)"
    write_response node2 11111111-2222-4333-8444-555555555555 \
        '{"request_id": "11111111-2222-4333-8444-555555555555", "target_node": "node2", "success": true}'
    [ "$(printf 'action=list-status\nseparator=;\n' | PATH="$S/bin:$PATH" agent | tr '\n' ' ')" = "vm;vm;ON node2;node2;OFF " ] \
        || fail "list-status with separator: $(printf 'action=list-status\nseparator=;\n' | PATH="$S/bin:$PATH" agent 2>&1)"
    # No source at all: a loud failure naming the fix, bounded in time.
    printf '#!/bin/sh\nsleep 30\n' > bin/crm_node
    start=$(date +%s)
    out=$(printf 'action=list\ndiscovery_timeout=1\n' | PATH="$S/bin:$PATH" agent 2>&1)
    rc=$?
    [ $(( $(date +%s) - start )) -le 5 ] || fail "list waited for crm_node past its timeout"
    [ "$rc" -eq 1 ] || fail "list without any source exited $rc: $out"
    echo "$out" | grep -q pcmk_host_list || fail "the failure does not name pcmk_host_list: $out"
}

# A fresh machine without libcjson-dev: make stops before compiling and
# names the package and `make deps`.
test_make_without_a_dev_package_names_it_and_make_deps() {
    command -v pkg-config >/dev/null || skip_test "pkg-config is not installed"
    mkdir pc
    for p in sqlite3 uuid; do
        f=$(pkg-config --variable=pcfiledir "$p")/$p.pc
        cp "$f" pc/ || fail "no $p.pc"
    done
    out=$(cd "$TOP" && PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$S/pc" make --no-print-directory BUILD="$S/b" all 2>&1)
    rc=$?
    [ "$rc" -ne 0 ] || fail "make succeeded without libcjson"
    echo "$out" | grep -q 'libcjson-dev' || fail "the package is not named: $out"
    echo "$out" | grep -q 'make deps' || fail "make deps is not named: $out"
    echo "$out" | grep -q 'cJSON.h' && fail "make ran the compiler: $out"
    [ ! -e "$S/b/obj" ] || fail "objects were built"
}

# fencectl(8) documents every command `fencectl --help` lists and every
# option its help texts show: the global ones in GLOBAL OPTIONS, each
# command's (from its line in the list and from `fencectl CMD --help`) in
# that command's own section, spelled as roff prints them (\-\-since).
man_section() {
    awk -v want="$1" '
        /^\.S[SH] / { on = ($0 == ".SS " want || (want == "GLOBAL" && $0 == ".SH GLOBAL OPTIONS")); next }
        on' "$TOP/contrib/man/fencectl.8"
}

# help_options: the options a help text on stdin names (--long, -x), one per line.
help_options() {
    grep -oE -- '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9.-]*' | sed 's/^[^-]*//; s/\.$//' | sort -u
}

# man_has_options SECTION_FILE WHAT: fails naming each option on stdin the section lacks.
man_has_options() {
    while IFS= read -r o; do
        roff=$(printf '%s' "$o" | sed 's/-/\\-/g')
        grep -qF -- "$roff" "$1" || fail "fencectl.8 ($2) lacks $o, which fencectl's help shows"
    done
}

test_man_page_has_every_fencectl_command_and_option() {
    ${FR_WRAP:-} "$FENCECTL" --help > help.txt || fail "fencectl --help failed"
    sed -n '/^Commands:/,/^Global options:/p' help.txt | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' > commands.txt
    [ "$(wc -l < commands.txt)" -ge 10 ] || fail "commands not found in fencectl --help: $(cat help.txt)"
    man_section GLOBAL > global.man
    [ -s global.man ] || fail "fencectl.8 has no GLOBAL OPTIONS section"
    sed -n '/^Global options:/,$p' help.txt | help_options > global.opts
    [ "$(wc -l < global.opts)" -ge 8 ] || fail "global options not found: $(cat help.txt)"
    man_has_options global.man "GLOBAL OPTIONS" < global.opts
    while IFS= read -r c; do
        man_section "$c" > "$c.man"
        [ -s "$c.man" ] || fail "fencectl.8 has no section .SS $c (fencectl --help lists the command)"
        ${FR_WRAP:-} "$FENCECTL" "$c" --help > "$c.help" 2>&1 || fail "fencectl $c --help failed: $(cat "$c.help")"
        grep -q "fencectl $c" "$c.help" || fail "fencectl $c --help prints no usage: $(cat "$c.help")"
        { grep "^  $c  " help.txt; cat "$c.help"; } | help_options > "$c.opts"
        man_has_options "$c.man" ".SS $c" < "$c.opts"
    done < commands.txt
    return 0
}

# The README's first command: a real fence through this build, recorded
# and shown with fencectl, with nothing of ours installed on the machine.
test_demo_fences_and_shows_the_record() {
    [ ! -e /usr/lib/fence-recorder/fr-recorder ] || fail "an installed recorder would hide the build's"
    env -u FENCE_RECORDER_RECORDER -u FENCE_RECORDER_DB -u LOG_DIR sh "$TOP/tools/demo.sh" "$BUILD" > demo.out 2>&1 \
        || fail "the demo failed: $(tail -5 demo.out)"
    grep -q "outcome .*completed, exit 0" demo.out || fail "the demo's fence is not in its record: $(tail -20 demo.out)"
}
