/* A process's identity, read and printed (see procids.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "escape.h"
#include "idnames.h"
#include "json.h"
#include "procids.h"

/*
 * A name for a terminal device.  The usual Linux numbering gives a
 * candidate, which counts only if it really is that device.
 */
static char *
tty_name_of(dev_t dev)
{
	unsigned int maj = major(dev), min = minor(dev);
	char path[64];
	struct stat st;

	if (maj >= 136 && maj <= 143)
		snprintf(path, sizeof(path), "/dev/pts/%u", (maj - 136) * 256 + min);
	else if (maj == 4 && min < 64)
		snprintf(path, sizeof(path), "/dev/tty%u", min);
	else if (maj == 4)
		snprintf(path, sizeof(path), "/dev/ttyS%u", min - 64);
	else if (maj == 5 && min == 1)
		snprintf(path, sizeof(path), "/dev/console");
	else
		return NULL;
	if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode) || st.st_rdev != dev)
		return NULL;
	return strdup(path);
}

/*
 * The controlling terminal: ctermid() names it (always "/dev/tty" on
 * Linux), opening it fails with ENXIO when there is none, TIOCGDEV tells
 * which device it is, and tcgetpgrp() which process group is in the
 * foreground.  ttyname() of a standard descriptor names it when one is
 * open on it.
 */
static void
read_own_tty(struct procids *ids)
{
	char cterm[L_ctermid];
	unsigned int dev;
	struct stat st;
	int fd;

	ids->has_tty = false;
	ids->tty_name = NULL;
	ids->tpgid = -1;
	if ((fd = open(ctermid(cterm), O_RDONLY | O_NOCTTY | O_CLOEXEC)) < 0)
		return;
	ids->has_tty = true;
	ids->tpgid = tcgetpgrp(fd);
	if (ioctl(fd, TIOCGDEV, &dev) == 0)
		ids->tty_dev = (dev_t)dev;
	else if (fstat(fd, &st) == 0)
		ids->tty_dev = st.st_rdev;
	close(fd);
	for (fd = 0; fd <= 2 && ids->tty_name == NULL; fd++) {
		char *name = ttyname(fd);
		if (name != NULL && stat(name, &st) == 0 &&
		    st.st_rdev == ids->tty_dev)
			ids->tty_name = strdup(name);
	}
	if (ids->tty_name == NULL)
		ids->tty_name = tty_name_of(ids->tty_dev);
}

int
procids_self(struct procids *ids, const char **what)
{
	memset(ids, 0, sizeof(*ids));
	ids->is_process = true;
	if (getresuid(&ids->ruid, &ids->euid, &ids->suid) != 0) {
		*what = "getresuid";
		return -1;
	}
	if (getresgid(&ids->rgid, &ids->egid, &ids->sgid) != 0) {
		*what = "getresgid";
		return -1;
	}
	/* setfsuid(-1) changes nothing and returns the current value. */
	ids->fsuid = (uid_t)setfsuid((uid_t)-1);
	ids->fsgid = (gid_t)setfsgid((gid_t)-1);
	if ((ids->ngroups = getgroups(0, NULL)) < 0 ||
	    (ids->groups = calloc((size_t)ids->ngroups + 1, sizeof(gid_t))) == NULL ||
	    (ids->ngroups = getgroups(ids->ngroups, ids->groups)) < 0) {
		*what = "getgroups";
		return -1;
	}
	ids->pid = getpid();
	ids->ppid = getppid();
	ids->pgid = getpgrp();
	ids->sid = getsid(0);
	read_own_tty(ids);
	return 0;
}

