/*
 * walktree: walk directory trees top-down or bottom-up, as os.walk does.
 * Demonstrates openat(2) relative to the parent's descriptor, getdents64(2)
 * with d_type, and fstatat(2) only where d_type is not enough; Python:
 * os.walk(), os.fwalk(), os.scandir().
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "escape.h"
#include "json.h"
#include "operands.h"
#include "outcheck.h"
#include "pathmsg.h"

/* Big enough that most directories take one getdents64 call. */
#define DENTS_SIZE	(256 * 1024)
/* Directory descriptors kept open at most, however deep the walk. */
#define MAX_OPEN	32

/* -t draws with the box-drawing characters tree(1) uses in UTF-8. */
#define TREE_MID	"\342\224\234\342\224\200\342\224\200 "	/* "├── " */
#define TREE_LAST	"\342\224\224\342\224\200\342\224\200 "	/* "└── " */
#define TREE_BAR	"\342\224\202   "				/* "│   " */
#define TREE_SPACE	"    "

enum format { FMT_LIST, FMT_PATHS, FMT_TREE, FMT_JSON };

/*
 * An entry's kind, kept in the byte before its name.  It starts as d_type
 * says and is refined by fstatat only when a question needs it.
 */
enum kind {
	K_UNKNOWN = 1,	/* DT_UNKNOWN: fstatat will tell */
	K_DIR,
	K_LINK,		/* a symbolic link whose target is not looked at yet */
	K_LINK_DIR,	/* a symbolic link to a directory */
	K_LINK_LOOP,	/* a symbolic link in a loop of links (ELOOP) */
	K_LINK_OTHER,	/* a link to anything else, or to nothing */
	K_OTHER		/* anything else */
};

struct options {
	enum format fmt;
	bool bottom_up, follow, one_fs, unsorted, dirs_only;
	char term;
	long long max_depth;
};

/* One directory on the way from the root to the one being read. */
struct level {
	int fd;			/* -1 while closed to bound the descriptors */
	bool have_id, via_link, dead;
	dev_t dev;
	ino_t ino;
	const char *name;	/* in the parent's names; NULL for the root */
	char *names;		/* per entry: its kind, its name, a NUL */
	size_t used, cap;
	size_t *ents;		/* where each entry starts in names */
	size_t n, ents_cap, next;
	size_t pathlen;		/* this directory's path is path[0..pathlen) */
	size_t treelen;		/* -t: tree[0..treelen) starts its lines */
	size_t last_shown;	/* -t: the last of its entries drawn */
};

struct walk {
	const struct options *o;
	const char *root;
	struct level *lv;	/* lv[0..depth]: the root down to here */
	size_t depth, nlevels;
	size_t lowest_open;	/* lv[lowest_open..depth] have descriptors */
	size_t max_open;
	char *path;		/* the current path, for output only */
	size_t path_cap;
	char *tree;		/* -t: the drawing left of the entries */
	size_t tree_cap;
	char *dents;
	dev_t root_dev;
	bool tty, ok, records;
	unsigned long long ndirs, nfiles;
};

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-DdLUx] [-m depth] [-p [-0] | -t | -j] "
	    "[--files0-from=file] [dir ...]\n", getprogname());
	exit(status);
}

static noreturn void
usage_error(const char *msg)
{
	warnx("%s", msg);
	usage(2);
}

/* Grow *p (of *cap elements of size elem) to hold at least need. */
static void *
grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap != 0 ? *cap : 64;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	if ((p = reallocarray(p, n, elem)) == NULL)
		err(1, "out of memory");
	*cap = n;
	return p;
}

/* The path of length len, NUL-terminated for a message. */
static const char *
path_at(struct walk *w, size_t len)
{
	w->path[len] = '\0';
	return w->path;
}

static void
fail(struct walk *w, int errnum, size_t len)
{
	path_warnc(errnum, path_at(w, len));
	w->ok = false;
}

/* Put base + "/" + name in the path buffer; return its length. */
static size_t
path_join(struct walk *w, size_t base, const char *name)
{
	size_t n = strlen(name);
	bool slash = base > 0 && w->path[base - 1] != '/';

	w->path = grow(w->path, &w->path_cap, base + slash + n + 1, 1);
	if (slash)
		w->path[base++] = '/';
	memcpy(w->path + base, name, n);
	return base + n;
}

