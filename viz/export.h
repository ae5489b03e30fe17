/*
 * export.h -- writes a chart to a file (PNG, SVG, PDF through cairo
 * surfaces; JSON in the Chrome Trace Event Format that Perfetto and
 * chrome://tracing open), and the two commands built on the model:
 * `gilscope export` (export_cmd.c) and `gilscope synth` (synth.c).
 */
#ifndef VIZ_EXPORT_H
#define VIZ_EXPORT_H

#include <stddef.h>

#include "viz/draw.h"
#include "viz/model.h"

typedef enum { EXPORT_PNG, EXPORT_SVG, EXPORT_PDF, EXPORT_JSON, EXPORT_UNKNOWN } ExportFormat;

/* The format named by path's extension (case-insensitive). */
ExportFormat export_format_of(const char *path);

/* Draws v into a new file at path, in the format of its extension (JSON:
 * the events of the visible panes and lanes in v's range).  0 on success;
 * otherwise -1 with one line in err naming the file and the cause. */
int export_write(const Model *m, const DrawView *v, const char *path, char *err, size_t errsize);

/* `gilscope export A.gilt [B.gilt ...] -o OUT [options]`; argv[0] is
 * "export".  Returns the exit status: 0, 64 usage, 65 bad trace, 74 I/O. */
int export_main(int argc, char **argv);
/* `gilscope synth --events N --threads K [--processes P] [--policy P] -o F`;
 * argv[0] is "synth".  Returns 0, 64 usage or 74 I/O. */
int synth_main(int argc, char **argv);

#endif
