/*
 * report/plotlist.h — the report's Plots section, from the PNGs and
 * captions scripts/plots.sh wrote into plots_dir.
 */
#ifndef OMENBENCH_PLOTLIST_H
#define OMENBENCH_PLOTLIST_H

#include <stdio.h>

/* Links are relative to the directory of out_path, the report. */
void section_plots(FILE *f, const char *plots_dir, const char *out_path);

#endif
