/* Diagnostics that name a file (see pathmsg.h). */
#include "config.h"

#include <err.h>
#include <string.h>

#include "escape.h"
#include "pathmsg.h"

const char *
msg_name(const char *name)
{
	return esc_shown(stderr, name);
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
