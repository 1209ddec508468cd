/*
 * togglex: toggle the execute bit of the owner, the group or others, and
 * nothing else.  Demonstrates fstat(2) and fchmodat(2) on the file an open
 * descriptor names, with the S_IX* constants; Python: os.chmod(path,
 * os.stat(path).st_mode ^ stat.S_IXUSR), os.fchmod(fd, mode).
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "escape.h"
#include "json.h"
#include "operands.h"
#include "outcheck.h"
#include "pathmsg.h"
#include "permcreds.h"

#define PERM_BITS	07777	/* what chmod sets: rwx, set-id and sticky */

struct options {
	mode_t bits;		/* the execute bits to flip */
	bool dry_run, verbose, json;
};

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-agjnouv] [--files0-from=file] [file ...]\n",
	    getprogname());
	exit(status);
}

/*
 * "togglex: NAME: REASON", the name escaped as pathmsg.h escapes it: a
 * hostile name must not reach the terminal through a diagnostic either.
 */
static void __attribute__((format(printf, 2, 3)))
warn_name(const char *name, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	path_warnx(name, reason);
}

/* "file: -rw-r--r-- -> -rwxr--r--", or with -j one JSON object. */
static void
print_change(const char *name, mode_t type, mode_t from, mode_t to,
    const struct options *o)
{
	/* strmode writes ten characters, a space and a NUL. */
	char a[12], b[12], oa[8], ob[8];

	strmode(type | from, a);
	strmode(type | to, b);
	a[10] = b[10] = '\0';
	if (o->json) {
		snprintf(oa, sizeof(oa), "%04o", (unsigned)from);
		snprintf(ob, sizeof(ob), "%04o", (unsigned)to);
		json_begin();
		json_str("file", name);
		json_str("mode_before", oa);
		json_str("mode_after", ob);
		json_str("filemode_before", a);
		json_str("filemode_after", b);
		json_bool("dry_run", o->dry_run);
		json_end();
		return;
	}
	esc_puts(stdout, name);
	printf(": %s -> %s\n", a, b);
}

/*
 * Whether chmod may change this file at all: only its owner may, or a
 * process with CAP_FOWNER.  Used for the dry run; a real run asks the
 * kernel.
 */
static bool
may_chmod(const struct stat *st, const struct permcreds *pc)
{
	return st->st_uid == pc->uid || pc->fowner;
}

/*
 * chmod(2) silently clears set-group-ID when the caller is neither in the
 * file's group nor has CAP_FSETID.  togglex changes only execute bits, so
 * it refuses rather than let the kernel drop another one.
 */
static bool
keeps_setgid(const struct stat *st, mode_t mode, const struct permcreds *pc)
{
	return !(mode & S_ISGID) || pc->fsetid ||
	    permcreds_in_group(pc, st->st_gid);
}

/*
 * Without /proc (a bare chroot or container) an O_PATH descriptor cannot
 * be used for chmod.  Then open the name again, for reading, only for a
 * regular file or a directory, and change it only if the new descriptor
 * is the very file that was looked at: a rename in between makes the
 * change fail instead of landing on another file.
 */
static bool
chmod_reopened(const char *name, const struct stat *st, mode_t mode)
{
	struct stat now;
	bool ok = false;
	int fd;

	if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) {
		path_warnx(name, "/proc is not mounted: only regular files "
		    "and directories can be changed");
		return false;
	}
	/* O_NONBLOCK and O_NOCTTY in case the name became a FIFO or tty. */
	fd = open(name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
	    (S_ISDIR(st->st_mode) ? O_DIRECTORY : 0));
	if (fd < 0)
		path_warnc(errno, name);
	else if (fstat(fd, &now) != 0)
		warn_name(name, "fstat: %s", strerror(errno));
	else if (now.st_dev != st->st_dev || now.st_ino != st->st_ino)
		path_warnx(name, "replaced by another file while being changed");
	else if (fchmod(fd, mode) != 0)
		path_warnc(errno, name);
	else
		ok = true;
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * chmod the file that fd, an O_PATH descriptor, refers to.  fchmod(2)
 * refuses O_PATH descriptors (EBADF), but /proc/self/fd/N is a link to
 * the descriptor's own inode, not to its name: chmod through it changes
 * the file that was opened and stat'ed, even if the name has since been
 * renamed or replaced.  O_PATH needs no read permission and opens a
 * device or a FIFO without side effects, so every kind of file goes the
 * same way; an O_RDONLY descriptor would need both.
 */
