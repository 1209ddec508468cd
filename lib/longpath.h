/*
 * Paths longer than PATH_MAX, as a tree deeper than that has: the kernel
 * refuses them whole (ENAMETOOLONG), so they are opened a piece at a
 * time, each piece relative to the descriptor of the one before.
 */
#ifndef OSTOUR_LONGPATH_H
#define OSTOUR_LONGPATH_H

/*
 * Open directory `path`, of any length, with O_PATH | O_DIRECTORY |
 * O_CLOEXEC: enough to fstat it, fchdir to it, or use it as the dirfd of
 * an *at() call, and it needs no read permission.  Symbolic links on the
 * way are followed.  Returns the descriptor, or -1 with errno set.
 */
int open_dir_path(const char *path);

#endif
