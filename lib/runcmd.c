/* Running a command (see runcmd.h). */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <unistd.h>

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
	warnc(saved, "%s", argv[0]);
	_exit(exec_failure_status(saved));
}
