/*
 * harness/cmd_run.h — `omenbench run` (usage: omenbench run --help).
 */
#ifndef OMENBENCH_CMD_RUN_H
#define OMENBENCH_CMD_RUN_H

/* argv[0] is "run".  Exit status: 0 every answer checked and right, 1 some
 * wrong (those rows valid=0), 2 bad input or a failure. */
int cmd_run(int argc, char **argv);

#endif
