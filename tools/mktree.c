/*
 * mktree: make directories, or a whole path of them, and remove them again.
 * Demonstrates mkdir(2), mkdirat(2), rmdir(2) and umask(2); Python:
 * os.mkdir(), os.makedirs(), os.rmdir(), os.removedirs().
 */
#include "config.h"

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "escape.h"
#include "json.h"
#include "longpath.h"
#include "operands.h"
#include "outcheck.h"
#include "pathmsg.h"

struct options {
	bool parents, remove, verbose, json;
	char term;		/* what ends a line of -v output */
	mode_t final_mode;	/* given to mkdir for the last component */
	mode_t parent_mode;	/* given to mkdir for the others, with -p */
	bool fix_mode;		/* -m asked for bits mkdir cannot set alone */
	bool keep_sgid;		/* -m says nothing of the set-group-ID bit */
	mode_t wanted;		/* the mode -m asked for */
};

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-p] [-m mode] [-v] [-0 | -j] [--files0-from=file] dir ...\n"
	    "       %s -r [-p] [-v] [-0 | -j] [--files0-from=file] dir ...\n",
	    getprogname(), getprogname());
	exit(status);
}

static noreturn void
usage_error(const char *msg)
{
	warnx("%s", msg);
	usage(2);
}

/*
 * With -v, the output is exactly the list of directories changed; with
 * -j, the same as JSON Lines, saying which change.
 */
static void
announce(const struct options *o, const char *path)
{
	if (o->json) {
		json_begin();
		json_str("path", path);
		json_str("action", o->remove ? "removed" : "made");
		json_end();
		return;
	}
	if (!o->verbose)
		return;
	/* -0 carries the names exactly, even to a terminal. */
	if (o->term == '\0')
		fputs(path, stdout);
	else
		esc_puts(stdout, path);
	putchar(o->term);
}

/*
 * A directory to make is `name` relative to `dirfd`; `path` is how the
 * operand spells it, for -v and for messages.  The two differ only where
 * a path too long for mkdir(2) is made one component at a time.
 */
