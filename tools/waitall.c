/*
 * waitall: run commands side by side, at most N at a time, and report how
 * each one ended and what it cost.  Demonstrates posix_spawn, the wait
 * family (wait, waitpid, wait3, wait4 and the rusage they return),
 * ppoll and kill; Python: os.posix_spawn(), os.wait(), os.waitpid(),
 * os.wait3(), os.wait4(), os.kill().
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "escape.h"
#include "json.h"
#include "outcheck.h"
#include "pathmsg.h"
#include "waitstatus.h"

extern char **environ;

/* The wait primitive that collects the children. */
enum call { CALL_WAIT, CALL_WAITPID, CALL_WAIT3, CALL_WAIT4 };

static const char *const call_names[] = {
	[CALL_WAIT] = "wait",
	[CALL_WAITPID] = "waitpid",
	[CALL_WAIT3] = "wait3",
	[CALL_WAIT4] = "wait4"
};

struct options {
	enum call call;
	bool json, stop_on_failure;
	long long max_jobs;	/* -P; 0: no limit */
};

/*
 * Where the commands come from: the operands, or the lines of -f FILE,
 * read as they are needed into buf, of which buf[start..len) is unread.
 */
struct source {
	char **argv;
	int fd;			/* the -f list, or -1 */
	const char *name;
	char *buf;
	size_t start, len, cap;
	bool eof;
};

/* A running command, kept in start order. */
struct job {
	pid_t pid;
	char *cmd;
	struct timespec start;		/* CLOCK_MONOTONIC, for the wall time */
	struct timespec start_real;	/* CLOCK_REALTIME, for -j */
};

struct jobs {
	struct job *v;
	size_t n, cap;
};

/* What every posix_spawn call is given. */
struct spawner {
	posix_spawnattr_t attr;
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_t *fa;	/* NULL: inherit every descriptor */
};

/*
 * The signals waitall passes on to its children.  They and SIGCHLD are
 * blocked except inside ppoll, so a handler only ever runs there.
 */
static const int forwarded[] = { SIGHUP, SIGINT, SIGTERM };

enum { NOT_RECEIVED, FROM_PROCESS, FROM_TERMINAL };
static volatile sig_atomic_t received[NSIG];

/*
 * The error of the first report line that could not be written.  The
 * commands are the work: they all still run, and the error is reported
 * at the end.
 */
static int report_errno;

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-jko] [-c call] [-P jobs] [command ...]\n"
	    "       %s [-jko] [-c call] [-P jobs] -f file\n",
	    getprogname(), getprogname());
	exit(status);
}

static noreturn void
usage_error(const char *msg)
{
	warnx("%s", msg);
	usage(2);
}

static enum call
parse_call(const char *s)
{
	for (size_t i = 0; i < sizeof(call_names) / sizeof(call_names[0]); i++)
		if (strcmp(s, call_names[i]) == 0)
			return (enum call)i;
	warnx("invalid call '%s': want wait, waitpid, wait3 or wait4",
	    msg_name(s));
	usage(2);
}

static bool
in_start_order(enum call call)
{
	return call == CALL_WAITPID || call == CALL_WAIT4;
}

static bool
gives_rusage(enum call call)
{
	return call == CALL_WAIT3 || call == CALL_WAIT4;
}

/*
 * SIGCHLD only has to interrupt ppoll.  A signal the terminal sent
 * (si_code SI_KERNEL) has already reached the children, which are in our
 * process group: it is noted but not sent again.
 */
static void
on_signal(int sig, siginfo_t *si, void *context)
{
	(void)context;
	received[sig] = si->si_code == SI_KERNEL ? FROM_TERMINAL : FROM_PROCESS;
}

/*
 * Block SIGCHLD and the forwarded signals, and catch them.  A signal that
 * was ignored when waitall started (nohup, a background job of a
 * non-interactive shell) stays ignored, for waitall and its children.
 * Returns in *caught the signals the children must get back at their
 * default action, and in *orig the mask they must run with.
 */
