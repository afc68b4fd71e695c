/* Placeholder until fencectl lands (issue 3). */
#include <stdio.h>
int main(void)
{
    fprintf(stderr, "fencectl: not yet implemented\n");
    return 1;
}
