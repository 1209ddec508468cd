/*
 * Diagnostics that name a file: "tool: PATH: reason".  A file name can
 * hold escape sequences, and an error message is as much on the user's
 * terminal as the output is, so when stderr is a terminal the name is
 * escaped as escape.h escapes names on stdout.  Into a file or a pipe it
 * goes as it is.
 */
#ifndef OSTOUR_PATHMSG_H
#define OSTOUR_PATHMSG_H

/* "tool: PATH: strerror(errnum)", as warnc(errnum, "%s", path) prints. */
void path_warnc(int errnum, const char *path);

/* "tool: PATH: REASON". */
void path_warnx(const char *path, const char *reason);

/*
 * A name or an argument as a message on stderr may show it, in quotes or
 * in a sentence: escaped as above when stderr is a terminal and it needs
 * it, else as it is.  The result stays valid until the call after next,
 * so that one message can show two.
 */
const char *msg_name(const char *name);

#endif
