/*
 * Opening a directory by a path longer than PATH_MAX, a piece at a time.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "longpath.h"

int
open_dir_path(const char *path)
{
	const int flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
	int fd = AT_FDCWD, next, saved;
	size_t cut;
	char *piece;

	while (strlen(path) >= PATH_MAX) {
		/*
		 * The piece is path[0..cut], slash included, and with its NUL
		 * it must fit in PATH_MAX bytes: the slash at PATH_MAX - 2 at
		 * the latest.
		 */
		for (cut = PATH_MAX - 2; cut > 0 && path[cut] != '/'; cut--)
			continue;
		if (cut == 0) {
			errno = ENAMETOOLONG;	/* one name longer than that */
			goto fail;
		}
		if ((piece = strndup(path, cut + 1)) == NULL)
			goto fail;	/* errno is ENOMEM */
		next = openat(fd, piece, flags);
		free(piece);
		if (next < 0)
			goto fail;
		if (fd != AT_FDCWD)
			close(fd);
		fd = next;
		/* A rest starting with '/' would be opened from the root. */
		for (path += cut + 1; *path == '/'; path++)
			continue;
	}
	/* A cut just before the end leaves nothing: the piece itself. */
	next = openat(fd, path[0] != '\0' || fd == AT_FDCWD ? path : ".",
	    flags);
	saved = errno;
	if (fd != AT_FDCWD)
		close(fd);
	errno = saved;
	return next;
fail:
	saved = errno;
	if (fd != AT_FDCWD)
		close(fd);
	errno = saved;
	return -1;
}