/*
 * One path of -p: a single unlocked copy into the output buffer, or
 * escaped on a terminal.
 */
static void
emit_path(struct walk *w, size_t len)
{
	if (w->tty) {
		esc_write(stdout, w->path, len);
		putchar(w->o->term);
		return;
	}
	w->path[len] = w->o->term;
	fwrite_unlocked(w->path, 1, len + 1, stdout);
}

static char *
entry(const struct level *l, size_t i)
{
	return l->names + l->ents[i];
}

/*
 * The kind of entry i of the directory being read.  Symbolic links are
 * followed only when the answer depends on their target.
 */
static enum kind
entry_kind(const struct level *l, size_t i, bool resolve_links)
{
	char *e = entry(l, i);
	struct stat st;

	if (*e == K_UNKNOWN) {
		/* Gone since getdents64 listed it: a file as far as we know. */
		if (fstatat(l->fd, e + 1, &st, AT_SYMLINK_NOFOLLOW) != 0)
			*e = K_OTHER;
		else
			*e = S_ISDIR(st.st_mode) ? K_DIR :
			    S_ISLNK(st.st_mode) ? K_LINK : K_OTHER;
	}
	if (*e == K_LINK && resolve_links) {
		if (fstatat(l->fd, e + 1, &st, 0) == 0)
			*e = S_ISDIR(st.st_mode) ? K_LINK_DIR : K_LINK_OTHER;
		else
			*e = errno == ELOOP ? K_LINK_LOOP : K_LINK_OTHER;
	}
	return (enum kind)*e;
}

/* Whether entry i is among os.walk's dirnames: links to directories are. */
static bool
is_dirname(const struct level *l, size_t i)
{
	enum kind k = entry_kind(l, i, true);

	return k == K_DIR || k == K_LINK_DIR;
}

static enum kind
kind_of(unsigned char d_type)
{
	switch (d_type) {
	case DT_DIR:
		return K_DIR;
	case DT_LNK:
		return K_LINK;
	case DT_UNKNOWN:
		return K_UNKNOWN;
	default:
		return K_OTHER;
	}
}

static void
add_entry(struct level *l, enum kind k, const char *name)
{
	size_t n = strlen(name);

	l->names = grow(l->names, &l->cap, l->used + n + 2, 1);
	l->ents = grow(l->ents, &l->ents_cap, l->n + 1, sizeof(*l->ents));
	l->ents[l->n++] = l->used;
	l->names[l->used] = (char)k;
	memcpy(l->names + l->used + 1, name, n + 1);
	l->used += n + 2;
}

/* Every entry of the directory but "." and "..", as d_type gives them. */
static void
read_dir(struct walk *w, struct level *l)
{
	struct dirent64 *d;
	ssize_t got;

	while ((got = getdents64(l->fd, w->dents, DENTS_SIZE)) > 0) {
		for (ssize_t off = 0; off < got; off += d->d_reclen) {
			d = (struct dirent64 *)(void *)(w->dents + off);
			if (d->d_name[0] == '.' && (d->d_name[1] == '\0' ||
			    (d->d_name[1] == '.' && d->d_name[2] == '\0')))
				continue;
			add_entry(l, kind_of(d->d_type), d->d_name);
		}
	}
	if (got < 0)
		fail(w, errno, l->pathlen);
}

static int
by_name(const void *a, const void *b, void *names)
{
	return strcmp((char *)names + *(const size_t *)a + 1,
	    (char *)names + *(const size_t *)b + 1);
}

/* The classic listing: the path, then its dirnames and filenames below. */
static void
print_listing(struct walk *w, const struct level *l)
{
	if (w->records)
		putchar('\n');
	w->records = true;
	esc_write(stdout, w->path, l->pathlen);
	fputs(":\n", stdout);
	for (size_t i = 0; i < l->n; i++)
		if (is_dirname(l, i)) {
			fputs("  ", stdout);
			esc_puts(stdout, entry(l, i) + 1);
			fputs("/\n", stdout);
		}
	for (size_t i = 0; i < l->n && !w->o->dirs_only; i++)
		if (!is_dirname(l, i)) {
			fputs("  ", stdout);
			esc_puts(stdout, entry(l, i) + 1);
			putchar('\n');
		}
}

