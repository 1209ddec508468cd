/*
 * access: report or test whether this process may read, write or execute
 * files, and which permission class decided.  Demonstrates access(2) and
 * faccessat(2) with AT_EACCESS; Python: os.access(path, mode) and
 * os.access(path, mode, effective_ids=True).
 */
#include "config.h"

#include <dirent.h>
#include <endian.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cli.h"
#include "escape.h"
#include "json.h"
#include "operands.h"
#include "outcheck.h"
#include "pathmsg.h"
#include "permcreds.h"

/* The four questions, in the order they are reported. */
enum { M_F, M_R, M_W, M_X, NMODES };

static const struct {
	const char *key;	/* JSON key and the letter of the report */
	int amode;		/* for access(2) */
	const char *adjective;	/* for "FILE: not ADJECTIVE: REASON" */
} modes[NMODES] = {
	{ "f", F_OK, NULL },
	{ "r", R_OK, "readable" },
	{ "w", W_OK, "writable" },
	{ "x", X_OK, "executable" },
};

/*
 * The permission classes: the first of owner, group and other that the
 * caller belongs to is the only one whose bits count; "acl" when an access
 * ACL takes the place of the group class; "root" when the bits said no and
 * privilege overrode them.
 */
enum class { C_UNKNOWN, C_OWNER, C_GROUP, C_OTHER, C_ACL, C_ROOT };

static const char *const class_names[] = {
	NULL, "owner", "group", "other", "acl", "root"
};

struct options {
	bool effective, json, quiet;
	unsigned tests;		/* bit (1 << M_x) for each of -f -r -w -x */
};

struct answer {
	bool ok;
	int error;		/* errno when !ok */
	enum class class;
	const char *note;	/* why an EACCES was not the bits' doing */
};

struct report {
	struct answer m[NMODES];
	struct stat st;
	bool have_st;
	enum class class;	/* the class of st for the caller */
};

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-efjqrwx] [--files0-from=file] [file ...]\n",
	    getprogname());
	exit(status);
}

static noreturn void
usage_error(const char *msg)
{
	warnx("%s", msg);
	usage(2);
}

/* Whether the bits of class c in mode grant amode (R_OK 4, W_OK 2, X_OK 1). */
static bool
bits_grant(mode_t mode, enum class c, int amode)
{
	int shift = c == C_OWNER ? 6 : c == C_GROUP ? 3 : 0;

	return ((mode >> shift) & (mode_t)amode) != 0;
}

/*
 * Whether privilege grants what the bits refused, as the kernel's
 * generic_permission() decides: CAP_DAC_OVERRIDE grants reading and
 * writing anything and searching directories, but executing a file only
 * if at least one of its execute bits is set; CAP_DAC_READ_SEARCH grants
 * reading files and reading and searching directories.
 */
static bool
override_grants(const struct stat *st, const struct permcreds *pc, int amode)
{
	if (S_ISDIR(st->st_mode))
		return pc->dac_override ||
		    (pc->dac_read_search && amode != W_OK);
	if (pc->dac_override &&
	    (amode != X_OK || (st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))))
		return true;
	return pc->dac_read_search && amode == R_OK;
}

/*
 * The kernel consults a POSIX access ACL, when the file has one, instead
 * of the group bits (which then hold the ACL's mask); only ask when it
 * would be consulted.
 */
static bool
has_access_acl(const char *path)
{
	return getxattr(path, "system.posix_acl_access", NULL, 0) > 0;
}

/*
 * The answer of the access ACL alone, as the kernel's
 * posix_acl_permission() works it out for a caller that is not the owner:
 * a named user entry, else every group entry of the caller's groups (one
 * that grants it all will do), else other; a named user's or a group's
 * entry limited by the mask.  The extended attribute holds a version
 * (2) and then entries of tag, permission and id, little-endian, sorted
 * by tag.  1 granted, 0 refused, -1 when the ACL cannot be read.
 */
enum { ACL_USER = 0x02, ACL_GROUP_OBJ = 0x04, ACL_GROUP = 0x08,
    ACL_MASK = 0x10, ACL_OTHER = 0x20 };