static void
catch_signals(sigset_t *caught, sigset_t *orig)
{
	struct sigaction sa = { .sa_sigaction = on_signal,
	    .sa_flags = SA_SIGINFO | SA_RESTART }, old;

	sigemptyset(caught);
	sigaddset(caught, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		if (sigaction(forwarded[i], NULL, &old) == -1)
			err(1, "sigaction");
		if (old.sa_handler != SIG_IGN)
			sigaddset(caught, forwarded[i]);
	}
	if (sigprocmask(SIG_BLOCK, caught, orig) == -1)
		err(1, "sigprocmask");
	sa.sa_mask = *caught;
	for (int sig = 1; sig < NSIG; sig++) {
		if (sigismember(caught, sig) != 1)
			continue;
		if (sig == SIGCHLD)
			sa.sa_flags |= SA_NOCLDSTOP;
		if (sigaction(sig, &sa, NULL) == -1)
			err(1, "sigaction");
		sa.sa_flags &= ~SA_NOCLDSTOP;
	}
}

static void
check(int error, const char *call)
{
	if (error != 0)
		errc(1, error, "%s", call);
}

/*
 * The children start with the signal mask waitall inherited and with the
 * signals it catches at their default action.  With -f -, standard input
 * holds the list of commands: they get /dev/null instead, as xargs does.
 */
static void
spawner_init(struct spawner *sp, const sigset_t *caught,
    const sigset_t *orig, bool stdin_is_list)
{
	check(posix_spawnattr_init(&sp->attr), "posix_spawnattr_init");
	check(posix_spawnattr_setsigmask(&sp->attr, orig),
	    "posix_spawnattr_setsigmask");
	check(posix_spawnattr_setsigdefault(&sp->attr, caught),
	    "posix_spawnattr_setsigdefault");
	check(posix_spawnattr_setflags(&sp->attr,
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF),
	    "posix_spawnattr_setflags");
	sp->fa = NULL;
	if (stdin_is_list) {
		check(posix_spawn_file_actions_init(&sp->actions),
		    "posix_spawn_file_actions_init");
		check(posix_spawn_file_actions_addopen(&sp->actions,
		    STDIN_FILENO, "/dev/null", O_RDONLY, 0),
		    "posix_spawn_file_actions_addopen");
		sp->fa = &sp->actions;
	}
}

static void
spawner_free(struct spawner *sp)
{
	posix_spawnattr_destroy(&sp->attr);
	if (sp->fa != NULL)
		posix_spawn_file_actions_destroy(sp->fa);
}

/*
 * Whether the command needs /bin/sh: it holds a character the shell
 * treats specially, or its first word is an assignment, a keyword, or a
 * builtin that acts differently from the program of the same name.  As
 * make does, any other command is split at blanks and run directly,
 * which saves starting a shell for each command.
 */
static bool
needs_shell(const char *cmd)
{
	static const char *const words[] = {
		".", ":", "alias", "bg", "break", "case", "cd", "command",
		"continue", "do", "done", "echo", "elif", "else", "esac",
		"eval", "exec", "exit", "export", "fc", "fg", "fi", "for",
		"getopts", "hash", "if", "in", "jobs", "kill", "local",
		"printf", "pwd", "read", "readonly", "return", "set", "shift",
		"test", "then", "times", "trap", "type", "ulimit", "umask",
		"unalias", "unset", "until", "wait", "while"
	};
	size_t len;

	if (cmd[strcspn(cmd, "\n\"#$&'()*;<>?[\\]^`{|}~!")] != '\0')
		return true;
	cmd += strspn(cmd, " \t");
	len = strcspn(cmd, " \t");
	if (len == 0 || memchr(cmd, '=', len) != NULL)
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == len && memcmp(cmd, words[i], len) == 0)
			return true;
	return false;
}

