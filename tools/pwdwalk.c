/*
 * pwdwalk: print the working directory, then its parent, and so on up to the
 * root.  Demonstrates getcwd, going up to ".." with open and fchdir, and
 * stat on "." and "..";
 * Python: os.getcwd(), os.chdir(), os.stat(), os.path.ismount().
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "escape.h"
#include "idnames.h"
#include "json.h"
#include "longpath.h"
#include "outcheck.h"
#include "pathmsg.h"

struct options {
	bool logical, long_format, json;
	char term;		/* what ends a record: '\n', or '\0' with -0 */
};

/* One directory on the way up. */
struct step {
	const char *path;	/* as printed: physical, or logical with -L */
	const char *physical;	/* what getcwd() said; NULL if it failed */
	struct stat st;
	bool mount_point;	/* on another device than its parent */
};

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-L | -P] [-0jl] [dir]\n", getprogname());
	exit(status);
}

/*
 * getcwd() into a buffer that grows until the path fits: a working
 * directory can be deeper than PATH_MAX.  NULL with errno set on failure
 * (ENOENT: the directory was removed; EACCES: a parent cannot be read).
 */
static char *
current_dir(void)
{
	/* PATH_MAX fits nearly every path; a deep walk starts where it was. */
	static size_t size = PATH_MAX;
	char *buf = NULL, *grown;

	for (;;) {
		if ((grown = realloc(buf, size)) == NULL)
			err(1, "realloc");
		buf = grown;
		if (getcwd(buf, size) != NULL)
			return buf;
		if (errno != ERANGE || size > SIZE_MAX / 2) {
			free(buf);
			return NULL;
		}
		size *= 2;
	}
}

/* "DIR/..: reason", the parent that could not be reached. */
static void
warn_parent(int errnum, const char *dir)
{
	char *up;

	if (asprintf(&up, "%s/..", dir) < 0)
		err(1, "asprintf");
	path_warnc(errnum, up);
	free(up);
}

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static void
print_step_json(unsigned long n, const struct step *s)
{
	char mode[12];

	strmode(s->st.st_mode, mode);
	mode[10] = '\0';	/* strmode leaves a space for an ACL mark */
	json_begin();
	json_uint("step", n);
	json_str("path", s->path);
	json_str("physical", s->physical);
	json_str("mode", mode);
	json_uint("uid", s->st.st_uid);
	json_str("user", user_name(s->st.st_uid));
	json_uint("gid", s->st.st_gid);
	json_str("group", group_name(s->st.st_gid));
	json_uint("dev", s->st.st_dev);
	json_uint("dev_major", major(s->st.st_dev));
	json_uint("dev_minor", minor(s->st.st_dev));
	json_uint("ino", s->st.st_ino);
	json_bool("mount_point", s->mount_point);
	json_end();
}

/* An owner or group name in a column, escaped on a terminal; else the id. */
static void
print_name_column(const char *name, unsigned long id)
{
	if (name == NULL)
		printf("%-8lu ", id);
	else
		printf("%-8s ", esc_shown(stdout, name));
}

/* -l: mode, owner, group, device, inode and mount mark, as namei -l would. */
static void
print_long_fields(const struct stat *st, bool mount_point)
{
	char mode[12], dev[32];

	strmode(st->st_mode, mode);
	snprintf(dev, sizeof(dev), "%u:%u", major(st->st_dev),
	    minor(st->st_dev));
	printf("%s", mode);
	print_name_column(user_name(st->st_uid), st->st_uid);
	print_name_column(group_name(st->st_gid), st->st_gid);
	printf("%7s %10ju %c ", dev, (uintmax_t)st->st_ino,
	    mount_point ? 'M' : '-');
}

static void
print_step(unsigned long n, const struct step *s, const struct options *o)
{
	if (o->json) {
		print_step_json(n, s);
		return;
	}
	if (o->long_format)
		print_long_fields(&s->st, s->mount_point);
	if (o->term == '\0') {
		fputs(s->path, stdout);
		putchar('\0');
		return;
	}
	esc_puts(stdout, s->path);
	/* -L: where a symbolic link makes the two names differ, show both. */
	if (s->physical != NULL && strcmp(s->path, s->physical) != 0) {
		fputs(" -> ", stdout);
		esc_puts(stdout, s->physical);
	}
	putchar('\n');
}

/* The string parent of a clean absolute path: "/a/b" gives "/a". */
static char *
parent_path(const char *path)
{
	size_t len = strrchr(path, '/') - path;
	char *parent = strndup(path, len > 0 ? len : 1);

	if (parent == NULL)
		err(1, "strndup");
	return parent;
}

/*
 * -P: getcwd() here, then up to "..", and again, until ".." is "." itself:
 * the root, the one directory that is its own parent.  ".." is opened
 * once, then compared and entered through that descriptor, so the
 * directory compared is the one entered even if a rename moves this one.
 */
