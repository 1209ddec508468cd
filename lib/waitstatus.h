/*
 * Wait statuses, as wait(2) and its relatives return them, and the names
 * of the signals they report.
 */
#ifndef OSTOUR_WAITSTATUS_H
#define OSTOUR_WAITSTATUS_H

#include <stddef.h>
#include <stdnoreturn.h>

/*
 * How a process ended, for a person: "exited 0", "killed by SIGKILL",
 * "killed by SIGSEGV (core dumped)", "stopped by SIGTSTP", "continued".
 * Returns buf.
 */
char *wait_describe(int status, char *buf, size_t size);

/* The exit status that reports it: the process's own, or 128+S. */
int wait_exit_code(int status);

/* "SIGKILL" for SIGKILL, "SIGRTMIN+3" for a real-time signal, "signal 99". */
const char *signal_name(int sig, char *buf, size_t size);

/*
 * Parse a signal given by name (KILL, SIGKILL, kill, RTMIN+2) or number.
 * Returns the signal number, or -1 if there is no such signal.
 */
int signal_parse(const char *s);

/*
 * Die of signal `sig`, after flushing stdout: for a tool whose command was
 * killed by a signal that reached the tool too (typed at the terminal, or
 * passed on), so that the shell running it sees an interruption, not an
 * exit, and stops its script or loop as it would for the command itself
 * (bash goes on after a child that exits 130).  No core is left.
 */
noreturn void die_by_signal(int sig);

#endif
