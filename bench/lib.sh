# Timing helpers for the benchmarks: medians of whole-process wall times,
# printed next to a reference measured in the same run. Never used as
# assertions: these machines are shared and noisy.

# median_ms RUNS COMMAND...: median wall time of RUNS runs, in ms (3 decimals),
# timed by frbench (fork+exec+wait in C; `make bench` builds it): timing in
# the shell with date(1) adds ~5 ms on a VM with slow process start.
median_ms() {
    runs=$1; shift
    [ -x "$BUILD/bench/frbench" ] || { echo "median_ms: $BUILD/bench/frbench not built; run make bench" >&2; exit 1; }
    set -- $("$BUILD/bench/frbench" spawn "$runs" "$@")
    printf '%.3f' "$1"
}

machine() {
    model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    echo "machine: $(nproc) cores, ${model:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(date -u +%Y-%m-%dT%H:%MZ)"
}

row() {   # row NAME OURS_MS REFERENCE_NAME REFERENCE_MS
    awk -v n="$1" -v a="$2" -v rn="$3" -v b="$4" 'BEGIN {
        printf "%-34s %10.2f ms   %-26s %10.2f ms   %8.1fx\n", n, a, rn, b, (a > 0 ? b / a : 0) }'
}

# bench_workspace NAME: a scratch directory W (removed at exit, after
# bench_cleanup if the script defines one) with the agent's directories
# and database in it (created as fencectl creates one), and the recorder
# of this build.
bench_workspace() {
    W=$(mktemp -d "/tmp/fr-bench-$1.XXXXXX")
    trap 'command -v bench_cleanup >/dev/null && bench_cleanup; rm -rf "$W"' EXIT
    export NNF_FENCE_REQUEST_DIR="$W/rq" NNF_FENCE_RESPONSE_DIR="$W/rs" LOG_DIR="$W/log"
    export FENCE_RECORDER_DB="$W/db/fr.db" FILESYSTEM_DISCOVERY_ENABLED=false
    export FENCE_RECORDER_RECORDER="$BUILD/fr-recorder"
    mkdir -m 0700 "$W/db"
    "$BUILD/fencectl" import /dev/null > /dev/null
    "$BUILD/fence_recorder" -o monitor
}
