/*
 * showids: print the user, group and process ids of this process or another,
 * or those a user gets at login.  Demonstrates getresuid/getresgid,
 * getgroups, getpid/getppid/getpgrp/getsid, ctermid/ttyname/tcgetpgrp and
 * getpwnam/getgrouplist; Python: os.getuid(), os.getresuid(),
 * os.getgroups(), os.getpid(), os.getsid(), os.ctermid(), os.tcgetpgrp(),
 * os.getgrouplist().
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "escape.h"
#include "idnames.h"
#include "outcheck.h"
#include "pathmsg.h"
#include "procids.h"

/* What to print: the whole report, or one field as id(1) prints it. */
enum only { ONLY_NONE, ONLY_USER, ONLY_GROUP, ONLY_GROUPS };

struct options {
	enum only only;
	bool names, real, json;
	char delim;
};

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-j] [-p pid | user]\n"
	    "       %s -u | -g | -G [-nrz] [-p pid | user]\n",
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
 * One id, as a number or (with -n) a name; false if the name is missing.
 * A name is escaped on a terminal, as in the report, unless -z asks for
 * the bytes as they are.
 */
static bool
print_one(unsigned long id, bool is_user, const struct options *o)
{
	const char *name;

	if (o->names) {
		name = is_user ? user_name((uid_t)id) : group_name((gid_t)id);
		if (name != NULL) {
			if (o->delim == '\0')
				fputs(name, stdout);
			else
				esc_puts(stdout, name);
			return true;
		}
		warnx("cannot find name for %s ID %lu",
		    is_user ? "user" : "group", id);
	}
	printf("%lu", id);
	return !o->names;
}

/*
 * The list id -G prints: the real group, the effective one if it differs,
 * then each supplementary group not already printed.
 */
static bool
print_group_list(const struct procids *ids, const struct options *o)
{
	bool ok = print_one(ids->rgid, false, o);

	if (ids->egid != ids->rgid) {
		putchar(o->delim);
		ok &= print_one(ids->egid, false, o);
	}
	for (int i = 0; i < ids->ngroups; i++) {
		gid_t g = ids->groups[i];
		if (g == ids->rgid || g == ids->egid ||
		    (i > 0 && g == ids->groups[i - 1]))
			continue;
		putchar(o->delim);
		ok &= print_one(g, false, o);
	}
	return ok;
}

static bool
print_only(const struct procids *ids, const struct options *o)
{
	bool ok;

	switch (o->only) {
	case ONLY_USER:
		ok = print_one(o->real ? ids->ruid : ids->euid, true, o);
		break;
	case ONLY_GROUP:
		ok = print_one(o->real ? ids->rgid : ids->egid, false, o);
		break;
	default:
		ok = print_group_list(ids, o);
		break;
	}
	putchar(o->delim == '\0' ? '\0' : '\n');
	return ok;
}

static pid_t
parse_pid(const char *s)
{
	const char *errstr;
	long long pid = strtonum(s, 1, INT_MAX, &errstr);

	if (errstr != NULL) {
		warnx("invalid process id '%s': %s", msg_name(s), errstr);
		usage(2);
	}
	return (pid_t)pid;
}

/*
 * A user operand, as id(1) takes one: not a process, but the ids a
 * process of that user starts with after login, from the user and group
 * databases.  A name first, then a number, as id looks them up.
 */
static void
user_ids(const char *user, struct procids *ids)
{
	struct passwd *pw = getpwnam(user);
	const char *errstr;
	long long uid;

	if (pw == NULL) {
		uid = strtonum(user, 0, UINT32_MAX - 1, &errstr);
		if (errstr == NULL)
			pw = getpwuid((uid_t)uid);
	}
	if (pw == NULL) {
		path_warnx(user, "no such user");
		exit(1);
	}
	memset(ids, 0, sizeof(*ids));
	ids->ruid = ids->euid = ids->suid = ids->fsuid = pw->pw_uid;
	ids->rgid = ids->egid = ids->sgid = ids->fsgid = pw->pw_gid;
	ids->groups = user_group_list(pw->pw_name, pw->pw_gid, &ids->ngroups);
	if (ids->groups == NULL)
		err(1, "getgrouplist(%s)", pw->pw_name);
}

static void
set_only(struct options *o, enum only only)
{
	if (o->only != ONLY_NONE && o->only != only)
		usage_error("-u, -g and -G cannot be combined");
	o->only = only;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "group", no_argument, NULL, 'g' },
		{ "groups", no_argument, NULL, 'G' },
		{ "json", no_argument, NULL, 'j' },
		{ "name", no_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "real", no_argument, NULL, 'r' },
		{ "user", no_argument, NULL, 'u' },
		{ "zero", no_argument, NULL, 'z' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .only = ONLY_NONE, .delim = ' ' };
	struct procids ids;
	const char *what;
	pid_t pid = 0;
	bool zero = false, ok;
	int ch, rc;

	outcheck_atexit(1);
	cli_short_name(argv);
	while ((ch = getopt_long(argc, argv, "Gghjnp:ruz", longopts, NULL)) != -1) {
		switch (ch) {
		case 'G':
			set_only(&o, ONLY_GROUPS);
			break;
		case 'g':
			set_only(&o, ONLY_GROUP);
			break;
		case 'h':
			usage(0);
		case 'j':
			o.json = true;
			break;
		case 'n':
			o.names = true;
			break;
		case 'p':
			pid = parse_pid(optarg);
			break;
		case 'r':
			o.real = true;
			break;
		case 'u':
			set_only(&o, ONLY_USER);
			break;
		case 'z':
			zero = true;
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
	if (argc == 1 && pid != 0)
		usage_error("-p and a user cannot be combined");
	if (o.only == ONLY_NONE && (o.names || o.real || zero))
		usage_error("-n, -r and -z need -u, -g or -G");
	if (o.only != ONLY_NONE && o.json)
		usage_error("-j prints the whole report: not with -u, -g or -G");
	if (zero)
		o.delim = '\0';

	if (argc == 1) {
		user_ids(argv[0], &ids);
		rc = 0;
	} else if (pid != 0)
		rc = procids_pid(&ids, pid, &what);
	else
		rc = procids_self(&ids, &what);
	if (rc != 0) {
		/* Without /proc every pid would look like a missing one. */
		if (pid != 0 && errno == ENOENT && access("/proc/self", F_OK) == 0)
			errx(1, "%ld: No such process", (long)pid);
		err(1, "%s", what);
	}
	if (o.only != ONLY_NONE)
		ok = print_only(&ids, &o);
	else {
		procids_print(&ids, o.json, NULL);
		ok = true;
	}
	procids_free(&ids);
	return ok ? 0 : 1;
}