/* The blank-separated words of cmd, as an argv in one allocation. */
static char **
split_words(const char *cmd)
{
	size_t len = strlen(cmd), nwords = 0;
	char **argv, *copy, *p, *save;

	/* At most one word per two bytes, plus the NULL. */
	if ((argv = malloc((len / 2 + 2) * sizeof(*argv) + len + 1)) == NULL)
		err(1, "malloc");
	copy = (char *)(argv + len / 2 + 2);
	memcpy(copy, cmd, len + 1);
	for (p = strtok_r(copy, " \t", &save); p != NULL;
	    p = strtok_r(NULL, " \t", &save))
		argv[nwords++] = p;
	argv[nwords] = NULL;
	return argv;
}

/*
 * Start cmd: directly when it has no shell syntax, else (or when that
 * fails, so that a script without #! runs and a missing command is
 * reported by the shell with status 127) as "/bin/sh -c -- cmd".
 * Returns the pid, or -1 after a warning.
 */
static pid_t
spawn_command(const char *cmd, const struct spawner *sp)
{
	/* "--": a command that starts with '-' or '+' is not an option. */
	char *sh_argv[] = { (char *)"sh", (char *)"-c", (char *)"--",
	    (char *)cmd, NULL };
	char reason[128];
	pid_t pid;
	int error;

	if (!needs_shell(cmd)) {
		char **argv = split_words(cmd);

		error = posix_spawnp(&pid, argv[0], sp->fa, &sp->attr, argv,
		    environ);
		free(argv);
		if (error == 0)
			return pid;
		/*
		 * Not found, not executable, a script without "#!": the shell
		 * has its own answer (127, 126, running the script), as it
		 * would have had for the same line.  Out of processes or
		 * memory, it would fail the same way: say so as it is.
		 */
		if (error == EAGAIN || error == ENOMEM) {
			snprintf(reason, sizeof(reason), "posix_spawnp: %s",
			    strerror(error));
			path_warnx(cmd, reason);
			return -1;
		}
	}
	error = posix_spawn(&pid, "/bin/sh", sp->fa, &sp->attr, sh_argv,
	    environ);
	if (error == 0)
		return pid;
	snprintf(reason, sizeof(reason), "posix_spawn /bin/sh: %s",
	    strerror(error));
	path_warnx(cmd, reason);
	return -1;
}

static bool
start_job(struct jobs *t, const char *cmd, const struct spawner *sp)
{
	struct job j;

	clock_gettime(CLOCK_REALTIME, &j.start_real);
	clock_gettime(CLOCK_MONOTONIC, &j.start);
	if ((j.pid = spawn_command(cmd, sp)) == -1)
		return false;
	if ((j.cmd = strdup(cmd)) == NULL)
		err(1, "strdup");
	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 16 : 2 * t->cap;
		if ((t->v = reallocarray(t->v, t->cap, sizeof(*t->v))) == NULL)
			err(1, "reallocarray");
	}
	t->v[t->n++] = j;
	return true;
}

/*
 * The next command, or NULL when none is ready: *ended tells whether
 * none ever will be.  Blank lines of -f are skipped.
 */
static const char *
next_command(struct source *src, bool *ended)
{
	char *line, *nl;

	if (src->fd == -1) {
		*ended = *src->argv == NULL;
		return *ended ? NULL : *src->argv++;
	}
	for (;;) {
		line = src->buf + src->start;
		if (src->start < src->len &&
		    (nl = memchr(line, '\n', src->len - src->start)) != NULL)
			src->start = nl - src->buf + 1;
		else if (!src->eof) {
			*ended = false;
			return NULL;
		} else if (src->start < src->len) {
			/* A last line without a newline: read_more left room. */
			nl = src->buf + src->len;
			src->start = src->len;
		} else {
			*ended = true;
			return NULL;
		}
		*nl = '\0';
		if (line[strspn(line, " \t")] != '\0')
			return line;
	}
}

/*
 * Read what the list has now.  Called only when ppoll says it is ready,
 * so that a slow producer never keeps waitall from collecting children
 * or from answering a signal.
 */
