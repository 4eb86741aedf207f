#include <stdio.h>
int main(void) { puts("omenbench"); return 0; }
