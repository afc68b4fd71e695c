/* fence-recorder-check: exits non-zero when this node is storage-fenced. */
#include "check.h"

int main(int argc, char **argv)
{
    return check_main(argc, argv, false);
}
