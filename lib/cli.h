/*
 * Command-line pieces every tool shares: the long options --help and
 * --version, and the version line "NAME (ostour) VERSION".
 */
#ifndef OSTOUR_CLI_H
#define OSTOUR_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdnoreturn.h>

/*
 * Values for long options that have no short form.  A tool numbers its own
 * long-only options from CLI_OPT_FIRST so they never collide with these.
 */
enum {
	CLI_OPT_VERSION = 0x100,
	CLI_OPT_FILES0_FROM,
	CLI_OPT_FIRST = 0x110
};

/* The two entries every tool's struct option table starts with. */
#define CLI_LONGOPTS_COMMON \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, CLI_OPT_VERSION }

/* Print "NAME (ostour) VERSION" on stdout and exit 0. */
noreturn void cli_version(void);

/*
 * getopt_long names the program by argv[0] in its own messages ("invalid
 * option"), a path when the tool was run by one, where every other message
 * says "NAME:": make argv[0] that short name before the options are read.
 */
void cli_short_name(char *argv[]);

/*
 * A silent first pass over the options, acting on none of them, for a
 * tool whose exit status on a usage error depends on what comes later on
 * the line (125 when a command is given, as env does): whether option
 * `opt` is among them, and in *operand whether an operand follows.  Then
 * getopt starts over for the real pass.
 */
bool cli_prescan(int argc, char *argv[], const char *optstring,
    const struct option *longopts, int opt, bool *operand);

#endif