/* os.walk's triple as one JSON object. */
static void
print_json(struct walk *w, const struct level *l)
{
	json_begin();
	json_strn("dirpath", w->path, l->pathlen);
	json_array_begin("dirnames");
	for (size_t i = 0; i < l->n; i++)
		if (is_dirname(l, i))
			json_str(NULL, entry(l, i) + 1);
	json_array_end();
	json_array_begin("filenames");
	for (size_t i = 0; i < l->n; i++)
		if (!is_dirname(l, i))
			json_str(NULL, entry(l, i) + 1);
	json_array_end();
	json_end();
}

static void
print_record(struct walk *w, const struct level *l)
{
	if (w->o->fmt == FMT_LIST)
		print_listing(w, l);
	else if (w->o->fmt == FMT_JSON)
		print_json(w, l);
}

/* A directory has been read: sort it, and print it if top-down. */
static void
entered(struct walk *w, struct level *l)
{
	if (!w->o->unsorted && l->n > 1)
		qsort_r(l->ents, l->n, sizeof(*l->ents), by_name, l->names);
	if (w->o->fmt == FMT_TREE) {
		l->last_shown = l->n;
		for (size_t i = l->n; i-- > 0;)
			if (!w->o->dirs_only || is_dirname(l, i)) {
				l->last_shown = i;
				break;
			}
	}
	if (!w->o->bottom_up)
		print_record(w, l);
}

static bool
same_id(int fd, const struct level *l)
{
	struct stat st;

	return fstat(fd, &st) == 0 && st.st_dev == l->dev && st.st_ino == l->ino;
}

static bool
record_id(struct walk *w, struct level *l)
{
	struct stat st;

	if (fstat(l->fd, &st) != 0) {
		fail(w, errno, l->pathlen);
		return false;
	}
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	l->have_id = true;
	return true;
}

/*
 * Close an ancestor's descriptor to keep the number open bounded; its
 * device and inode are kept so that the directory found again on the way
 * back up can be checked to be the same one.
 */
static void
close_level(struct walk *w, struct level *l)
{
	if (!l->have_id)
		record_id(w, l);
	close(l->fd);
	l->fd = -1;
}

/*
 * Open lv[j] again from the root, one name at a time: the way back when
 * ".." does not lead there (the child was reached through a symbolic
 * link) or leads somewhere else (a directory was moved meanwhile).
 */
static int
reopen_from_root(struct walk *w, size_t j)
{
	int fd = open(w->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), next;

	for (size_t i = 0; fd >= 0; i++) {
		if (!w->lv[i].have_id || !same_id(fd, &w->lv[i])) {
			close(fd);
			return -1;
		}
		if (i == j)
			return fd;
		next = openat(fd, w->lv[i + 1].name, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC | (w->lv[i + 1].via_link ? 0 : O_NOFOLLOW));
		close(fd);
		fd = next;
	}
	return -1;
}

