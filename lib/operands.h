/*
 * Path operands, from the command line or from --files0-from=FILE: a list
 * of NUL-terminated names ("-" is stdin), as GNU du and wc read it, so
 * that any name, newlines included, can come from another tool's -0
 * output.  The two sources do not mix, as in du.
 */
#ifndef OSTOUR_OPERANDS_H
#define OSTOUR_OPERANDS_H

#include <stdbool.h>
#include <stdio.h>

struct operands {
	char **argv;		/* the remaining command-line operands */
	FILE *list;		/* the --files0-from stream, or NULL */
	const char *list_name;
	char *buf;		/* the last name read from the list */
	size_t cap;
	size_t record;		/* how many names the list has given */
	bool invalid;		/* the list held an empty name */
};

/*
 * Start reading operands: argv (argc of them) or, if files0_from is not
 * NULL, that file.  Returns 0, or -1 after a one-line message on stderr
 * when both were given (a usage error: the caller prints its usage and
 * exits 2).  A list that cannot be opened is fatal: err(2).
 */
int operands_init(struct operands *op, int argc, char **argv,
    const char *files0_from);

/* Whether there are no operands at all (not for a list, read later). */
bool operands_none(const struct operands *op);

/*
 * The next operand, or NULL at the end.  A name from a list is valid
 * until the next call; a read error on the list is fatal: err(1).  An
 * empty name in a list is reported ("LIST:N: invalid zero-length file
 * name", as GNU du says) and skipped.
 */
const char *operands_next(struct operands *op);

/* Whether every name was valid; if not, the tool's exit status is 1. */
bool operands_all_valid(const struct operands *op);

/* Release what operands_next allocated and close the list. */
void operands_free(struct operands *op);

#endif
