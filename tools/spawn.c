/*
 * spawn: run a command in one call, with redirections and attributes, and
 * wait for it or not.  Demonstrates posix_spawnp/posix_spawn with file
 * actions and attributes, then waitpid; Python: os.posix_spawnp(),
 * os.posix_spawn(), os.spawnvp(os.P_WAIT / os.P_NOWAIT, ...).
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "outcheck.h"
#include "pathmsg.h"
#include "runcmd.h"
#include "waitstatus.h"

extern char **environ;

enum {
	OPT_SETPGROUP = CLI_OPT_FIRST,
	OPT_SETSID
};

/* A redirection: the descriptor, the file and how to open it. */
struct redirect {
	int fd;
	const char *path;
	int flags;
};

struct options {
	bool nowait, exact, empty_env, setsid, setpgroup;
	struct redirect in, out;
	char **assign;		/* the -e NAME=VALUE arguments */
	int nassign;
};

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-Enx] [-e name=value] [-i file] [-a file | -o file]\n"
	    "             [--setpgroup] [--setsid] command [arg ...]\n",
	    getprogname());
	exit(status);
}

static noreturn void
usage_error(const char *msg)
{
	warnx("%s", msg);
	usage(EXIT_CANNOT_RUN);
}

/* The attribute and file-action calls return an error number. */
static void
check(int error, const char *call)
{
	if (error != 0)
		errc(EXIT_CANNOT_RUN, error, "%s", call);
}

static void
set_output(struct options *o, const char *path, int flags)
{
	if (o->out.path != NULL)
		usage_error("only one output file: -a or -o, once");
	o->out = (struct redirect){ STDOUT_FILENO, path, flags };
}

static bool
is_assignment(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq != NULL && eq != s;
}

/*
 * The child's environment: ours (or none, with -E), then each -e
 * assignment in order, replacing a variable of the same name.
 */
static char **
build_env(const struct options *o)
{
	char **env;
	size_t n = 0, base = 0;

	if (!o->empty_env)
		while (environ[base] != NULL)
			base++;
	if ((env = calloc(base + o->nassign + 1, sizeof(*env))) == NULL)
		err(EXIT_CANNOT_RUN, "calloc");
	if (base > 0)
		memcpy(env, environ, base * sizeof(*env));
	n = base;
	for (int i = 0; i < o->nassign; i++) {
		const char *a = o->assign[i];
		size_t len = strchr(a, '=') - a + 1, j;

		for (j = 0; j < n; j++)
			if (strncmp(env[j], a, len) == 0)
				break;
		env[j] = o->assign[i];
		if (j == n)
			n++;
	}
	env[n] = NULL;
	return env;
}

static void
add_redirect(posix_spawn_file_actions_t *fa, const struct redirect *r)
{
	if (r->path != NULL)
		check(posix_spawn_file_actions_addopen(fa, r->fd, r->path,
		    r->flags, 0666), "posix_spawn_file_actions_addopen");
}

/*
 * The attributes: a new session or process group if asked, and in the
 * child every signal at its default action and none blocked, whatever
 * this process inherited (a shell's "trap '' INT", nohup's ignored HUP).
 */
static void
set_attributes(posix_spawnattr_t *attr, const struct options *o)
{
	sigset_t all, none;
	short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;

	sigfillset(&all);
	sigemptyset(&none);
	check(posix_spawnattr_setsigdefault(attr, &all),
	    "posix_spawnattr_setsigdefault");
	check(posix_spawnattr_setsigmask(attr, &none),
	    "posix_spawnattr_setsigmask");
	/* A new session is also a new process group, led by the child. */
	if (o->setsid)
		flags |= POSIX_SPAWN_SETSID;
	else if (o->setpgroup) {
		flags |= POSIX_SPAWN_SETPGROUP;
		check(posix_spawnattr_setpgroup(attr, 0),
		    "posix_spawnattr_setpgroup");
	}
	check(posix_spawnattr_setflags(attr, flags), "posix_spawnattr_setflags");
}

/*
 * posix_spawn returns one error number for a failed file action and for a
 * failed exec alike.  To name the right culprit, try each redirection
 * again here, in the order the child ran them: the first that fails is
 * the one that failed there; if none does, the exec failed.  The retry
 * must not wait for a FIFO's other end, which may be gone by now (the
 * child's own open, which did not wait or it would not have failed, is
 * what matters), nor truncate, nor take a terminal as ours: O_NONBLOCK,
 * no O_TRUNC, O_NOCTTY.  A FIFO for writing that has no reader left fails
 * with ENXIO here, where the child's blocking open had found one.
 */
static void
report_spawn_failure(const struct options *o, const char *cmd, int error)
{
	const struct redirect *r[] = { &o->in, &o->out };
	struct stat st;
	int fd, saved;

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		if (r[i]->path == NULL)
			continue;
		fd = open(r[i]->path, (r[i]->flags & ~O_TRUNC) | O_NONBLOCK |
		    O_NOCTTY | O_CLOEXEC, 0666);
		if (fd != -1) {
			close(fd);
			continue;
		}
		saved = errno;
		if (saved == ENXIO && stat(r[i]->path, &st) == 0 &&
		    S_ISFIFO(st.st_mode))
			continue;
		path_warnc(saved, r[i]->path);
		exit(EXIT_CANNOT_RUN);
	}
	path_warnc(error, cmd);
	exit(exec_failure_status(error));
}