static bool
walk_physical(const struct options *o)
{
	const int flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
	struct step s;
	struct stat up;
	char *cwd, *prev = NULL;
	int up_fd, up_errno = 0;
	bool ok = true, top;

	for (unsigned long n = 0;; n++) {
		/*
		 * The empty path stats the directory itself: looking up "."
		 * would need search permission in it, and a directory that
		 * cannot be searched still has a path to print.
		 */
		if (fstatat(AT_FDCWD, "", &s.st, AT_EMPTY_PATH) != 0)
			err(1, "stat(.)");
		/*
		 * A removed directory has no path, but still has a parent.
		 * Past PATH_MAX the kernel's getcwd gives up and the C library
		 * searches every parent for the name below it, which makes a
		 * deep walk quadratic; there the parent's path is the child's
		 * without its last name, which is what ".." is when the child's
		 * path is physical.
		 */
		if (prev != NULL && strlen(prev) >= PATH_MAX)
			cwd = parent_path(prev);
		else if ((cwd = current_dir()) == NULL) {
			warn("getcwd");
			ok = false;
		}
		free(prev);
		prev = NULL;
		if ((up_fd = openat(AT_FDCWD, "..", flags)) < 0)
			up_errno = errno;
		else if (fstat(up_fd, &up) != 0)
			err(1, "fstat(..)");
		top = up_fd >= 0 && same_file(&s.st, &up);
		s.mount_point = up_fd >= 0 && !top && s.st.st_dev != up.st_dev;
		s.path = s.physical = cwd;
		if (cwd != NULL)
			print_step(n, &s, o);
		/* Entering it needs search permission, which O_PATH did not. */
		if (up_fd < 0 || (!top && fchdir(up_fd) != 0)) {
			warn_parent(up_fd < 0 ? up_errno : errno,
			    cwd != NULL ? cwd : ".");
			if (up_fd >= 0)
				close(up_fd);
			free(cwd);
			return false;
		}
		close(up_fd);
		prev = cwd;
		if (top) {
			free(prev);
			return ok;
		}
	}
}

/*
 * -L: the logical path and its string parents, as "cd .." in a shell
 * goes up, each opened to stat it and to ask getcwd() where it really is.
 * `here`: the process is in the first one already, and need not enter it
 * (which takes search permission that the working directory may lack).
 */
static bool
walk_logical(char *path, int fd, bool here, const struct options *o)
{
	struct step s;
	struct stat up;
	char *parent = NULL, *phys;
	int up_fd = -1, up_errno = 0;
	bool ok = true, top, physical = false;

	for (unsigned long n = 0;; n++) {
		if (fstat(fd, &s.st) != 0)
			err(1, "fstat(%s)", path);
		/* Entering it needs search permission, which O_PATH did not. */
		if (!(n == 0 && here) && fchdir(fd) != 0) {
			path_warnc(errno, path);
			close(fd);
			free(path);
			return false;
		}
		/*
		 * The string parent of a physical path is physical: past
		 * PATH_MAX, where getcwd is slow (see walk_physical), it is
		 * taken as it is.
		 */
		if (physical && strlen(path) >= PATH_MAX) {
			if ((phys = strdup(path)) == NULL)
				err(1, "strdup");
		} else if ((phys = current_dir()) == NULL) {
			warn("getcwd");
			ok = false;
		}
		physical = phys != NULL && strcmp(phys, path) == 0;
		top = strcmp(path, "/") == 0;
		s.mount_point = false;
		if (!top) {
			parent = parent_path(path);
			if ((up_fd = open_dir_path(parent)) < 0)
				up_errno = errno;
			else if (fstat(up_fd, &up) != 0)
				err(1, "fstat(%s)", parent);
			else
				s.mount_point = s.st.st_dev != up.st_dev;
		}
		s.path = path;
		s.physical = phys;
		print_step(n, &s, o);
		close(fd);
		free(phys);
		free(path);
		if (top)
			return ok;
		if (up_fd < 0) {
			path_warnc(up_errno, parent);
			free(parent);
			return false;
		}
		path = parent;
		fd = up_fd;
	}
}

/* Whether out[0..len) names a directory, symbolic links followed. */
static bool
is_directory(char *out, size_t len)
{
	int fd;

	out[len] = '\0';
	if ((fd = open_dir_path(out)) < 0)
		return false;
	close(fd);
	return true;
}

/*
 * An absolute path with "." and empty names dropped and each ".." taking
 * away the name before it, as "cd -L" reads a path: by its text, not by
 * where the links on the way lead.  As POSIX asks of cd, the name taken
 * away must be a directory: NULL with errno set if it is not.
 */