static bool
is_dir(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

/*
 * chmod without following a symbolic link, so that a directory swapped
 * for a link in between is not what gets the mode.  The C library does
 * that through /proc; where /proc is not mounted (EOPNOTSUPP), through a
 * descriptor opened with O_NOFOLLOW instead.
 */
static int
chmod_nofollow(int dirfd, const char *name, mode_t mode)
{
	int fd, rc, saved;

	if (fchmodat(dirfd, name, mode, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	if (errno != EOPNOTSUPP)
		return -1;
	if ((fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return -1;
	rc = fchmod(fd, mode);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/*
 * The last component was made; give it the mode -m asked for where mkdir
 * could not (bits the umask removed, set-user-ID and set-group-ID).  A
 * set-group-ID bit the directory inherited from its parent stays, unless
 * the mode says otherwise (see mode_names_sgid).
 */
static bool
set_final_mode(const struct options *o, int dirfd, const char *name,
    const char *path)
{
	mode_t mode = o->wanted;
	struct stat st;

	if (!o->fix_mode)
		return true;
	if (o->keep_sgid) {
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			goto fail;
		mode |= st.st_mode & S_ISGID;
	}
	if (chmod_nofollow(dirfd, name, mode) == 0)
		return true;
fail:
	path_warnc(errno, path);
	return false;
}

/* mkdir made path: say so, and give the last component its -m mode. */
static bool
made(const struct options *o, int dirfd, const char *name, const char *path,
    bool last)
{
	announce(o, path);
	return last ? set_final_mode(o, dirfd, name, path) : true;
}

/*
 * mkdir(path) failed with `saved`.  A directory already there is fine for
 * a parent, and for the last component with -p; that is also what a
 * concurrent creator leaves behind.
 */
static bool
not_made(const struct options *o, int dirfd, const char *name,
    const char *path, bool last, int saved)
{
	if (saved == EEXIST && (o->parents || !last) && is_dir(dirfd, name))
		return true;
	/* A parent in the way is not a directory: say so, naming it. */
	path_warnc(saved == EEXIST && !last ? ENOTDIR : saved, path);
	return false;
}

static bool
make_one(const struct options *o, int dirfd, const char *name,
    const char *path, bool last)
{
	if (mkdirat(dirfd, name, last ? o->final_mode : o->parent_mode) == 0)
		return made(o, dirfd, name, path, last);
	return not_made(o, dirfd, name, path, last, errno);
}

/* Where the slashes before the last component of path[0..len) start. */
static char *
last_separator(char *path, size_t len)
{
	char *p = path + len;

	while (p > path && p[-1] != '/')
		p--;
	if (p == path)
		return NULL;
	while (p > path + 1 && p[-2] == '/')
		p--;
	/* A leading slash is the root, not a separator. */
	return p - 1 == path ? NULL : p - 1;
}

/* The length of path without its trailing slashes (but "/" stays "/"). */
static size_t
trimmed_len(const char *path)
{
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	return len;
}

/*
 * For a path too long for mkdir(2) and rmdir(2) (ENAMETOOLONG: past
 * PATH_MAX, as walktree lists the paths of a deep tree): its parent,
 * opened a piece at a time, and in *name its last component, for mkdirat
 * and unlinkat.  -1 with errno set if the parent cannot be opened, or if
 * the path is a single name too long.
 */
static int
open_parent(const char *path, const char **name)
{
	const char *last = path + trimmed_len(path);
	char *parent;
	int fd;

	while (last > path && last[-1] != '/')
		last--;
	if (last == path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((parent = strndup(path, (size_t)(last - path))) == NULL)
		err(1, "strndup");
	fd = open_dir_path(parent);
	free(parent);
	*name = last;
	return fd;
}

/* mkdir, for a path of any length. */
static bool
make_dir(const struct options *o, const char *path)
{
	const char *name;
	int dirfd;
	bool ok;

	if (mkdir(path, o->final_mode) == 0)
		return made(o, AT_FDCWD, path, path, true);
	if (errno != ENAMETOOLONG)
		return not_made(o, AT_FDCWD, path, path, true, errno);
	if ((dirfd = open_parent(path, &name)) < 0) {
		path_warnc(errno, path);
		return false;
	}
	ok = make_one(o, dirfd, name, path, true);
	close(dirfd);
	return ok;
}

/* rmdir, for a path of any length: 0, or -1 with errno set. */
static int
remove_dir(const char *path)
{
	const char *name;
	int dirfd, rc, saved;

	if (rmdir(path) == 0)
		return 0;
	if (errno != ENAMETOOLONG || (dirfd = open_parent(path, &name)) < 0)
		return -1;
	rc = unlinkat(dirfd, name, AT_REMOVEDIR);
	saved = errno;
	close(dirfd);
	errno = saved;
	return rc;
}

/*
 * makedirs for a path that mkdir(2) refuses as too long (past PATH_MAX,
 * as walktree lists the paths of a deep tree): one component at a time,
 * each made relative to its parent's descriptor, as mkdir -p does.  The
 * parents are opened with O_PATH, which needs no read permission.
 */
static bool
make_parents_at(const struct options *o, char *path)
{
	char *name = path, *end, *next;
	int dirfd = AT_FDCWD, fd;
	bool ok = true;

	if (*name == '/') {
		if ((dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
			path_warnc(errno, "/");
			return false;
		}
		name += strspn(name, "/");
	}
	for (;;) {
		end = name + strcspn(name, "/");
		next = end + strspn(end, "/");
		/* The last component keeps its trailing slashes, as spelled. */
		if (*next == '\0') {
			ok = make_one(o, dirfd, name, path, true);
			break;
		}
		*end = '\0';
		if (!make_one(o, dirfd, name, path, false)) {
			ok = false;
			break;
		}
		if ((fd = openat(dirfd, name, O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) < 0) {
			path_warnc(errno, path);
			ok = false;
			break;
		}
		*end = '/';
		if (dirfd != AT_FDCWD)
			close(dirfd);
		dirfd = fd;
		name = next;
	}
	if (dirfd != AT_FDCWD)
		close(dirfd);
	return ok;
}

/*
 * makedirs: one mkdir on the common path.  Only when it fails for want of
 * a parent, walk back cutting the path at its slashes until a prefix can
 * be made (or exists), then forward again making each component.
 */
static bool
make_parents(const struct options *o, char *path)
{
	size_t full = strlen(path), cur;
	char *cut;
	int saved;

	if (mkdir(path, o->final_mode) == 0)
		return made(o, AT_FDCWD, path, path, true);
	saved = errno;
	if (saved == ENAMETOOLONG)
		return make_parents_at(o, path);
	if (saved != ENOENT && saved != ENOTDIR)
		return not_made(o, AT_FDCWD, path, path, true, saved);
	for (;;) {
		if ((cut = last_separator(path, trimmed_len(path))) == NULL) {
			path_warnc(saved, path);
			return false;
		}
		*cut = '\0';
		if (mkdir(path, o->parent_mode) == 0) {
			made(o, AT_FDCWD, path, path, false);
			break;
		}
		saved = errno;
		if (saved == ENOENT || saved == ENOTDIR)
			continue;
		if (!not_made(o, AT_FDCWD, path, path, false, saved))
			return false;
		break;
	}
	/* Forward: restore each cut in turn and make that prefix. */
	while ((cur = strlen(path)) < full) {
		path[cur] = '/';
		if (!make_one(o, AT_FDCWD, path, path, strlen(path) == full))
			return false;
	}
	return true;
}

/*
 * removedirs: rmdir the directory, then each parent in turn, stopping
 * quietly at the first that cannot go (not empty, not ours, the root).
 * rmdir never removes a directory that holds anything.
 */
static bool
remove_one(const struct options *o, const char *path)
{
	if (remove_dir(path) != 0) {
		path_warnc(errno, path);
		return false;
	}
	announce(o, path);
	return true;
}

static bool
remove_path(const struct options *o, char *path)
{
	char *cut;

	if (!remove_one(o, path))
		return false;
	while ((cut = last_separator(path, trimmed_len(path))) != NULL) {
		*cut = '\0';
		if (remove_dir(path) != 0)
			break;
		announce(o, path);
	}
	return true;
}

static bool
process(const struct options *o, const char *operand)
{
	char *path;
	bool ok;

	if (!o->parents)
		return o->remove ? remove_one(o, operand) :
		    make_dir(o, operand);
	/* -p cuts the path at its slashes: work on a copy. */
	if ((path = strdup(operand)) == NULL)
		err(1, "strdup");
	ok = o->remove ? remove_path(o, path) : make_parents(o, path);
	free(path);
	return ok;
}

/*
 * Whether -m says anything of the set-group-ID bit, which a directory made
 * in a set-group-ID directory inherits, so that the tree keeps its group.
 * As GNU mkdir and chmod read a mode: an octal one of four digits or fewer
 * only if it sets the bit (0755 keeps what is inherited, 2755 sets it,
 * 00755 clears it); a symbolic one only with an "s" (g-s, g+s).
 */
static bool
mode_names_sgid(const char *arg, mode_t wanted)
{
	if (arg[strspn(arg, "01234567")] == '\0')
		return strlen(arg) >= 5 || (wanted & S_ISGID) != 0;
	return strchr(arg, 's') != NULL;
}

/*
 * The modes to pass to mkdir.  Parents get the default mode, but always
 * writable and searchable by the owner (or -p could not go on below
 * them), as mkdir -p does; the umask is narrowed for that only when it
 * would remove those bits.
 */
static void
set_modes(struct options *o, const char *mode_arg)
{
	void *set = NULL;
	mode_t mask;

	o->final_mode = 0777;
	o->parent_mode = 0777;
	/* setmode reads the umask for modes like "+x": before it changes. */
	if (mode_arg != NULL && (set = setmode(mode_arg)) == NULL) {
		if (errno == ENOMEM)
			err(2, "setmode");
		warnx("invalid mode '%s'", msg_name(mode_arg));
		usage(2);
	}
	if (mode_arg == NULL && !o->parents)
		return;
	mask = umask(0);
	if (o->parents && (mask & (S_IWUSR | S_IXUSR)) != 0) {
		/* The last component keeps the caller's umask. */
		o->final_mode = 0777 & ~mask;
		mask &= ~(mode_t)(S_IWUSR | S_IXUSR);
	}
	umask(mask);
	if (set == NULL)
		return;
	o->wanted = getmode(set, 0777);
	free(set);
	o->final_mode = o->wanted & (0777 | S_ISVTX);
	o->keep_sgid = !mode_names_sgid(mode_arg, o->wanted);
	/* Clearing an inherited set-group-ID bit takes a chmod too. */
	o->fix_mode = (o->final_mode & mask) != 0 ||
	    (o->wanted & (S_ISUID | S_ISGID)) != 0 || !o->keep_sgid;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "files0-from", required_argument, NULL, CLI_OPT_FILES0_FROM },
		{ "json", no_argument, NULL, 'j' },
		{ "mode", required_argument, NULL, 'm' },
		{ "null", no_argument, NULL, '0' },
		{ "parents", no_argument, NULL, 'p' },
		{ "remove", no_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	/* Big reads of a long --files0-from list on stdin. */
	static char inbuf[1 << 16];
	struct options o = { .term = '\n' };
	struct operands ops;
	const char *mode_arg = NULL, *files0_from = NULL, *path;
	bool zero = false, ok = true;
	int ch;

	outcheck_atexit(1);
	cli_short_name(argv);
	while ((ch = getopt_long(argc, argv, "0hjm:prv", longopts, NULL)) != -1) {
		switch (ch) {
		case '0':
			zero = true;
			break;
		case 'h':
			usage(0);
		case 'j':
			o.json = true;
			break;
		case 'm':
			mode_arg = optarg;
			break;
		case 'p':
			o.parents = true;
			break;
		case 'r':
			o.remove = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case CLI_OPT_FILES0_FROM:
			files0_from = optarg;
			break;
		case CLI_OPT_VERSION:
			cli_version();
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (o.remove && mode_arg != NULL)
		usage_error("-m gives the mode of new directories: not with -r");
	if (zero && o.json)
		usage_error("-0 and -j cannot be combined");
	if (zero)
		o.term = '\0';
	if (files0_from == NULL && argc == 0)
		usage_error("missing operand");
	if (!o.remove)
		set_modes(&o, mode_arg);
	if (operands_init(&ops, argc, argv, files0_from) != 0)
		usage(2);
	if (ops.list == stdin)
		setvbuf(stdin, inbuf, _IOFBF, sizeof(inbuf));

	while ((path = operands_next(&ops)) != NULL)
		ok &= process(&o, path);
	ok &= operands_all_valid(&ops);
	operands_free(&ops);
	return ok ? 0 : 1;
}
