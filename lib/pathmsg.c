/* Diagnostics that name a file (see pathmsg.h). */
#include "config.h"

#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "pathmsg.h"

const char *
msg_name(const char *name)
{
	static char *shown[2];
	static int next;

	next ^= 1;
	free(shown[next]);
	shown[next] = NULL;
	if (esc_needed(name, strlen(name)) && isatty(STDERR_FILENO))
		shown[next] = esc_vis(name, strlen(name));
	return shown[next] != NULL ? shown[next] : name;
}

void
path_warnx(const char *path, const char *reason)
{
	/* One warnx call, so the line reaches stderr in one write. */
	warnx("%s: %s", msg_name(path), reason);
}

void
path_warnc(int errnum, const char *path)
{
	path_warnx(path, strerror(errnum));
}
