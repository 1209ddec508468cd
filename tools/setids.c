/*
 * setids: change this process's user and group ids, then show each step or
 * run a command under the new ids.  Demonstrates setgroups/getgrouplist,
 * setresgid/setresuid, setegid/seteuid and setsid; Python: os.setgroups(),
 * os.initgroups(), os.setresgid(), os.setresuid(), os.setegid(),
 * os.seteuid(), os.setsid().
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "idnames.h"
#include "outcheck.h"
#include "pathmsg.h"
#include "procids.h"
#include "runcmd.h"
#include "waitstatus.h"

struct options {
	const char *user;	/* -u USER[:GROUP] */
	const char *group;	/* -g GROUP */
	const char *groups;	/* -G LIST */
	bool clear, effective, json, setsid;
};

/* The identity asked for, all resolved before anything is changed. */
struct target {
	bool user, group, groups;	/* what is to change */
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t *gids;		/* sorted, without duplicates */
	char *home;		/* the user's home directory, for HOME */
};

/* The ids the process started with, to prove they are out of reach. */
struct old_ids {
	uid_t uid[3];
	gid_t gid[3];
};

static noreturn void
usage(int status)
{
	int indent = (int)strlen(getprogname()) + 8;

	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-ejs] [-C | -G list] [-g group] [-u user[:group]]\n"
	    "%*s[command [arg ...]]\n", getprogname(), indent, "");
	exit(status);
}

static noreturn void __attribute__((format(printf, 2, 3)))
usage_error(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	usage(status);
}

/* "+": options end at the command, whose own options are its own. */
static const char optstring[] = "+CG:eg:hjsu:";

/*
 * The kernel sets AT_SECURE when this program was started with more power
 * than its caller has: installed set-user-ID or set-group-ID, or with file
 * capabilities.  setids would then hand any user any identity.  It is the
 * first thing main does, before --help or any other output, and setids
 * leaves at once, running no exit handlers with power it should not have.
 * The exit status still says whether a command was given (125) or not (1).
 */
static void
refuse_if_privileged_program(int argc, char *argv[],
    const struct option *longopts)
{
	bool command;

	if (getauxval(AT_SECURE) == 0)
		return;
	cli_prescan(argc, argv, optstring, longopts, 0, &command);
	warnx("refusing to run set-user-ID or set-group-ID: "
	    "it would let any user take any identity");
	_exit(command ? EXIT_CANNOT_RUN : 1);
}

static noreturn void
no_such(const char *kind, const char *name, int status)
{
	if (name[0] != '\0' && strspn(name, "0123456789") == strlen(name))
		usage_error(status, "'%s': invalid %s id", msg_name(name),
		    kind);
	usage_error(status, "'%s': no such %s", msg_name(name), kind);
}

static gid_t
resolve_group(const char *name, int status)
{
	gid_t gid;

	if (parse_group(name, &gid) != 0)
		no_such("group", name, status);
	return gid;
}

static int
compare_gids(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return (x > y) - (x < y);
}

/* Sort a group list and drop duplicates, as the kernel keeps it. */
static int
normalize_groups(gid_t *gids, int n)
{
	int kept = 0;

	if (n > 1)
		qsort(gids, (size_t)n, sizeof(*gids), compare_gids);
	for (int i = 0; i < n; i++)
		if (kept == 0 || gids[i] != gids[kept - 1])
			gids[kept++] = gids[i];
	return kept;
}

/* -G: a comma-separated list of group names or numbers. */
static void
resolve_group_list(const char *list, struct target *t, int status)
{
	char *copy, *rest, *name;
	size_t n = 1;

	for (const char *p = list; *p != '\0'; p++)
		n += *p == ',';
	if ((copy = strdup(list)) == NULL ||
	    (t->gids = calloc(n, sizeof(gid_t))) == NULL)
		err(status, NULL);
	rest = copy;
	while ((name = strsep(&rest, ",")) != NULL)
		t->gids[t->ngroups++] = resolve_group(name, status);
	free(copy);
}

/*
 * -u USER[:GROUP]: the user, its group (from the spec, from -g, or the
 * user's primary group), its home directory and, unless -G or -C says
 * otherwise, its supplementary groups.  A number with no passwd entry
 * keeps its own number as group and "/" as home, as gosu and su-exec do.
 */