static char *
clean_path(const char *path)
{
	char *out = malloc(strlen(path) + 2);
	size_t len = 0, n;

	if (out == NULL)
		err(1, "malloc");
	while (*path != '\0') {
		while (*path == '/')
			path++;
		n = strcspn(path, "/");
		if (n == 2 && path[0] == '.' && path[1] == '.') {
			if (len > 0 && !is_directory(out, len)) {
				free(out);
				return NULL;
			}
			while (len > 0 && out[--len] != '/')
				continue;
		} else if (n > 0 && !(n == 1 && path[0] == '.')) {
			out[len++] = '/';
			memcpy(out + len, path, n);
			len += n;
		}
		path += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

/* Whether a path has a "." or ".." among its names. */
static bool
has_dot_names(const char *path)
{
	size_t n;

	for (; *path != '\0'; path += n) {
		while (*path == '/')
			path++;
		n = strcspn(path, "/");
		if ((n == 1 && path[0] == '.') ||
		    (n == 2 && path[0] == '.' && path[1] == '.'))
			return true;
	}
	return false;
}

/*
 * $PWD, if it names the working directory as pwd -L accepts it: absolute,
 * without "." or ".." names, and the same directory as ".".  NULL if not.
 */
static char *
logical_cwd(void)
{
	const char *pwd = getenv("PWD");
	struct stat here, there;
	char *clean;
	int fd;

	if (pwd == NULL || pwd[0] != '/' || has_dot_names(pwd))
		return NULL;
	/* Without "..", clean_path has nothing to check: never NULL. */
	clean = clean_path(pwd);
	if ((fd = open_dir_path(clean)) < 0 || fstat(fd, &there) != 0 ||
	    stat(".", &here) != 0 || !same_file(&here, &there)) {
		if (fd >= 0)
			close(fd);
		free(clean);
		return NULL;
	}
	close(fd);
	return clean;
}

/* clean_path for DIR, given as `dir`: a failure ends pwdwalk. */
static char *
clean_dir(const char *path, const char *dir)
{
	char *clean;

	if ((clean = clean_path(path)) == NULL) {
		path_warnc(errno, dir);
		exit(1);
	}
	return clean;
}

/*
 * Where the logical walk starts: $PWD, or DIR read from $PWD as "cd -L DIR"
 * reads it.  NULL when there is no logical name for it (no usable $PWD
 * and getcwd fails), and the walk can only be physical.
 */
static char *
logical_start(const char *dir)
{
	char *base, *joined, *start;

	if (dir != NULL && dir[0] == '/')
		return clean_dir(dir, dir);
	if ((base = logical_cwd()) == NULL && (base = current_dir()) == NULL)
		return NULL;
	if (dir == NULL)
		return base;
	if (asprintf(&joined, "%s/%s", base, dir) < 0)
		err(1, "asprintf");
	start = clean_dir(joined, dir);
	free(joined);
	free(base);
	return start;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "json", no_argument, NULL, 'j' },
		{ "logical", no_argument, NULL, 'L' },
		{ "long", no_argument, NULL, 'l' },
		{ "null", no_argument, NULL, '0' },
		{ "physical", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .term = '\n' };
	const char *dir = NULL;
	char *start;
	int ch, fd;

	outcheck_atexit(1);
	cli_short_name(argv);
	while ((ch = getopt_long(argc, argv, "0LPhjl", longopts, NULL)) != -1) {
		switch (ch) {
		case '0':
			o.term = '\0';
			break;
		case 'L':
			o.logical = true;
			break;
		case 'P':
			o.logical = false;
			break;
		case 'h':
			usage(0);
		case 'j':
			o.json = true;
			break;
		case 'l':
			o.long_format = true;
			break;
		case CLI_OPT_VERSION:
			cli_version();
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1) {
		warnx("extra operand '%s'", msg_name(argv[1]));
		usage(2);
	}
	if (o.json && o.term == '\0') {
		warnx("-0 and -j cannot be combined");
		usage(2);
	}
	if (argc == 1)
		dir = argv[0];
	/* No directory has the empty name, however -L would join it. */
	if (dir != NULL && dir[0] == '\0') {
		path_warnc(ENOENT, dir);
		return 1;
	}

	if (o.logical && (start = logical_start(dir)) != NULL) {
		/*
		 * "." needs no permission on the way to it, so the first step
		 * is printed even under a parent that cannot be searched; its
		 * path needs none on the directory itself, so the walk goes
		 * on from a working directory that cannot be searched.
		 */
		fd = open_dir_path(dir != NULL ? start : ".");
		if (fd < 0 && dir == NULL && errno == EACCES)
			fd = open_dir_path(start);
		if (fd < 0) {
			path_warnc(errno, dir != NULL ? dir : ".");
			free(start);
			return 1;
		}
		return walk_logical(start, fd, dir == NULL, &o) ? 0 : 1;
	}
	if (dir != NULL) {
		if ((fd = open_dir_path(dir)) < 0 || fchdir(fd) != 0) {
			path_warnc(errno, dir);
			return 1;
		}
		close(fd);
	}
	return walk_physical(&o) ? 0 : 1;
}