static void
read_more(struct source *src, bool *failed)
{
	ssize_t n;

	if (src->start > 0) {
		memmove(src->buf, src->buf + src->start, src->len - src->start);
		src->len -= src->start;
		src->start = 0;
	}
	if (src->cap - src->len < 2) {
		src->cap = src->cap == 0 ? 65536 : 2 * src->cap;
		if ((src->buf = realloc(src->buf, src->cap)) == NULL)
			err(1, "realloc");
	}
	/* Keep a byte for the NUL that ends a last line without newline. */
	n = read(src->fd, src->buf + src->len, src->cap - src->len - 1);
	if (n > 0)
		src->len += n;
	else if (n == 0)
		src->eof = true;
	else if (errno != EAGAIN && errno != EINTR) {
		path_warnc(errno, src->name);
		src->eof = true;
		src->len = src->start;
		*failed = true;
	}
}

/*
 * One ended child, collected with the chosen call without blocking: 0 if
 * none has ended yet.  waitpid and wait4 wait for the oldest command, so
 * a command that ends early stays a zombie until those started before it
 * are collected.  wait has no WNOHANG: waitid with WNOWAIT first checks
 * that a child has ended, so that wait returns at once.
 */
static pid_t
collect(enum call call, const struct jobs *t, int *status, struct rusage *ru)
{
	siginfo_t si;
	pid_t pid;

	switch (call) {
	case CALL_WAIT:
		si.si_pid = 0;
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == -1)
			err(1, "waitid");
		pid = si.si_pid == 0 ? 0 : wait(status);
		break;
	case CALL_WAITPID:
		pid = waitpid(t->v[0].pid, status, WNOHANG);
		break;
	case CALL_WAIT3:
		pid = wait3(status, WNOHANG, ru);
		break;
	default:
		pid = wait4(t->v[0].pid, status, WNOHANG, ru);
		break;
	}
	if (pid == -1)
		err(1, "%s", call_names[call]);
	return pid;
}