static void
resolve_user(const struct options *o, struct target *t, int status)
{
	struct passwd *pw;
	char *name, *colon;
	gid_t primary;

	if ((name = strdup(o->user)) == NULL)
		err(status, NULL);
	if ((colon = strchr(name, ':')) != NULL)
		*colon++ = '\0';
	if (parse_user(name, &t->uid, &primary) != 0)
		no_such("user", name, status);
	if (colon != NULL && o->group != NULL)
		usage_error(status, "-u %s and -g %s both name the group",
		    msg_name(o->user), msg_name(o->group));
	if (colon != NULL)
		t->gid = resolve_group(colon, status);
	else if (o->group == NULL)
		t->gid = primary;
	t->user = t->group = true;

	/* By name when one was given: several names may share a uid. */
	if ((pw = getpwnam(name)) == NULL || pw->pw_uid != t->uid)
		pw = getpwuid(t->uid);
	if ((t->home = strdup(pw != NULL ? pw->pw_dir : "/")) == NULL)
		err(status, NULL);
	if (o->groups == NULL && !o->clear) {
		t->groups = true;
		if (pw != NULL) {
			t->gids = user_group_list(pw->pw_name, t->gid,
			    &t->ngroups);
			if (t->gids == NULL)
				err(status, "getgrouplist(%s)", pw->pw_name);
		} else if ((t->gids = malloc(sizeof(gid_t))) == NULL)
			err(status, NULL);
		else
			t->gids[t->ngroups++] = t->gid;
	}
	free(name);
}

static void
resolve_target(const struct options *o, struct target *t, int status)
{
	memset(t, 0, sizeof(*t));
	if (o->group != NULL) {
		t->gid = resolve_group(o->group, status);
		t->group = true;
	}
	if (o->groups != NULL) {
		resolve_group_list(o->groups, t, status);
		t->groups = true;
	}
	t->groups |= o->clear;
	if (o->user != NULL)
		resolve_user(o, t, status);
	t->ngroups = normalize_groups(t->gids, t->ngroups);
}

/*
 * Whether the supplementary groups already are the target's.  setgroups()
 * needs privilege even to set the same list, so an unprivileged caller
 * asking for the groups it has is spared the call.
 */
static bool
has_groups(const struct target *t, int status)
{
	gid_t *cur;
	bool same;
	int n;

	if ((n = getgroups(0, NULL)) < 0 ||
	    (cur = calloc((size_t)n + 1, sizeof(gid_t))) == NULL ||
	    (n = getgroups(n, cur)) < 0)
		err(status, "getgroups");
	n = normalize_groups(cur, n);
	same = n == t->ngroups && (n == 0 ||
	    memcmp(cur, t->gids, (size_t)n * sizeof(gid_t)) == 0);
	free(cur);
	return same;
}

/* "setgroups(0,27,100)": the call and the whole list it was given. */
static noreturn void
setgroups_failed(const struct target *t, int status)
{
	int saved = errno;
	char *list = NULL;
	size_t len = 0;
	FILE *fp;

	if ((fp = open_memstream(&list, &len)) != NULL) {
		for (int i = 0; i < t->ngroups; i++)
			fprintf(fp, "%s%lu", i > 0 ? "," : "",
			    (unsigned long)t->gids[i]);
		if (fclose(fp) != 0) {
			free(list);
			list = NULL;
		}
	}
	errc(status, saved, "setgroups(%s)", list != NULL ? list : "...");
}

/*
 * Supplementary groups first, then the group, then the user: changing the
 * user first would give up the privilege the two group calls need, and
 * leave the process with the new user but the old groups (root's group 0
 * among them).
 */
static void
change_groups(const struct target *t, bool effective, int status)
{
	if (t->groups && !has_groups(t, status) &&
	    setgroups((size_t)t->ngroups, t->gids) != 0)
		setgroups_failed(t, status);
	if (!t->group)
		return;
	if (effective) {
		if (setegid(t->gid) != 0)
			err(status, "setegid(%lu)", (unsigned long)t->gid);
	} else if (setresgid(t->gid, t->gid, t->gid) != 0)
		err(status, "setresgid(%lu)", (unsigned long)t->gid);
}

static void
change_user(const struct target *t, bool effective, int status)
{
	if (effective) {
		if (seteuid(t->uid) != 0)
			err(status, "seteuid(%lu)", (unsigned long)t->uid);
	} else if (setresuid(t->uid, t->uid, t->uid) != 0)
		err(status, "setresuid(%lu)", (unsigned long)t->uid);
}

