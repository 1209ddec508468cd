/*
 * Running a command: the exit statuses of the conventions' table for tools
 * that run one, and the exec that reports its own failure with them.
 */
#ifndef OSTOUR_RUNCMD_H
#define OSTOUR_RUNCMD_H

#include <stdnoreturn.h>

enum {
	EXIT_CANNOT_RUN = 125,	/* the tool failed before running it */
	EXIT_CANNOT_EXEC = 126,	/* found, but could not be executed */
	EXIT_NOT_FOUND = 127	/* not found */
};

/*
 * execvp(argv[0], argv); if that fails, report it ("NAME: CMD: REASON")
 * and _exit with 127 when the command was not found, 126 otherwise.
 * Flush stdio before calling it: exec discards unwritten buffers.
 */
noreturn void exec_command(char *const argv[]);

/* The exit status for a failed exec with this errno: 127 or 126. */
int exec_failure_status(int errnum);

#endif
