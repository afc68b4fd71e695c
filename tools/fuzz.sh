#!/bin/sh
# Builds the fuzz targets with clang's libFuzzer (+ASan+UBSan) and runs
# each for a bounded time. Seeds are read from tests/fuzz/corpus/<target>
# and never modified; inputs found are kept in build-fuzz/corpus/<target>
# (copy the interesting ones into the seed corpus: every `make check`
# replays it). A crash leaves build-fuzz/crash-<target>-* and fails.
#
#   sh tools/fuzz.sh SECONDS_PER_TARGET
set -eu
seconds=${1:-60}
out=build-fuzz
cc=$(command -v clang || command -v clang-14 || true)
[ -n "$cc" ] || { echo "fuzz: clang not found (apt-get install clang)" >&2; exit 1; }
mkdir -p "$out"
sources="lib/*.c build/obj/schema_sql.c $(ls agent/*.c | grep -v '/main\.c$')
         $(ls recorder/*.c | grep -v '/main\.c$')"
flags="-std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -D_GNU_SOURCE -DFR_VERSION=\"fuzz\" -DLIBFUZZER -Ilib -Iagent -Irecorder -Ibuild
       $(pkg-config --cflags sqlite3 libcjson uuid libxml-2.0)"
libs="$(pkg-config --libs sqlite3 libcjson uuid libxml-2.0) -lm"
status=0
for target in response stdin_options timeparse pcmk_xml cluster_state handoff_job; do
    # shellcheck disable=SC2086
    $cc $flags -o "$out/fuzz_$target" tests/fuzz/fuzz_$target.c $sources $libs
    mkdir -p "$out/corpus/$target"
    log="$out/fuzz_$target.log"
    if "$out/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$out/crash-$target-" -rss_limit_mb=2048 \
        "$out/corpus/$target" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
        result=ok
    else
        result="CRASH (see $log and $out/crash-$target-*)"
        status=1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    echo "fuzz_$target: $runs executions in ${seconds}s ($speed/s), $cov, corpus $(ls "$out/corpus/$target" | wc -l) new: $result"
done
exit $status