/*
 * The answer to a call that must be refused.  Success means the process
 * kept the power to change ids.  Only EPERM proves it did not: the kernel
 * allocates the new credentials before it checks the privilege, so ENOMEM
 * (or any other error) says nothing either way.
 */
static void
require_refused(int rc, const char *call, unsigned long id, int status)
{
	if (rc == 0)
		errx(status, "%s(%lu) still succeeds after the change: "
		    "refusing to go on", call, id);
	if (errno != EPERM)
		err(status, "%s(%lu)", call, id);
}

/*
 * After a permanent change of user the old ids must be out of reach.  If
 * setuid() or setgid() back to one of them succeeds, the process kept the
 * power to change ids (a capability kept through SECBIT_NO_SETUID_FIXUP,
 * say), and so would the command: refuse rather than pretend.
 */
static void
check_no_way_back(const struct old_ids *old, const struct target *t,
    int status)
{
	if (old->uid[0] == t->uid && old->uid[1] == t->uid &&
	    old->uid[2] == t->uid)
		return;		/* the same user: nothing was given up */
	for (int i = 0; i < 3; i++) {
		bool uid_tried = old->uid[i] == t->uid;
		bool gid_tried = old->gid[i] == t->gid;

		for (int j = 0; j < i; j++) {
			uid_tried |= old->uid[j] == old->uid[i];
			gid_tried |= old->gid[j] == old->gid[i];
		}
		if (!uid_tried)
			require_refused(setuid(old->uid[i]), "setuid",
			    old->uid[i], status);
		if (!gid_tried)
			require_refused(setgid(old->gid[i]), "setgid",
			    old->gid[i], status);
	}
}

/* One block of the demonstration, flushed so an error comes after it. */
static void
show_step(const char *step, bool json, bool first)
{
	struct procids ids;
	const char *what;

	if (procids_self(&ids, &what) != 0)
		err(1, "%s", what);
	if (!json && !first)
		putchar('\n');
	procids_print(&ids, json, step);
	procids_free(&ids);
	outcheck_flush();
}

/*
 * Whether the command could reach the controlling terminal: through
 * /dev/tty, or, where that cannot be opened (a bare container /dev, a
 * node the new user may not open), through a standard descriptor that
 * is the terminal of this session.
 */
static bool
has_controlling_tty(void)
{
	int fd = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
	pid_t sid = getsid(0);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	for (fd = 0; fd <= 2; fd++)
		if (sid >= 0 && tcgetsid(fd) == sid)
			return true;
	return false;
}

/*
 * -s when setids leads its process group (started by an interactive shell
 * or as a container's first process): setsid() would fail with EPERM, so
 * the command runs in a child, and setids waits for it, passes on the
 * signals meant for it and exits with its status, as "setsid -w" does.
 */