/*
 * While waiting, ignore the keyboard's interrupt and quit as system(3)
 * does: they reach the child too, which is in our process group, and
 * we report how it ended.  The child gets them back at their default
 * through POSIX_SPAWN_SETSIGDEF.
 */
static void
ignore_keyboard_signals(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGQUIT, &sa, NULL) == -1)
		err(EXIT_CANNOT_RUN, "sigaction");
}

/*
 * A caller that ignores SIGCHLD (a shell's "trap '' CHLD", a daemon) would
 * make the kernel reap the child itself: waitpid would then fail with
 * ECHILD, the status lost.  The child gets SIGCHLD at its default through
 * POSIX_SPAWN_SETSIGDEF in any case.
 */
static void
default_sigchld(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) == -1)
		err(EXIT_CANNOT_RUN, "sigaction(SIGCHLD)");
}

/*
 * A child in a process group of its own is not in the terminal's
 * foreground group: if it reads the terminal (or writes to one set to
 * tostop) the kernel stops it with SIGTTIN (SIGTTOU), and nothing would
 * ever say why spawn seems to hang.  So such a child is waited for with
 * WUNTRACED too, and each stop is reported; spawn goes on waiting, for
 * "kill -CONT" or the end.  A child in spawn's own group stops and goes on
 * with spawn, as a shell job does: nothing to report then.
 */
static void
report_stop(pid_t pid, int status)
{
	char how[64];

	warnx("child %ld %s; still waiting for it (kill -CONT %ld resumes it)",
	    (long)pid, wait_describe(status, how, sizeof(how)), (long)pid);
}

/*
 * Wait for the child and return its status for exit.  A child killed by
 * the keyboard's interrupt or quit, which we ignored while waiting, was
 * most likely killed from the terminal: die of the same signal, so that a
 * shell loop running spawn stops as it would for the command itself.
 */
static int
wait_for(pid_t pid, bool keyboard_ignored, bool own_group)
{
	int options = own_group ? WUNTRACED : 0;
	int status;

	for (;;) {
		if (waitpid(pid, &status, options) == -1) {
			if (errno == EINTR)
				continue;
			err(EXIT_CANNOT_RUN, "waitpid(%ld)", (long)pid);
		}
		if (!WIFSTOPPED(status))
			break;
		report_stop(pid, status);
	}
	if (keyboard_ignored && WIFSIGNALED(status) &&
	    (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGQUIT))
		die_by_signal(WTERMSIG(status));
	return wait_exit_code(status);
}

static int
run(const struct options *o, char *argv[])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char **env = build_env(o);
	pid_t pid;
	int error;

	check(posix_spawn_file_actions_init(&fa), "posix_spawn_file_actions_init");
	add_redirect(&fa, &o->in);
	add_redirect(&fa, &o->out);
	check(posix_spawnattr_init(&attr), "posix_spawnattr_init");
	set_attributes(&attr, o);
	if (!o->nowait)
		default_sigchld();
	if (!o->nowait && !o->setsid && !o->setpgroup)
		ignore_keyboard_signals();

	if (o->exact)
		error = posix_spawn(&pid, argv[0], &fa, &attr, argv, env);
	else
		error = posix_spawnp(&pid, argv[0], &fa, &attr, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(env);
	if (error != 0)
		report_spawn_failure(o, argv[0], error);

	if (o->nowait) {
		printf("%ld\n", (long)pid);
		return 0;
	}
	return wait_for(pid, !o->setsid && !o->setpgroup,
	    o->setsid || o->setpgroup);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "append", required_argument, NULL, 'a' },
		{ "env", required_argument, NULL, 'e' },
		{ "exact", no_argument, NULL, 'x' },
		{ "ignore-environment", no_argument, NULL, 'E' },
		{ "input", required_argument, NULL, 'i' },
		{ "no-wait", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "setpgroup", no_argument, NULL, OPT_SETPGROUP },
		{ "setsid", no_argument, NULL, OPT_SETSID },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .in.fd = STDIN_FILENO };
	int ch, rc;

	outcheck_atexit(EXIT_CANNOT_RUN);
	cli_short_name(argv);
	/* Each -e takes an argument at least: argc entries hold them all. */
	if ((o.assign = calloc(argc, sizeof(*o.assign))) == NULL)
		err(EXIT_CANNOT_RUN, "calloc");
	/* "+": options end at the command, so "spawn ls -l" runs "ls -l". */
	while ((ch = getopt_long(argc, argv, "+Ea:e:hi:no:x", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'E':
			o.empty_env = true;
			break;
		case 'a':
			set_output(&o, optarg, O_WRONLY | O_CREAT | O_APPEND);
			break;
		case 'e':
			if (!is_assignment(optarg)) {
				warnx("invalid assignment '%s': want NAME=VALUE",
				    msg_name(optarg));
				usage(EXIT_CANNOT_RUN);
			}
			o.assign[o.nassign++] = optarg;
			break;
		case 'h':
			usage(0);
		case 'i':
			o.in = (struct redirect){ STDIN_FILENO, optarg, O_RDONLY };
			break;
		case 'n':
			o.nowait = true;
			break;
		case 'o':
			set_output(&o, optarg, O_WRONLY | O_CREAT | O_TRUNC);
			break;
		case 'x':
			o.exact = true;
			break;
		case OPT_SETPGROUP:
			o.setpgroup = true;
			break;
		case OPT_SETSID:
			o.setsid = true;
			break;
		case CLI_OPT_VERSION:
			cli_version();
		default:
			usage(EXIT_CANNOT_RUN);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage_error("missing command");

	rc = run(&o, argv);
	free(o.assign);
	return rc;
}
