# A short, fixed-seed run of the randomized fault harness (tests/chaos/
# chaos.sh; `make chaos` runs a longer one): agents, recorders and process
# groups killed at random moments, write locks held, recorders stopped,
# the log volume full; then the invariants it checks after settling.

test_chaos_short_fixed_seed_keeps_every_invariant() {
    sh "$TOP/tests/chaos/chaos.sh" "$BUILD" 12 1 8 > chaos.out 2>&1 || fail "$(tail -5 chaos.out)"
    grep -q '^chaos: 12 rounds, seed 1: ok$' chaos.out || fail "no verdict: $(tail -5 chaos.out)"
    # The run did what it says: faults happened.
    counts=$(grep '^chaos: .* fences' chaos.out)
    echo "FIGURE $counts"
    echo "$counts" | grep -q 'agents killed [1-9]' || fail "no agent was killed: $counts"
    echo "$counts" | grep -q 'recorders killed [1-9]' || fail "no recorder was killed: $counts"
}
