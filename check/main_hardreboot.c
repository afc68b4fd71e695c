/* fence-recorder-check-hardreboot: reboots this node itself, without
 * sync, when it is storage-fenced. */
#include "check.h"

int main(int argc, char **argv)
{
    return check_main(argc, argv, true);
}