/* Open lv[j] again, lv[j + 1] being the directory just finished. */
static void
reopen(struct walk *w, size_t j)
{
	struct level *l = &w->lv[j], *child = &w->lv[j + 1];
	int fd = -1;

	if (child->fd >= 0 && !child->via_link &&
	    (fd = openat(child->fd, "..", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) >= 0 && !same_id(fd, l)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		fd = reopen_from_root(w, j);
	if (fd < 0) {
		path_warnx(path_at(w, l->pathlen),
		    "moved during the walk: not walked further");
		w->ok = false;
		l->dead = true;
	}
	l->fd = fd;
	w->lowest_open = j;
}

/*
 * With -L or -x, the directory's identity: -x stops at another file
 * system, -L at a directory that is one of its own ancestors.
 */
static bool
may_enter(struct walk *w, struct level *l, size_t depth)
{
	if (!record_id(w, l))
		return false;
	if (w->o->one_fs && l->dev != w->root_dev)
		return false;
	if (!w->o->follow)
		return true;
	for (size_t i = 0; i < depth; i++)
		if (w->lv[i].dev == l->dev && w->lv[i].ino == l->ino) {
			path_warnx(path_at(w, l->pathlen),
			    "File system loop detected: not followed");
			w->ok = false;
			return false;
		}
	return true;
}

/*
 * Level d, reset for a directory just opened.  A level keeps its buffers
 * for the next directory at that depth.
 */
static struct level *
new_level(struct walk *w, size_t d, int fd, size_t pathlen)
{
	size_t old = w->nlevels;
	struct level *l;

	w->lv = grow(w->lv, &w->nlevels, d + 1, sizeof(*w->lv));
	if (w->nlevels > old)
		memset(w->lv + old, 0, (w->nlevels - old) * sizeof(*w->lv));
	l = &w->lv[d];
	l->fd = fd;
	l->have_id = l->dead = l->via_link = false;
	l->name = NULL;
	l->used = l->n = l->next = 0;
	l->pathlen = pathlen;
	l->treelen = 0;
	return l;
}

/*
 * Descend into entry i of the current directory, whose path is
 * path[0..len): open it relative to its parent and read it whole.
 */
static bool
descend(struct walk *w, size_t i, size_t len, bool via_link)
{
	struct level *parent = &w->lv[w->depth], *l;
	const char *name = entry(parent, i) + 1;
	size_t d = w->depth + 1;
	int fd;

	fd = openat(parent->fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    (via_link ? 0 : O_NOFOLLOW));
	if (fd < 0) {
		fail(w, errno, len);
		return false;
	}
	l = new_level(w, d, fd, len);
	l->via_link = via_link;
	l->name = name;
	if ((w->o->follow || w->o->one_fs) && !may_enter(w, l, d)) {
		close(fd);
		return false;
	}
	w->depth = d;
	if (d - w->lowest_open + 1 > w->max_open)
		close_level(w, &w->lv[w->lowest_open++]);
	read_dir(w, l);
	entered(w, l);
	return true;
}

/* -t: one line of the drawing, and the prefix its children will get. */
/* " -> target" after a symbolic link, as tree(1) draws it. */
static void
draw_link_target(const struct level *l, size_t i)
{
	static char *target;
	static size_t cap = 256;
	ssize_t n;

	for (;;) {
		if (target == NULL && (target = malloc(cap)) == NULL)
			err(1, "malloc");
		if ((n = readlinkat(l->fd, entry(l, i) + 1, target, cap)) < 0)
			return;		/* gone, or not a link any more */
		if ((size_t)n < cap)
			break;
		free(target);
		target = NULL;
		cap *= 2;
	}
	fputs(" -> ", stdout);
	esc_write(stdout, target, (size_t)n);
}

static void
draw_entry(struct walk *w, struct level *l, size_t i)
{
	bool last = i == l->last_shown;
	enum kind k = entry_kind(l, i, false);

	w->tree = grow(w->tree, &w->tree_cap, l->treelen + sizeof(TREE_BAR), 1);
	fwrite(w->tree, 1, l->treelen, stdout);
	fputs(last ? TREE_LAST : TREE_MID, stdout);
	esc_puts(stdout, entry(l, i) + 1);
	if (k == K_LINK || k == K_LINK_DIR || k == K_LINK_LOOP ||
	    k == K_LINK_OTHER)
		draw_link_target(l, i);
	putchar('\n');
	memcpy(w->tree + l->treelen, last ? TREE_SPACE : TREE_BAR,
	    last ? sizeof(TREE_SPACE) - 1 : sizeof(TREE_BAR) - 1);
}

/* Entry i of the current directory: print it, and walk into it if due. */
static void
visit(struct walk *w, size_t i)
{
	const struct options *o = w->o;
	struct level *l = &w->lv[w->depth];
	size_t len = path_join(w, l->pathlen, entry(l, i) + 1);
	bool shown = !o->dirs_only || is_dirname(l, i), dir = false;
	enum kind k = K_OTHER;

	if ((long long)w->depth + 1 < o->max_depth) {
		k = entry_kind(l, i, o->follow);
		dir = k == K_DIR || (o->follow && k == K_LINK_DIR);
	}
	/*
	 * -L follows every link, and one that leads round a loop of links
	 * leads nowhere: said as find -L says it.  A dangling link is just
	 * a link.
	 */
	if (o->follow && entry_kind(l, i, true) == K_LINK_LOOP) {
		path_warnc(ELOOP, path_at(w, len));
		w->ok = false;
	}
	if (o->fmt == FMT_PATHS && !o->bottom_up && shown)
		emit_path(w, len);
	if (o->fmt == FMT_TREE && shown) {
		draw_entry(w, l, i);
		if (is_dirname(l, i))
			w->ndirs++;
		else
			w->nfiles++;
	}
	if (dir) {
		/* The drawing left of its entries, as draw_entry left it. */
		size_t treelen = l->treelen + (i == l->last_shown ?
		    sizeof(TREE_SPACE) - 1 : sizeof(TREE_BAR) - 1);
		if (descend(w, i, len, k == K_LINK_DIR)) {
			w->lv[w->depth].treelen = treelen;
			return;
		}
	}
	if (o->fmt == FMT_PATHS && o->bottom_up && shown)
		emit_path(w, len);
}

/* The current directory is done: print it if bottom-up, and go up. */
static void
leave(struct walk *w)
{
	struct level *l = &w->lv[w->depth];

	if (w->o->bottom_up) {
		if (w->o->fmt == FMT_PATHS)
			emit_path(w, l->pathlen);
		else
			print_record(w, l);
	}
	if (w->depth > 0 && w->lv[w->depth - 1].fd < 0)
		reopen(w, w->depth - 1);
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	if (w->depth > 0)
		w->depth--;
}

/*
 * What a root is: what it leads to, or a dangling symbolic link itself,
 * which find prints as any other file.
 */
static int
stat_root(const char *root, struct stat *st)
{
	if (stat(root, st) == 0)
		return 0;
	return errno == ENOENT ? lstat(root, st) : -1;
}

/*
 * A root that cannot be read.  With -p it is still printed if it exists,
 * as find prints it, and a root that is a file is no error there; the
 * other formats describe directories.
 */
static void
root_failed(struct walk *w, int errnum, size_t len)
{
	struct stat st;

	if (w->o->fmt == FMT_PATHS) {
		if (stat_root(w->root, &st) != 0)
			errnum = errno;
		else {
			if (!w->o->dirs_only || S_ISDIR(st.st_mode))
				emit_path(w, len);
			if (!S_ISDIR(st.st_mode))
				return;
		}
	}
	fail(w, errnum, len);
}

/* -m 0: the roots themselves, not read. */
static void
show_root(struct walk *w, size_t len)
{
	struct stat st;

	if (stat_root(w->root, &st) != 0) {
		fail(w, errno, len);
		return;
	}
	if (w->o->fmt == FMT_PATHS && (!w->o->dirs_only || S_ISDIR(st.st_mode)))
		emit_path(w, len);
	else if (w->o->fmt == FMT_TREE) {
		esc_write(stdout, w->root, len);
		putchar('\n');
	}
}

static void
walk_root(struct walk *w, const char *root)
{
	size_t len = strlen(root);
	struct level *l;
	int fd;

	w->root = root;
	w->path = grow(w->path, &w->path_cap, len + 1, 1);
	memcpy(w->path, root, len);
	if (w->o->max_depth == 0) {
		show_root(w, len);
		return;
	}
	/* A symbolic link given as the root is followed, as os.walk does. */
	if ((fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		root_failed(w, errno, len);
		return;
	}
	l = new_level(w, 0, fd, len);
	w->depth = w->lowest_open = 0;
	if (w->o->follow || w->o->one_fs) {
		if (!record_id(w, l)) {
			close(fd);
			return;
		}
		w->root_dev = l->dev;
	}
	if (w->o->fmt == FMT_PATHS && !w->o->bottom_up)
		emit_path(w, len);
	if (w->o->fmt == FMT_TREE) {
		esc_write(stdout, root, len);
		putchar('\n');
	}
	read_dir(w, l);
	entered(w, l);
	/* Depth first, without recursion: each level keeps its place. */
	for (;;) {
		l = &w->lv[w->depth];
		if (!l->dead && l->next < l->n) {
			visit(w, l->next++);
			continue;
		}
		if (w->depth == 0) {
			leave(w);
			break;
		}
		leave(w);
	}
}

/* -t ends as tree(1) does, with the counts of what it drew. */
static void
print_counts(const struct walk *w)
{
	printf("\n%llu director%s", w->ndirs, w->ndirs == 1 ? "y" : "ies");
	if (!w->o->dirs_only)
		printf(", %llu file%s", w->nfiles, w->nfiles == 1 ? "" : "s");
	putchar('\n');
}

static void
free_walk(struct walk *w)
{
	for (size_t i = 0; i < w->nlevels; i++) {
		free(w->lv[i].names);
		free(w->lv[i].ents);
	}
	free(w->lv);
	free(w->path);
	free(w->tree);
	free(w->dents);
}

static size_t
max_open_dirs(void)
{
	struct rlimit rl;

	/* Leave room under a low limit for stdio and the --files0-from list. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 2 * MAX_OPEN)
		return rl.rlim_cur > 12 ? rl.rlim_cur / 2 : 2;
	return MAX_OPEN;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "bottom-up", no_argument, NULL, 'd' },
		{ "dirs", no_argument, NULL, 'D' },
		{ "files0-from", required_argument, NULL, CLI_OPT_FILES0_FROM },
		{ "follow", no_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "max-depth", required_argument, NULL, 'm' },
		{ "null", no_argument, NULL, '0' },
		{ "one-file-system", no_argument, NULL, 'x' },
		{ "paths", no_argument, NULL, 'p' },
		{ "tree", no_argument, NULL, 't' },
		{ "unsorted", no_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 }
	};
	/* Output in big blocks: one write(2) per buffer, not per line. */
	static char outbuf[1 << 17];
	struct options o = { .fmt = FMT_LIST, .term = '\n',
	    .max_depth = LLONG_MAX };
	struct walk w = { .o = &o, .ok = true };
	struct operands ops;
	const char *files0_from = NULL, *root, *errstr;
	bool zero = false;
	int ch, nfmt = 0;

	outcheck_atexit(1);
	cli_short_name(argv);
	while ((ch = getopt_long(argc, argv, "0DLUdhjm:ptx", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case '0':
			zero = true;
			break;
		case 'D':
			o.dirs_only = true;
			break;
		case 'L':
			o.follow = true;
			break;
		case 'U':
			o.unsorted = true;
			break;
		case 'd':
			o.bottom_up = true;
			break;
		case 'h':
			usage(0);
		case 'j':
			o.fmt = FMT_JSON;
			nfmt++;
			break;
		case 'm':
			o.max_depth = strtonum(optarg, 0, LLONG_MAX, &errstr);
			if (errstr != NULL) {
				warnx("invalid depth '%s': %s", msg_name(optarg),
				    errstr);
				usage(2);
			}
			break;
		case 'p':
			o.fmt = FMT_PATHS;
			nfmt++;
			break;
		case 't':
			o.fmt = FMT_TREE;
			nfmt++;
			break;
		case 'x':
			o.one_fs = true;
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
	if (nfmt > 1)
		usage_error("-p, -t and -j cannot be combined");
	if (zero && o.fmt != FMT_PATHS)
		usage_error("-0 ends the paths of -p: not without it");
	if (o.fmt == FMT_TREE && o.bottom_up)
		usage_error("-t draws the tree top-down: not with -d");
	if (o.fmt == FMT_JSON && o.dirs_only)
		usage_error("-j prints os.walk's triples whole: not with -D");
	if (zero)
		o.term = '\0';
	if (operands_init(&ops, argc, argv, files0_from) != 0)
		usage(2);

	/* -0 carries the data: exact even on a terminal. */
	w.tty = !zero && isatty(STDOUT_FILENO);
	if (!w.tty)
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if ((w.dents = malloc(DENTS_SIZE)) == NULL)
		err(1, "out of memory");
	w.max_open = max_open_dirs();
	if (operands_none(&ops))
		walk_root(&w, ".");
	while ((root = operands_next(&ops)) != NULL)
		walk_root(&w, root);
	if (o.fmt == FMT_TREE)
		print_counts(&w);
	w.ok &= operands_all_valid(&ops);
	operands_free(&ops);
	free_walk(&w);
	return w.ok ? 0 : 1;
}