static int
acl_grants(const char *path, const struct stat *st,
    const struct permcreds *pc, int want)
{
	unsigned char buf[8 * 64 + 4];
	ssize_t len = getxattr(path, "system.posix_acl_access", buf, sizeof(buf));
	size_t n, i, hit = SIZE_MAX;
	uint16_t tag[64], perm[64];
	uint32_t id, version;
	bool found = false;

	if (len < 4 || (len - 4) % 8 != 0)
		return -1;
	memcpy(&version, buf, 4);
	if (le32toh(version) != 2)
		return -1;
	n = (size_t)(len - 4) / 8;
	for (i = 0; i < n; i++) {
		memcpy(&tag[i], buf + 4 + 8 * i, 2);
		memcpy(&perm[i], buf + 6 + 8 * i, 2);
		memcpy(&id, buf + 8 + 8 * i, 4);
		tag[i] = le16toh(tag[i]);
		perm[i] = le16toh(perm[i]);
		id = le32toh(id);
		if (hit != SIZE_MAX)
			continue;
		if (tag[i] == ACL_USER && id == pc->uid)
			hit = i;
		else if ((tag[i] == ACL_GROUP_OBJ &&
		    permcreds_in_group(pc, st->st_gid)) ||
		    (tag[i] == ACL_GROUP && permcreds_in_group(pc, id))) {
			found = true;
			if ((perm[i] & want) == want)
				hit = i;
		} else if (tag[i] == ACL_OTHER)
			return found ? 0 : (perm[i] & want) == want;
	}
	if (hit == SIZE_MAX)
		return found ? 0 : -1;
	for (i = hit + 1; i < n; i++)
		if (tag[i] == ACL_MASK)
			return (perm[hit] & perm[i] & want) == want;
	return (perm[hit] & want) == want;
}

/* The class whose bits the kernel reads: the first that matches, only. */
static enum class
file_class(const char *path, const struct stat *st, const struct permcreds *pc)
{
	if (st->st_uid == pc->uid)
		return C_OWNER;
	if ((st->st_mode & S_IRWXG) && has_access_acl(path))
		return C_ACL;
	if (permcreds_in_group(pc, st->st_gid))
		return C_GROUP;
	return C_OTHER;
}

struct fileid {
	dev_t dev;
	ino_t ino;
};

