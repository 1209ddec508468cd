/* Diagnostics that name a file (see pathmsg.h). */
#include "config.h"

#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "pathmsg.h"

void
path_warnx(const char *path, const char *reason)
{
	char *shown = NULL;

	/* One warnx call, so the line reaches stderr in one write. */
	if (esc_needed(path, strlen(path)) && isatty(STDERR_FILENO))
		shown = esc_vis(path, strlen(path));
	warnx("%s: %s", shown != NULL ? shown : path, reason);
	free(shown);
}

void
path_warnc(int errnum, const char *path)
{
	path_warnx(path, strerror(errnum));
}