static bool
chmod_fd(int fd, const char *name, const struct stat *st, mode_t mode)
{
	char link[sizeof("/proc/self/fd/") + 3 * sizeof(int)];

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if (fchmodat(AT_FDCWD, link, mode, 0) == 0)
		return true;
	/* The descriptor is open, so ENOENT means no /proc. */
	if (errno == ENOENT)
		return chmod_reopened(name, st, mode);
	path_warnc(errno, name);
	return false;
}

/* Toggle one file's execute bits; false if it could not be done. */
static bool
toggle_one(const char *name, const struct options *o,
    const struct permcreds *pc)
{
	struct stat st, after;
	mode_t from, to;
	bool ok = false;
	int fd;

	/* Symlinks are followed, as chmod(1) does. */
	if ((fd = open(name, O_PATH | O_CLOEXEC)) < 0) {
		path_warnc(errno, name);
		return false;
	}
	if (fstat(fd, &st) != 0) {
		warn_name(name, "fstat: %s", strerror(errno));
		goto out;
	}
	from = st.st_mode & PERM_BITS;
	to = from ^ o->bits;
	if (o->dry_run && !may_chmod(&st, pc)) {
		path_warnc(EPERM, name);
		goto out;
	}
	if (may_chmod(&st, pc) && !keeps_setgid(&st, to, pc)) {
		path_warnx(name, "not changed: chmod would clear the "
		    "set-group-ID bit (the file's group is not one of yours)");
		goto out;
	}
	if (!o->dry_run) {
		if (!chmod_fd(fd, name, &st, to))
			goto out;
		/* Some file systems ignore or adjust a mode; say so. */
		if (fstat(fd, &after) != 0) {
			warn_name(name, "fstat: %s", strerror(errno));
			goto out;
		}
		if ((after.st_mode & PERM_BITS) != to) {
			warn_name(name, "mode is %04o after chmod, not %04o",
			    (unsigned)(after.st_mode & PERM_BITS),
			    (unsigned)to);
			goto out;
		}
	}
	if (o->verbose || o->dry_run || o->json)
		print_change(name, st.st_mode & S_IFMT, from, to, o);
	ok = true;
out:
	close(fd);
	return ok;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "all", no_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "files0-from", required_argument, NULL, CLI_OPT_FILES0_FROM },
		{ "group", no_argument, NULL, 'g' },
		{ "json", no_argument, NULL, 'j' },
		{ "other", no_argument, NULL, 'o' },
		{ "user", no_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { 0 };
	struct operands ops;
	struct permcreds pc;
	const char *files0_from = NULL, *name, *what;
	int ch, rval = 0;

	outcheck_atexit(1);
	cli_short_name(argv);
	while ((ch = getopt_long(argc, argv, "aghjnouv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			o.bits |= S_IXUSR | S_IXGRP | S_IXOTH;
			break;
		case 'g':
			o.bits |= S_IXGRP;
			break;
		case 'h':
			usage(0);
		case 'j':
			o.json = true;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 'o':
			o.bits |= S_IXOTH;
			break;
		case 'u':
			o.bits |= S_IXUSR;
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
	if (o.bits == 0)
		o.bits = S_IXUSR;
	if (operands_init(&ops, argc, argv, files0_from) != 0)
		usage(2);
	if (operands_none(&ops)) {
		warnx("missing file operand");
		usage(2);
	}
	if (permcreds_get(&pc, false, &what) != 0)
		err(1, "%s", what);

	while ((name = operands_next(&ops)) != NULL)
		if (!toggle_one(name, &o, &pc))
			rval = 1;
	if (!operands_all_valid(&ops))
		rval = 1;
	operands_free(&ops);
	permcreds_free(&pc);
	return rval;
}