static double
seconds(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static double
elapsed(struct timespec from, struct timespec to)
{
	return (to.tv_sec - from.tv_sec) + (to.tv_nsec - from.tv_nsec) / 1e9;
}

static void
report_json(const struct job *j, int status, double real,
    const struct rusage *ru)
{
	char how[64], sig[32];

	json_begin();
	json_int("pid", j->pid);
	json_str("status", wait_describe(status, how, sizeof(how)));
	if (WIFEXITED(status))
		json_int("exit_status", WEXITSTATUS(status));
	else
		json_null("exit_status");
	json_str("signal", WIFSIGNALED(status) ?
	    signal_name(WTERMSIG(status), sig, sizeof(sig)) : NULL);
	json_bool("core_dumped", WIFSIGNALED(status) && WCOREDUMP(status));
	json_time("start", j->start_real);
	json_double("real_sec", real);
	if (ru != NULL) {
		json_double("user_sec", seconds(ru->ru_utime));
		json_double("sys_sec", seconds(ru->ru_stime));
		json_int("max_rss_kb", ru->ru_maxrss);
	} else {
		json_null("user_sec");
		json_null("sys_sec");
		json_null("max_rss_kb");
	}
	json_str("command", j->cmd);
	json_end();
}

static void
report_line(const struct job *j, int status, double real,
    const struct rusage *ru)
{
	char how[64];

	printf("%7ld  %-17s  real %6.3fs", (long)j->pid,
	    wait_describe(status, how, sizeof(how)), real);
	if (ru != NULL)
		printf("  user %6.3fs  sys %6.3fs  maxrss %7ldk",
		    seconds(ru->ru_utime), seconds(ru->ru_stime),
		    ru->ru_maxrss);
	fputs("  ", stdout);
	esc_puts(stdout, j->cmd);
	putchar('\n');
}

static void
report(const struct job *j, int status, const struct rusage *ru,
    const struct options *o)
{
	struct timespec now;
	double real;

	clock_gettime(CLOCK_MONOTONIC, &now);
	real = elapsed(j->start, now);
	errno = 0;
	if (o->json)
		report_json(j, status, real, ru);
	else
		report_line(j, status, real, ru);
	/* Each line goes out as its command ends, not at exit. */
	if ((fflush(stdout) != 0 || ferror(stdout)) && report_errno == 0)
		report_errno = errno != 0 ? errno : EIO;
}

/*
 * Collect and report every child that has ended.  Returns how many; sets
 * *failed if one did not exit 0.
 */
static size_t
collect_ended(struct jobs *t, const struct options *o, bool *failed)
{
	struct rusage ru;
	size_t n = 0, i;
	pid_t pid;
	int status;

	while (t->n > 0 && (pid = collect(o->call, t, &status, &ru)) > 0) {
		for (i = 0; i < t->n && t->v[i].pid != pid; i++)
			continue;
		if (i == t->n) {
			/* One this process had before it became waitall. */
			warnx("%s collected child %ld, not started by waitall",
			    call_names[o->call], (long)pid);
			continue;
		}
		report(&t->v[i], status, gives_rusage(o->call) ? &ru : NULL, o);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			*failed = true;
		free(t->v[i].cmd);
		t->n--;
		memmove(&t->v[i], &t->v[i + 1], (t->n - i) * sizeof(*t->v));
		n++;
	}
	return n;
}

static void
signal_all(const struct jobs *t, int sig)
{
	for (size_t i = 0; i < t->n; i++)
		if (kill(t->v[i].pid, sig) == -1)
			warn("kill %ld", (long)t->v[i].pid);
}

/*
 * Pass the signals received since the last look to the running children.
 * Returns the last one received, or 0.
 */
static int
forward_signals(const struct jobs *t)
{
	int last = 0;

	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		int sig = forwarded[i], from = received[sig];

		if (from == NOT_RECEIVED)
			continue;
		received[sig] = NOT_RECEIVED;
		if (from == FROM_PROCESS)
			signal_all(t, sig);
		last = sig;
	}
	return last;
}

/*
 * Sleep until a child ends, a signal comes or (when want_input) the list
 * has more to read.  The signals are blocked everywhere else: ppoll
 * unblocks them and waits in one step, so one that came since the last
 * look interrupts it at once instead of being missed.
 */
static void
wait_for_event(struct source *src, bool want_input,
    const sigset_t *sleep_mask, bool *failed)
{
	struct pollfd pfd = { .fd = src->fd, .events = POLLIN };

	if (ppoll(&pfd, want_input ? 1 : 0, NULL, sleep_mask) == -1) {
		if (errno != EINTR)
			err(1, "ppoll");
		return;
	}
	if (want_input && pfd.revents != 0)
		read_more(src, failed);
}

/*
 * Whether SIGINT, SIGTERM or SIGHUP has come, letting in one that is
 * pending first.  The handlers run only while ppoll has the sleep mask in
 * place, and a ppoll that finds the list readable returns without
 * delivering a pending signal: so before each start, a ppoll that waits
 * for nothing, lest a long list be started in full after the signal.
 */
static bool
signal_came(const sigset_t *sleep_mask)
{
	static const struct timespec now = { 0, 0 };

	if (ppoll(NULL, 0, &now, sleep_mask) == -1 && errno != EINTR)
		err(1, "ppoll");
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		if (received[forwarded[i]] != NOT_RECEIVED)
			return true;
	return false;
}

static bool
has_room(const struct jobs *t, const struct options *o)
{
	return o->max_jobs == 0 || t->n < (size_t)o->max_jobs;
}

/*
 * Start commands while there is room, collect those that ended, pass on
 * signals, sleep; until every command has run.  Returns whether each one
 * started and exited 0; *interrupted is the signal that stopped the run,
 * or 0.
 */
