/* fence-recorder-check: the watchdog daemon's test for storage fencing.
 * Run on a node about itself, it exits non-zero only when a successful
 * response file fences this node from a fence made after this boot (see
 * lib/bootfence.h and doc/watchdog.md). Two thin mains: main.c and
 * main_hardreboot.c, the latter calling reboot(2) itself when fenced.
 * The behaviour never depends on argv[0]: a symlink in /etc/watchdog.d
 * may have any name. */
#ifndef FR_CHECK_H
#define FR_CHECK_H

#include <stdbool.h>

/* Exit statuses. Watchdog reads a non-zero status of a test as an errno
 * value (below 245) and reboots; 245..255 are its own. */
#define CHECK_EXIT_HEALTHY 0
#define CHECK_EXIT_FENCED  1    /* EPERM: this node may no longer use its storage */

#define CHECK_CONF_DEFAULT "/etc/fence-recorder/check.conf"
#define ENV_CHECK_CONF     "FENCE_RECORDER_CHECK_CONF"

int check_main(int argc, char **argv, bool hardreboot);

#endif