/* Read a small /proc file whole, NUL-terminated. */
static char *
read_proc_file(pid_t pid, const char *name, const char **what)
{
	static char path[64];
	char *buf = NULL;
	size_t cap = 0, len = 0;
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, name);
	*what = path;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	for (;;) {
		if (cap - len < 1024) {
			char *nbuf = realloc(buf, cap += 4096);
			if (nbuf == NULL) {
				n = -1;
				break;
			}
			buf = nbuf;
		}
		if ((n = read(fd, buf + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)n;
	}
	if (n < 0 || buf == NULL) {
		int saved = errno;
		close(fd);
		free(buf);
		errno = saved;
		return NULL;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* The value after "Label:" in a /proc/PID/status text, or NULL. */
static const char *
status_field(const char *text, const char *label)
{
	size_t len = strlen(label);

	for (const char *p = text; p != NULL && *p != '\0';) {
		if (strncmp(p, label, len) == 0 && p[len] == ':')
			return p + len + 1;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return NULL;
}

static int
parse_status(struct procids *ids, const char *text)
{
	const char *u = status_field(text, "Uid"), *g = status_field(text, "Gid");
	const char *gr = status_field(text, "Groups");
	unsigned long r, e, s, f;
	char *end;
	int n = 0;

	if (u == NULL || sscanf(u, "%lu %lu %lu %lu", &r, &e, &s, &f) != 4)
		return -1;
	ids->ruid = r, ids->euid = e, ids->suid = s, ids->fsuid = f;
	if (g == NULL || sscanf(g, "%lu %lu %lu %lu", &r, &e, &s, &f) != 4)
		return -1;
	ids->rgid = r, ids->egid = e, ids->sgid = s, ids->fsgid = f;
	/* Groups: is one line of numbers; a process may have up to 65536. */
	for (const char *p = gr; p != NULL && *p != '\n' && *p != '\0'; p++)
		if (*p >= '0' && *p <= '9' && (p[-1] == ' ' || p[-1] == '\t'))
			n++;
	if ((ids->groups = calloc((size_t)n + 1, sizeof(gid_t))) == NULL)
		return -1;
	for (const char *p = gr; p != NULL && ids->ngroups < n; p = end) {
		unsigned long v = strtoul(p, &end, 10);
		if (end == p)
			break;
		ids->groups[ids->ngroups++] = (gid_t)v;
	}
	return 0;
}

static int
parse_stat(struct procids *ids, const char *text)
{
	/* The command name may hold spaces and parentheses: skip past the last ')'. */
	const char *p = strrchr(text, ')');
	long ppid, pgid, sid, tpgid;
	unsigned long tty;

	if (p == NULL || sscanf(p + 1, " %*c %ld %ld %ld %lu %ld",
	    &ppid, &pgid, &sid, &tty, &tpgid) != 5)
		return -1;
	ids->ppid = ppid, ids->pgid = pgid, ids->sid = sid;
	ids->has_tty = tty != 0;
	if (ids->has_tty) {
		/* tty_nr packs the device number as the kernel's new_encode_dev. */
		ids->tty_dev = makedev((tty >> 8) & 0xfff,
		    (tty & 0xff) | ((tty >> 12) & 0xfff00));
		ids->tty_name = tty_name_of(ids->tty_dev);
	}
	ids->tpgid = tpgid;
	return 0;
}

int
procids_pid(struct procids *ids, pid_t pid, const char **what)
{
	char *status, *stat;
	int rc;

	memset(ids, 0, sizeof(*ids));
	ids->is_process = true;
	ids->pid = pid;
	ids->tpgid = -1;
	if ((status = read_proc_file(pid, "status", what)) == NULL)
		return -1;
	if ((stat = read_proc_file(pid, "stat", what)) == NULL) {
		free(status);
		return -1;
	}
	rc = parse_status(ids, status) == 0 && parse_stat(ids, stat) == 0 ? 0 : -1;
	if (rc != 0)
		errno = EPROTO;
	free(status);
	free(stat);
	return rc;
}

void
procids_free(struct procids *ids)
{
	free(ids->groups);
	free(ids->tty_name);
	ids->groups = NULL;
	ids->tty_name = NULL;
}

/* "1000(alice)", or "1000" when the id has no name, as id(1) writes it. */
static void
print_id(unsigned long id, const char *name)
{
	printf("%lu", id);
	if (name != NULL) {
		putchar('(');
		esc_puts(stdout, name);
		putchar(')');
	}
}

static void
print_line(const char *label, unsigned long id, const char *name)
{
	printf("%-8s", label);
	print_id(id, name);
	putchar('\n');
}

static void
print_text(const struct procids *ids, const char *step)
{
	if (step != NULL)
		printf("== %s\n", step);
	print_line("euid", ids->euid, user_name(ids->euid));
	print_line("ruid", ids->ruid, user_name(ids->ruid));
	print_line("suid", ids->suid, user_name(ids->suid));
	print_line("fsuid", ids->fsuid, user_name(ids->fsuid));
	print_line("egid", ids->egid, group_name(ids->egid));
	print_line("rgid", ids->rgid, group_name(ids->rgid));
	print_line("sgid", ids->sgid, group_name(ids->sgid));
	print_line("fsgid", ids->fsgid, group_name(ids->fsgid));
	printf("%-8s", "groups");
	for (int i = 0; i < ids->ngroups; i++) {
		if (i > 0)
			putchar(' ');
		print_id(ids->groups[i], group_name(ids->groups[i]));
	}
	if (ids->ngroups == 0)
		fputs("none", stdout);
	putchar('\n');
	if (!ids->is_process)
		return;
	printf("%-8s%ld\n%-8s%ld\n%-8s%ld\n%-8s%ld\n", "pid", (long)ids->pid,
	    "ppid", (long)ids->ppid, "pgid", (long)ids->pgid,
	    "sid", (long)ids->sid);
	if (!ids->has_tty) {
		printf("%-8snone\n%-8snone\n", "tty", "tpgid");
		return;
	}
	printf("%-8s%s (%u:%u)\n", "tty",
	    ids->tty_name != NULL ? ids->tty_name : "?",
	    major(ids->tty_dev), minor(ids->tty_dev));
	if (ids->tpgid > 0)
		printf("%-8s%ld\n", "tpgid", (long)ids->tpgid);
	else
		printf("%-8snone\n", "tpgid");
}

static void
json_id(const char *idkey, unsigned long id, const char *namekey,
    const char *name)
{
	json_uint(idkey, id);
	json_str(namekey, name);
}

static void
print_json(const struct procids *ids, const char *step)
{
	char dev[32];

	json_begin();
	if (step != NULL)
		json_str("step", step);
	json_id("euid", ids->euid, "euser", user_name(ids->euid));
	json_id("ruid", ids->ruid, "ruser", user_name(ids->ruid));
	json_id("suid", ids->suid, "suser", user_name(ids->suid));
	json_id("fsuid", ids->fsuid, "fsuser", user_name(ids->fsuid));
	json_id("egid", ids->egid, "egroup", group_name(ids->egid));
	json_id("rgid", ids->rgid, "rgroup", group_name(ids->rgid));
	json_id("sgid", ids->sgid, "sgroup", group_name(ids->sgid));
	json_id("fsgid", ids->fsgid, "fsgroup", group_name(ids->fsgid));
	json_array_begin("groups");
	for (int i = 0; i < ids->ngroups; i++) {
		json_object_begin(NULL);
		json_id("gid", ids->groups[i], "name", group_name(ids->groups[i]));
		json_object_end();
	}
	json_array_end();
	if (!ids->is_process) {
		json_end();
		return;
	}
	json_int("pid", ids->pid);
	json_int("ppid", ids->ppid);
	json_int("pgid", ids->pgid);
	json_int("sid", ids->sid);
	if (ids->has_tty) {
		snprintf(dev, sizeof(dev), "%u:%u", major(ids->tty_dev),
		    minor(ids->tty_dev));
		json_str("tty", ids->tty_name);
		json_str("tty_dev", dev);
	} else {
		json_null("tty");
		json_null("tty_dev");
	}
	if (ids->has_tty && ids->tpgid > 0)
		json_int("tpgid", ids->tpgid);
	else
		json_null("tpgid");
	json_end();
}

void
procids_print(const struct procids *ids, bool json, const char *step)
{
	if (json)
		print_json(ids, step);
	else
		print_text(ids, step);
}
