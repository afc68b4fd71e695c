#!/bin/sh
# Enables the storage-fence check on THIS node: links it into the watchdog
# daemon's test directory and makes sure /etc/watchdog.conf reads that
# directory. Run as root on each node, after `apt-get install watchdog`.
# It does not start the watchdog service: check by hand first, then
#     systemctl enable --now watchdog
#
#   sh watchdog-check.sh            fence-recorder-check (watchdog reboots)
#   sh watchdog-check.sh hard       fence-recorder-check-hardreboot (reboot(2), no sync)
#
# Only one of the two may be linked. To disable: remove the link.
set -eu
libexec=/usr/lib/fence-recorder
dir=/etc/watchdog.d
conf=/etc/watchdog.conf
case "${1:-}" in
    "") check=fence-recorder-check; other=fence-recorder-check-hardreboot ;;
    hard) check=fence-recorder-check-hardreboot; other=fence-recorder-check ;;
    *) echo "usage: $0 [hard]" >&2; exit 2 ;;
esac
[ -x "$libexec/$check" ] || { echo "$libexec/$check is not installed" >&2; exit 1; }
[ -f "$conf" ] || { echo "$conf is missing: install the watchdog package" >&2; exit 1; }

# The check must pass on this (healthy) node before watchdog runs it.
# Tried with the plain check: the hard-reboot one would reboot right here.
"$libexec/fence-recorder-check" --validate
"$libexec/fence-recorder-check" test || { echo "the check fails on this node now: not enabled" >&2; exit 1; }

set_dir=$(sed -n 's/^[[:space:]]*test-directory[[:space:]]*=[[:space:]]*\([^[:space:]]*\).*/\1/p' "$conf" | tail -n 1)
if [ -n "$set_dir" ] && [ "$set_dir" != "$dir" ]; then
    echo "$conf reads tests from $set_dir, not $dir: link $libexec/$check there by hand" >&2
    exit 1
fi
mkdir -p "$dir"
rm -f "$dir/$other"
ln -sfn "$libexec/$check" "$dir/$check"
if [ -z "$set_dir" ]; then
    printf '\n# fence-recorder-check (storage fencing)\ntest-directory = %s\n' "$dir" >> "$conf"
fi
grep -E '^[[:space:]]*(test-directory|test-timeout)[[:space:]]*=' "$conf"
echo "linked $dir/$check; start the watchdog service when ready"
