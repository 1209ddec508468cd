/* The exit-time check of standard output (see outcheck.h). */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "outcheck.h"

static int failure_status = 1;

static void
write_error(int saved_errno)
{
	if (saved_errno != 0)
		warnc(saved_errno, "write error");
	else
		warnx("write error");
	_exit(failure_status);
}

void
outcheck_flush(void)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		write_error(errno);
}

static void
close_stdout(void)
{
	outcheck_flush();
	/* A descriptor already closed by the caller is not a write error. */
	if (fclose(stdout) != 0 && errno != EBADF)
		write_error(errno);
}

void
outcheck_atexit(int status)
{
	failure_status = status;
	if (atexit(close_stdout) != 0)
		errx(status, "atexit failed");
}