static int
cmp_fileid(const void *a, const void *b)
{
	const struct fileid *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/*
 * The programs of the running processes we may look at, from
 * /proc/PID/exe, sorted.  Processes of other users are hidden from an
 * unprivileged caller, and a kernel thread has no program.
 */
static struct fileid *
running_programs(size_t *np)
{
	char exe[sizeof(((struct dirent *)0)->d_name) + sizeof("/exe")];
	struct fileid *ids = NULL, *grown;
	size_t n = 0, cap = 0;
	struct dirent *e;
	struct stat st;
	DIR *proc;

	if ((proc = opendir("/proc")) == NULL)
		return NULL;
	while ((e = readdir(proc)) != NULL) {
		if (strspn(e->d_name, "0123456789") != strlen(e->d_name))
			continue;
		snprintf(exe, sizeof(exe), "%s/exe", e->d_name);
		if (fstatat(dirfd(proc), exe, &st, 0) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			if ((grown = reallocarray(ids, cap, sizeof(*ids))) == NULL)
				break;
			ids = grown;
		}
		ids[n++] = (struct fileid){ st.st_dev, st.st_ino };
	}
	closedir(proc);
	if (n > 0)
		qsort(ids, n, sizeof(*ids), cmp_fileid);
	*np = n;
	return ids;
}

/*
 * Whether st is the program of a running process.  The kernel refuses to
 * open such a file for writing (ETXTBSY) but access(2) does not check it,
 * so the running programs are listed, once per run and only when a
 * writable executable turns up.  A best effort: see running_programs.
 */
static bool
is_running_program(const struct stat *st)
{
	static struct fileid *running;
	static size_t n;
	static bool listed;
	struct fileid key = { st->st_dev, st->st_ino };

	if (!listed) {
		listed = true;
		running = running_programs(&n);
	}
	return n > 0 &&
	    bsearch(&key, running, n, sizeof(*running), cmp_fileid) != NULL;
}

/*
 * A regular file that a process we may look at has open, from
 * /proc/PID/fd: the file, and which process and descriptor.
 */
struct openfile {
	struct fileid id;
	pid_t pid;
	int fd;
};

static int
cmp_openfile(const void *a, const void *b)
{
	return cmp_fileid(&((const struct openfile *)a)->id,
	    &((const struct openfile *)b)->id);
}

/* Append the regular files process `pid` has open (its fd directory). */
static void
add_open_files(int fddir, pid_t pid, struct openfile **v, size_t *n,
    size_t *cap)
{
	struct openfile *grown;
	struct dirent *e;
	struct stat st;
	DIR *d;

	if ((d = fdopendir(fddir)) == NULL) {
		close(fddir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' ||
		    fstatat(dirfd(d), e->d_name, &st, 0) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 256;
			if ((grown = reallocarray(*v, *cap, sizeof(**v))) == NULL)
				break;
			*v = grown;
		}
		(*v)[(*n)++] = (struct openfile){ { st.st_dev, st.st_ino },
		    pid, atoi(e->d_name) };
	}
	closedir(d);
}

/*
 * Every regular file open in the processes we may look at, sorted by
 * file.  As for running_programs, an unprivileged caller sees only its
 * own user's processes.
 */
static struct openfile *
open_files(size_t *np)
{
	char fdpath[sizeof(((struct dirent *)0)->d_name) + sizeof("/fd")];
	struct openfile *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *proc;
	int fddir;

	if ((proc = opendir("/proc")) == NULL)
		return NULL;
	while ((e = readdir(proc)) != NULL) {
		if (strspn(e->d_name, "0123456789") != strlen(e->d_name))
			continue;
		snprintf(fdpath, sizeof(fdpath), "%s/fd", e->d_name);
		if ((fddir = openat(dirfd(proc), fdpath,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
			add_open_files(fddir, atoi(e->d_name), &v, &n, &cap);
	}
	closedir(proc);
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_openfile);
	*np = n;
	return v;
}

/* Whether descriptor fd of process pid was opened for writing. */
static bool
opened_for_writing(pid_t pid, int fd)
{
	char path[64], line[128];
	unsigned flags;
	bool writing = false;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%ld/fdinfo/%d", (long)pid, fd);
	if ((fp = fopen(path, "re")) == NULL)
		return false;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "flags: %o", &flags) == 1) {
			writing = (flags & O_ACCMODE) != O_RDONLY;
			break;
		}
	fclose(fp);
	return writing;
}

/*
 * Whether st is open for writing in a process we may look at.  The kernel
 * will not execute such a file (ETXTBSY), but access(2) does not check
 * it; so the open files are listed, once per run and only when a file
 * that may be executed turns up, and the matches' descriptors looked at.
 */
static bool
is_open_for_writing(const struct stat *st)
{
	static struct openfile *files;
	static size_t n;
	static bool listed;
	struct openfile key = { .id = { st->st_dev, st->st_ino } }, *hit;
	size_t i;

	if (!listed) {
		listed = true;
		files = open_files(&n);
	}
	if (n == 0 ||
	    (hit = bsearch(&key, files, n, sizeof(*files), cmp_openfile)) == NULL)
		return false;
	/* bsearch found one of the descriptors: back to the first. */
	for (i = (size_t)(hit - files); i > 0 &&
	    cmp_openfile(&files[i - 1], &key) == 0; i--)
		continue;
	for (; i < n && cmp_openfile(&files[i], &key) == 0; i++)
		if (opened_for_writing(files[i].pid, files[i].fd))
			return true;
	return false;
}

/*
 * A refusal (EACCES) where the bits and the privilege granted the mode was
 * decided by something else; say what, where it can be seen.
 */
static const char *
refusal_note(const char *path, const struct stat *st, int m)
{
	struct statvfs sv;

	if (m == M_X && S_ISREG(st->st_mode) && statvfs(path, &sv) == 0 &&
	    (sv.f_flag & ST_NOEXEC))
		return "file system mounted noexec";
	return "not by the permission bits";
}

/* Ask the kernel about one mode, and work out which class answered. */
static void
check_mode(const char *path, int m, const struct options *o,
    const struct permcreds *pc, struct report *r)
{
	struct answer *a = &r->m[m];
	enum class c = r->class;
	bool granted;

	if (faccessat(AT_FDCWD, path, modes[m].amode,
	    o->effective ? AT_EACCESS : 0) == 0)
		a->ok = true;
	else
		a->error = errno;
	if (!r->have_st)
		return;

	if (c == C_ACL) {
		/* The ACL decided, unless it refused and privilege granted. */
		int acl = acl_grants(path, &r->st, pc, modes[m].amode);

		granted = acl < 0 ? a->ok : acl == 1;
		a->class = C_ACL;
		if (!granted && override_grants(&r->st, pc, modes[m].amode)) {
			a->class = C_ROOT;
			granted = true;
		}
	} else if (bits_grant(r->st.st_mode, c, modes[m].amode)) {
		a->class = c;
		granted = true;
	} else if (override_grants(&r->st, pc, modes[m].amode)) {
		a->class = C_ROOT;
		granted = true;
	} else {
		a->class = c;
		granted = false;
	}
	if (!a->ok && a->error == EACCES && granted)
		a->note = refusal_note(path, &r->st, m);
	if (a->ok && m == M_W && S_ISREG(r->st.st_mode) &&
	    (r->st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) &&
	    is_running_program(&r->st)) {
		a->ok = false;
		a->error = ETXTBSY;
	}
	if (a->ok && m == M_X && S_ISREG(r->st.st_mode) &&
	    is_open_for_writing(&r->st)) {
		a->ok = false;
		a->error = ETXTBSY;
	}
}

/*
 * Answer the modes in `want` for path.  Existence comes first: when the
 * name cannot be resolved every answer is that error.
 */
static void
evaluate(const char *path, unsigned want, const struct options *o,
    const struct permcreds *pc, struct report *r)
{
	memset(r, 0, sizeof(*r));
	check_mode(path, M_F, o, pc, r);
	if (!r->m[M_F].ok) {
		for (int m = M_R; m < NMODES; m++)
			if (want & (1U << m))
				r->m[m] = r->m[M_F];
		return;
	}
	/* Only to explain the answers: access(2) itself decides them. */
	if ((r->have_st = stat(path, &r->st) == 0))
		r->class = file_class(path, &r->st, pc);
	for (int m = M_R; m < NMODES; m++)
		if (want & (1U << m))
			check_mode(path, m, o, pc, r);
}

/*
 * The class part of a report line: one word when every mode was decided
 * by the same class, else "r: CLASS, w: CLASS, x: CLASS".
 */
static void
print_classes(const struct report *r)
{
	enum class c = r->m[M_R].class;

	if (c == r->m[M_W].class && c == r->m[M_X].class) {
		fputs(class_names[c], stdout);
		return;
	}
	for (int m = M_R; m < NMODES; m++)
		printf("%s%s: %s", m == M_R ? "" : ", ", modes[m].key,
		    class_names[r->m[m].class]);
}

/* Open the parenthesised part of a report line, or go on with it. */
static void
trailer_sep(bool *open)
{
	fputs(*open ? "; " : "  (", stdout);
	*open = true;
}

/* "rw-  notes.txt  (owner; x: Text file busy)" */
static void
print_line(const char *path, const struct report *r)
{
	bool open = false;

	for (int m = M_R; m < NMODES; m++)
		putchar(r->m[m].ok ? modes[m].key[0] : '-');
	fputs("  ", stdout);
	esc_puts(stdout, path);
	if (!r->m[M_F].ok) {
		printf("  (%s)\n", strerror(r->m[M_F].error));
		return;
	}
	if (r->have_st) {
		trailer_sep(&open);
		print_classes(r);
	}
	for (int m = M_R; m < NMODES; m++) {
		const struct answer *a = &r->m[m];

		/* A plain refusal by the bits is what the class says. */
		if (a->ok || (a->error == EACCES && a->note == NULL &&
		    r->have_st))
			continue;
		trailer_sep(&open);
		printf("%s: %s", modes[m].key, strerror(a->error));
		if (a->note != NULL)
			printf(" (%s)", a->note);
	}
	fputs(open ? ")\n" : "\n", stdout);
}

static void
print_json(const char *path, const struct report *r)
{
	json_begin();
	json_str("file", path);
	if (r->have_st) {
		json_uint("st_mode", r->st.st_mode);
		json_uint("st_uid", r->st.st_uid);
		json_uint("st_gid", r->st.st_gid);
	} else {
		json_null("st_mode");
		json_null("st_uid");
		json_null("st_gid");
	}
	for (int m = 0; m < NMODES; m++) {
		const struct answer *a = &r->m[m];

		json_object_begin(modes[m].key);
		json_bool("ok", a->ok);
		if (a->ok)
			json_null("errno");
		else
			json_str("errno", strerrorname_np(a->error));
		json_str("class", class_names[a->class]);
		json_object_end();
	}
	json_end();
}

/*
 * In test mode, say why the first failed test failed, as
 * "FILE: not writable: Read-only file system", or "FILE: REASON" when the
 * name itself does not resolve.
 */
static void
warn_failure(const char *path, const struct report *r, unsigned tests)
{
	const char *adjective;
	char reason[128];

	if (!r->m[M_F].ok) {
		path_warnc(r->m[M_F].error, path);
		return;
	}
	for (int m = M_R; m < NMODES; m++) {
		if (!(tests & (1U << m)) || r->m[m].ok)
			continue;
		adjective = modes[m].adjective;
		if (m == M_X && r->have_st && S_ISDIR(r->st.st_mode))
			adjective = "searchable";
		snprintf(reason, sizeof(reason), "not %s: %s", adjective,
		    strerror(r->m[m].error));
		path_warnx(path, reason);
		return;
	}
}

/* Report on or test one file; false if it fails (see EXIT STATUS). */
static bool
access_one(const char *path, const struct options *o,
    const struct permcreds *pc)
{
	struct report r;
	bool passed = true;

	/* Tests without -j need only their modes: no /proc scan for -r. */
	evaluate(path, o->tests != 0 && !o->json ? o->tests :
	    (1U << M_R) | (1U << M_W) | (1U << M_X), o, pc, &r);
	if (o->json)
		print_json(path, &r);
	else if (o->tests == 0)
		print_line(path, &r);
	if (o->tests == 0)
		return r.m[M_F].ok;
	for (int m = 0; m < NMODES; m++)
		if ((o->tests & (1U << m)) && !r.m[m].ok)
			passed = false;
	if (!passed && !o->quiet && !o->json)
		warn_failure(path, &r, o->tests);
	return passed;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "effective", no_argument, NULL, 'e' },
		{ "execute", no_argument, NULL, 'x' },
		{ "exists", no_argument, NULL, 'f' },
		{ "files0-from", required_argument, NULL, CLI_OPT_FILES0_FROM },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "read", no_argument, NULL, 'r' },
		{ "write", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { 0 };
	struct operands ops;
	struct permcreds pc;
	const char *files0_from = NULL, *path, *what;
	int ch, rval = 0;

	outcheck_atexit(1);
	cli_short_name(argv);
	while ((ch = getopt_long(argc, argv, "efhjqrwx", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			o.effective = true;
			break;
		case 'f':
			o.tests |= 1U << M_F;
			break;
		case 'h':
			usage(0);
		case 'j':
			o.json = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'r':
			o.tests |= 1U << M_R;
			break;
		case 'w':
			o.tests |= 1U << M_W;
			break;
		case 'x':
			o.tests |= 1U << M_X;
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
	if (o.quiet && o.tests == 0)
		usage_error("-q needs a test: -f, -r, -w or -x");
	if (o.quiet && o.json)
		usage_error("-q and -j cannot be combined");
	if (operands_init(&ops, argc, argv, files0_from) != 0)
		usage(2);
	if (operands_none(&ops))
		usage_error("missing file operand");
	if (permcreds_get(&pc, !o.effective, &what) != 0)
		err(1, "%s", what);

	while ((path = operands_next(&ops)) != NULL)
		if (!access_one(path, &o, &pc))
			rval = 1;
	if (!operands_all_valid(&ops))
		rval = 1;
	operands_free(&ops);
	permcreds_free(&pc);
	return rval;
}