static noreturn void
run_in_child_session(char *argv[])
{
	static const int forwarded[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2
	};
	struct sigaction sa, dfl = { .sa_handler = SIG_DFL }, old_chld;
	sigset_t wanted, old_mask;
	int sig, status;
	pid_t pid;

	/* Blocked before fork, taken with sigwaitinfo: none can be missed. */
	sigemptyset(&wanted);
	sigaddset(&wanted, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		if (sigaction(forwarded[i], NULL, &sa) == 0 &&
		    sa.sa_handler != SIG_IGN)
			sigaddset(&wanted, forwarded[i]);
	/* An ignored SIGCHLD would have the child reaped before waitpid. */
	if (sigaction(SIGCHLD, &dfl, &old_chld) != 0)
		err(EXIT_CANNOT_RUN, "sigaction(SIGCHLD)");
	if (sigprocmask(SIG_BLOCK, &wanted, &old_mask) != 0)
		err(EXIT_CANNOT_RUN, "sigprocmask");
	outcheck_flush();
	if ((pid = fork()) < 0)
		err(EXIT_CANNOT_RUN, "fork");
	if (pid == 0) {
		/* The command gets the signal set-up setids was given. */
		if (sigaction(SIGCHLD, &old_chld, NULL) != 0 ||
		    sigprocmask(SIG_SETMASK, &old_mask, NULL) != 0) {
			warn("restoring the signal set-up");
			_exit(EXIT_CANNOT_RUN);
		}
		if (setsid() < 0) {
			warn("setsid");
			_exit(EXIT_CANNOT_RUN);
		}
		exec_command(argv);
	}
	for (;;) {
		if ((sig = sigwaitinfo(&wanted, NULL)) < 0) {
			if (errno == EINTR)
				continue;
			err(EXIT_CANNOT_RUN, "sigwaitinfo");
		}
		if (sig != SIGCHLD) {
			if (kill(pid, sig) != 0 && errno != ESRCH)
				warn("kill(%ld, %d)", (long)pid, sig);
			continue;
		}
		/* SIGCHLD also comes when the child stops: wait on. */
		switch (waitpid(pid, &status, WNOHANG)) {
		case -1:
			err(EXIT_CANNOT_RUN, "waitpid");
		case 0:
			break;
		default:
			exit(wait_exit_code(status));
		}
	}
}

static noreturn void
run_command(char *argv[], const struct options *o, const struct target *t,
    bool dropped_root)
{
	/* HOME follows the user, as with gosu and su-exec. */
	if (t->user && setenv("HOME", t->home, 1) != 0)
		err(EXIT_CANNOT_RUN, "setenv(HOME)");
	if (o->setsid) {
		if (getpgrp() == getpid())
			run_in_child_session(argv);
		if (setsid() < 0)
			err(EXIT_CANNOT_RUN, "setsid");
	} else if (dropped_root && has_controlling_tty())
		warnx("warning: the command keeps the controlling terminal, "
		    "through which it can type into the caller's shell "
		    "(TIOCSTI); -s runs it without one");
	outcheck_flush();
	exec_command(argv);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "clear-groups", no_argument, NULL, 'C' },
		{ "effective", no_argument, NULL, 'e' },
		{ "group", required_argument, NULL, 'g' },
		{ "groups", required_argument, NULL, 'G' },
		{ "json", no_argument, NULL, 'j' },
		{ "setsid", no_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { 0 };
	struct target t;
	struct old_ids old;
	bool demo, dropped_root;
	int ch, fail, bad;

	refuse_if_privileged_program(argc, argv, longopts);
	outcheck_atexit(1);
	cli_short_name(argv);
	while ((ch = getopt_long(argc, argv, optstring, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'C':
			o.clear = true;
			break;
		case 'G':
			o.groups = optarg;
			break;
		case 'e':
			o.effective = true;
			break;
		case 'g':
			o.group = optarg;
			break;
		case 'h':
			usage(0);
		case 'j':
			o.json = true;
			break;
		case 's':
			o.setsid = true;
			break;
		case 'u':
			o.user = optarg;
			break;
		case CLI_OPT_VERSION:
			cli_version();
		default:
			/* As env does: a command may be lost in the mistake. */
			usage(EXIT_CANNOT_RUN);
		}
	}
	argc -= optind;
	argv += optind;

	/* Without a command setids demonstrates; with one it is a runner. */
	demo = argc == 0;
	fail = demo ? 1 : EXIT_CANNOT_RUN;
	bad = demo ? 2 : EXIT_CANNOT_RUN;
	if (o.clear && o.groups != NULL)
		usage_error(bad, "-C and -G cannot be combined");
	if (!demo && o.json)
		usage_error(bad, "-j shows the steps: not with a command");
	if (demo && o.setsid)
		usage_error(bad, "-s needs a command");
	resolve_target(&o, &t, bad);

	if (getresuid(&old.uid[0], &old.uid[1], &old.uid[2]) != 0)
		err(fail, "getresuid");
	if (getresgid(&old.gid[0], &old.gid[1], &old.gid[2]) != 0)
		err(fail, "getresgid");
	dropped_root = t.user && !o.effective && old.uid[1] == 0 && t.uid != 0;

	if (demo)
		show_step("before", o.json, true);
	if (t.groups || t.group) {
		change_groups(&t, o.effective, fail);
		if (demo)
			show_step("after group change", o.json, false);
	}
	if (t.user) {
		change_user(&t, o.effective, fail);
		if (!o.effective)
			check_no_way_back(&old, &t, fail);
		if (demo)
			show_step("after user change", o.json, false);
	}
	if (!demo)
		run_command(argv, &o, &t, dropped_root);
	free(t.gids);
	free(t.home);
	return 0;
}