static bool
run_all(struct source *src, const struct options *o,
    const struct spawner *sp, const sigset_t *sleep_mask, int *interrupted)
{
	struct jobs t = { 0 };
	const char *cmd;
	bool ended = false, stopping = false, failed = false, ok = true;
	size_t collected;
	int sig;

	*interrupted = 0;
	for (;;) {
		while (!ended && !stopping && has_room(&t, o)) {
			if (signal_came(sleep_mask) ||
			    (cmd = next_command(src, &ended)) == NULL)
				break;
			if (!start_job(&t, cmd, sp)) {
				failed = true;
				if (o->stop_on_failure)
					break;
			}
		}
		collected = collect_ended(&t, o, &failed);
		if (failed) {
			ok = false;
			failed = false;
			if (o->stop_on_failure && !stopping) {
				signal_all(&t, SIGTERM);
				stopping = true;
			}
		}
		if ((sig = forward_signals(&t)) != 0) {
			*interrupted = sig;
			stopping = true;
		}
		if (t.n == 0 && (ended || stopping))
			break;
		if (collected > 0)
			continue;	/* there is room now */
		wait_for_event(src, !ended && !stopping && has_room(&t, o),
		    sleep_mask, &failed);
	}
	free(t.v);
	return ok && !failed;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "call", required_argument, NULL, 'c' },
		{ "file", required_argument, NULL, 'f' },
		{ "jobs", required_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "kill", no_argument, NULL, 'k' },
		{ "in-order", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .call = CALL_WAIT3 };
	struct source src = { .fd = -1 };
	struct spawner sp;
	sigset_t caught, orig, sleep_mask;
	const char *file = NULL, *errstr;
	bool call_given = false, in_order = false, ok;
	int ch, sig;

	outcheck_atexit(1);
	cli_short_name(argv);
	while ((ch = getopt_long(argc, argv, "+P:c:f:hjko", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'P':
			o.max_jobs = strtonum(optarg, 0, INT_MAX, &errstr);
			if (errstr != NULL) {
				warnx("invalid number of jobs '%s': %s",
				    msg_name(optarg), errstr);
				usage(2);
			}
			break;
		case 'c':
			o.call = parse_call(optarg);
			call_given = true;
			break;
		case 'f':
			file = optarg;
			break;
		case 'h':
			usage(0);
		case 'j':
			o.json = true;
			break;
		case 'k':
			o.stop_on_failure = true;
			break;
		case 'o':
			in_order = true;
			break;
		case CLI_OPT_VERSION:
			cli_version();
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (file != NULL && argc > 0)
		usage_error("-f and command operands cannot be combined");
	if (file == NULL && argc == 0)
		usage_error("missing command");
	if (in_order && !call_given)
		o.call = CALL_WAITPID;
	if (in_order && !in_start_order(o.call))
		usage_error("-o collects in start order: not with -c wait or wait3");

	src.argv = argv;
	if (file != NULL && strcmp(file, "-") == 0) {
		src.fd = STDIN_FILENO;
		src.name = "stdin";
	} else if (file != NULL) {
		if ((src.fd = open(file, O_RDONLY | O_CLOEXEC)) == -1) {
			path_warnc(errno, file);
			exit(2);
		}
		src.name = file;
	}

	catch_signals(&caught, &orig);
	/*
	 * Sleep with the caller's mask, which the children get too, but
	 * never with SIGCHLD blocked: it is what wakes waitall when a child
	 * ends.  A forwarded signal the caller blocked stays pending.
	 */
	sleep_mask = orig;
	sigdelset(&sleep_mask, SIGCHLD);
	spawner_init(&sp, &caught, &orig, src.fd == STDIN_FILENO);
	ok = run_all(&src, &o, &sp, &sleep_mask, &sig);
	spawner_free(&sp);
	free(src.buf);
	if (src.fd > STDIN_FILENO)
		close(src.fd);
	if (report_errno != 0) {
		warnc(report_errno, "write error");
		clearerr(stdout);
		ok = false;
	}
	if (sig != 0)
		die_by_signal(sig);
	return ok ? 0 : 1;
}
