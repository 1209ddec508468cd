/* Path operands from argv or --files0-from (see operands.h). */
#include "config.h"

#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "operands.h"
#include "pathmsg.h"

int
operands_init(struct operands *op, int argc, char **argv,
    const char *files0_from)
{
	memset(op, 0, sizeof(*op));
	op->argv = argv;
	if (files0_from == NULL)
		return 0;
	if (argc > 0) {
		warnx("extra operand '%s': file operands cannot be combined "
		    "with --files0-from", msg_name(argv[0]));
		return -1;
	}
	op->list_name = files0_from;
	if (strcmp(files0_from, "-") == 0)
		op->list = stdin;
	else if ((op->list = fopen(files0_from, "re")) == NULL)
		err(2, "%s", files0_from);
	return 0;
}

bool
operands_none(const struct operands *op)
{
	return op->list == NULL && op->argv[0] == NULL;
}

const char *
operands_next(struct operands *op)
{
	ssize_t len;

	if (op->list == NULL)
		return *op->argv != NULL ? *op->argv++ : NULL;
	while ((len = getdelim(&op->buf, &op->cap, '\0', op->list)) >= 0) {
		op->record++;
		/* The last name may lack its terminating NUL. */
		if (op->buf[0] != '\0')
			return op->buf;
		warnx("%s:%zu: invalid zero-length file name",
		    strcmp(op->list_name, "-") == 0 ? "-" : op->list_name,
		    op->record);
		op->invalid = true;
	}
	if (ferror(op->list))
		err(1, "%s", op->list_name);
	return NULL;
}

bool
operands_all_valid(const struct operands *op)
{
	return !op->invalid;
}

void
operands_free(struct operands *op)
{
	free(op->buf);
	op->buf = NULL;
	if (op->list != NULL && op->list != stdin)
		fclose(op->list);
	op->list = NULL;
}
