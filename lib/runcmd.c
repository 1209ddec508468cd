/* Running a command (see runcmd.h). */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "pathmsg.h"
#include "runcmd.h"

int
exec_failure_status(int errnum)
{
	return errnum == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}

void
exec_command(char *const argv[])
{
	int saved;

	execvp(argv[0], argv);
	saved = errno;
	/* The name is escaped on a terminal, as any name in a diagnostic. */
	path_warnc(saved, argv[0]);
	_exit(exec_failure_status(saved));
}
