/*
 * forkdemo: fork a child, signal it COUNT times, then wait for it to end.
 * Demonstrates fork, sigprocmask, sigaction (SA_SIGINFO), sigsuspend, kill,
 * execvp and waitpid; Python: os.fork(), os.kill(), signal.sigwaitinfo(),
 * os.execvp(), os.waitpid(), os.waitstatus_to_exitcode().
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "escape.h"
#include "json.h"
#include "outcheck.h"
#include "pathmsg.h"
#include "runcmd.h"
#include "waitstatus.h"

struct options {
	int sig;
	int count;
	bool json, timestamps;
	char **command;		/* -e: what the child executes; NULL to exit */
};

/* What both processes know, set up before the fork. */
struct demo {
	const struct options *o;
	char signame[32];
	struct timespec start;
	sigset_t caller_mask;		/* the mask forkdemo was started with */
	sigset_t wait_mask;		/* the same, with the signal let through */
	struct sigaction caller_sig, caller_chld;
	int gate[2];			/* closed by the parent: child may write */
	int ack[2];			/* child to parent: one int per batch */
	pid_t parent, child;
	int fail;			/* exit status for forkdemo's own failures */
};

/*
 * Set by the child's handler, read once sigsuspend returns.  Only the
 * handler writes them, and only while the signal is unblocked, that is
 * inside sigsuspend.
 */
static volatile sig_atomic_t got_signal, sender_pid, sender_uid;

/* Each line must fit so that it leaves in one write(2). */
static char outbuf[1 << 16];

/*
 * A usage error exits 2, or 125 when the command line asks to run a
 * command (-e), as env(1) does, so that a caller can tell forkdemo's
 * failure from the command's.  main sets it before anything can fail.
 */
static int usage_status = 2;

static const char optstring[] = "+ehjn:s:t";

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-jt] [-n count] [-s signal] [-e command [arg ...]]\n",
	    getprogname());
	exit(status);
}

static void
on_signal(int sig, siginfo_t *si, void *context)
{
	(void)sig;
	(void)context;
	sender_pid = si->si_pid;
	sender_uid = (sig_atomic_t)si->si_uid;
	got_signal = 1;
}

static int
parse_count(const char *s)
{
	const char *errstr;
	long long n = strtonum(s, 0, INT_MAX, &errstr);

	if (errstr != NULL) {
		warnx("invalid count '%s': %s", msg_name(s), errstr);
		usage(usage_status);
	}
	return (int)n;
}

/*
 * A signal the child can wait for.  SIGKILL is accepted, to show that it
 * cannot be caught; SIGSTOP would stop the child for good instead of
 * reaching it, and the C library keeps two real-time signals for itself.
 */
static int
parse_signal(const char *s)
{
	struct sigaction sa;
	char name[32];
	int sig = signal_parse(s);

	if (sig < 0) {
		warnx("invalid signal '%s'", msg_name(s));
		usage(usage_status);
	}
	if (sig == SIGSTOP) {
		warnx("SIGSTOP cannot be caught: the child would stop, "
		    "not report it");
		usage(usage_status);
	}
	if (sigaction(sig, NULL, &sa) == -1) {
		warn("sigaction(%s)", signal_name(sig, name, sizeof(name)));
		usage(usage_status);
	}
	return sig;
}

/*
 * Send the line built in stdout's buffer with one write(2), so that the
 * lines of the two processes never mix.  Returns 0, or the errno of the
 * failed write.
 */
static int
flush_line(void)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	return errno != 0 ? errno : EIO;
}

/* Start one event's line: the time, who, the pid, the event. */
static void
begin_line(const struct demo *d, bool in_child, const char *event)
{
	pid_t pid = in_child ? d->child : d->parent;
	const char *who = in_child ? "child" : "parent";
	struct timespec now;
	long long sec = 0;
	long nsec = 0;

	if (d->o->timestamps) {
		/* Cannot fail: main read the same clock. */
		(void)clock_gettime(CLOCK_MONOTONIC, &now);
		sec = now.tv_sec - d->start.tv_sec;
		nsec = now.tv_nsec - d->start.tv_nsec;
		if (nsec < 0) {
			sec--;
			nsec += 1000000000L;
		}
	}
	if (d->o->json) {
		json_begin();
		json_str("who", who);
		json_int("pid", pid);
		json_str("event", event);
		if (d->o->timestamps)
			json_double("t", (double)sec + nsec / 1e9);
	} else {
		if (d->o->timestamps)
			printf("%lld.%09ld ", sec, nsec);
		printf("%s %ld: ", who, (long)pid);
	}
}

static int
end_line(const struct demo *d)
{
	if (d->o->json)
		json_end();
	else
		putchar('\n');
	return flush_line();
}

static void
put_signal(const struct demo *d)
{
	json_str("signal", d->signame);
	json_int("signo", d->o->sig);
}

static int
say_forked(const struct demo *d)
{
	begin_line(d, false, "forked");
	if (d->o->json)
		json_int("child_pid", d->child);
	else
		printf("forked child %ld", (long)d->child);
	return end_line(d);
}

static int
say_waiting(const struct demo *d)
{
	begin_line(d, true, "waiting");
	if (d->o->json)
		put_signal(d);
	else
		printf("waiting for %s in sigsuspend%s", d->signame,
		    d->o->sig == SIGKILL ? " (it cannot be caught)" : "");
	return end_line(d);
}

static int
say_sending(const struct demo *d, int n)
{
	begin_line(d, false, "sending");
	if (d->o->json) {
		put_signal(d);
		json_int("n", n);
		json_int("count", d->o->count);
		json_int("to_pid", d->child);
	} else
		printf("sending %s (%d of %d) to child %ld", d->signame, n,
		    d->o->count, (long)d->child);
	return end_line(d);
}

static int
say_received(const struct demo *d, int n, pid_t pid, uid_t uid)
{
	begin_line(d, true, "received");
	if (d->o->json) {
		put_signal(d);
		json_int("n", n);
		json_int("count", d->o->count);
		json_int("sender_pid", pid);
		json_uint("sender_uid", uid);
	} else
		printf("received %s (%d of %d) from pid %ld, uid %lu",
		    d->signame, n, d->o->count, (long)pid, (unsigned long)uid);
	return end_line(d);
}

/* The child's last line: how it is about to end. */
static int
say_ending(const struct demo *d)
{
	char **arg;

	if (d->o->command == NULL) {
		begin_line(d, true, "exiting");
		if (d->o->json)
			json_int("exit_status", 0);
		else
			fputs("exiting with status 0", stdout);
		return end_line(d);
	}
	begin_line(d, true, "executing");
	if (d->o->json) {
		json_array_begin("command");
		for (arg = d->o->command; *arg != NULL; arg++)
			json_str(NULL, *arg);
		json_array_end();
	} else {
		fputs("executing", stdout);
		for (arg = d->o->command; *arg != NULL; arg++) {
			putchar(' ');
			esc_puts(stdout, *arg);
		}
	}
	return end_line(d);
}

static int
say_reaped(const struct demo *d, int status)
{
	char how[64], name[32];

	wait_describe(status, how, sizeof(how));
	begin_line(d, false, "reaped");
	if (d->o->json) {
		json_int("child_pid", d->child);
		json_str("status", how);
		json_int("exit_code", wait_exit_code(status));
		if (WIFSIGNALED(status))
			json_str("signal", signal_name(WTERMSIG(status), name,
			    sizeof(name)));
	} else
		printf("child %ld %s", (long)d->child, how);
	return end_line(d);
}

/*
 * The child's side.  Every failure ends it with _exit: exit would run the
 * parent's atexit handlers and flush stdio a second time.
 */
static noreturn void __attribute__((format(printf, 2, 3)))
child_fail(const struct demo *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	_exit(d->fail);
}

/*
 * Tell the parent that this batch of lines is written (0) or that a write
 * failed (its errno).  The parent reports the failure, once; the child
 * then leaves quietly.
 */
static void
acknowledge(const struct demo *d, int error)
{
	ssize_t n;

	do
		n = write(d->ack[1], &error, sizeof(error));
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof(error))
		child_fail(d, "write(acknowledgement pipe)");
	if (error != 0)
		_exit(d->fail);
}

static void
install_handler(const struct demo *d)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	if (sigemptyset(&sa.sa_mask) == -1 ||
	    sigaction(d->o->sig, &sa, NULL) == -1)
		child_fail(d, "sigaction(%s)", d->signame);
}

/*
 * Block until the parent closes its end of the gate pipe (read returns 0),
 * so that its line about the fork is out before the child's first one.
 * Die with the parent: a child left waiting in sigsuspend would wait
 * forever.
 */
static void
wait_for_gate(const struct demo *d)
{
	char c;
	ssize_t n;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		child_fail(d, "prctl(PR_SET_PDEATHSIG)");
	if (getppid() != d->parent)
		_exit(d->fail);		/* the parent is already gone */
	if (close(d->gate[1]) == -1)
		child_fail(d, "close");
	do
		n = read(d->gate[0], &c, 1);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		child_fail(d, "read(gate pipe)");
	if (close(d->gate[0]) == -1)
		child_fail(d, "close");
}

/*
 * The signal has been blocked since before the fork, so one sent before
 * the child got here is pending, not lost: sigsuspend unblocks it and
 * waits in one atomic step.
 */
static void
wait_for_signal(const struct demo *d, pid_t *pid, uid_t *uid)
{
	while (!got_signal)
		(void)sigsuspend(&d->wait_mask);	/* always -1, EINTR */
	got_signal = 0;
	*pid = (pid_t)sender_pid;
	*uid = (uid_t)sender_uid;
}

/*
 * Give the command what forkdemo was given: the caller's signal mask and
 * dispositions, and no death signal tied to forkdemo.
 */
static void
restore_for_exec(const struct demo *d)
{
	if (d->o->sig != SIGKILL &&
	    sigaction(d->o->sig, &d->caller_sig, NULL) == -1)
		child_fail(d, "sigaction(%s)", d->signame);
	if (sigaction(SIGCHLD, &d->caller_chld, NULL) == -1)
		child_fail(d, "sigaction(SIGCHLD)");
	if (prctl(PR_SET_PDEATHSIG, 0) == -1)
		child_fail(d, "prctl(PR_SET_PDEATHSIG)");
	if (sigprocmask(SIG_SETMASK, &d->caller_mask, NULL) == -1)
		child_fail(d, "sigprocmask");
}

static noreturn void
run_child(struct demo *d)
{
	pid_t pid;
	uid_t uid;
	int error = 0;

	d->child = getpid();
	if (close(d->ack[0]) == -1)
		child_fail(d, "close");
	/* SIGKILL has no handler: the kernel acts on it alone. */
	if (d->o->sig != SIGKILL)
		install_handler(d);
	wait_for_gate(d);
	if (d->o->count > 0)
		error = say_waiting(d);
	for (int n = 1; n <= d->o->count && error == 0; n++) {
		acknowledge(d, 0);
		wait_for_signal(d, &pid, &uid);
		error = say_received(d, n, pid, uid);
	}
	if (error == 0)
		error = say_ending(d);
	acknowledge(d, error);
	if (d->o->command == NULL)
		_exit(0);
	restore_for_exec(d);
	exec_command(d->o->command);
}

/*
 * The parent's side.  After a failure it kills and reaps the child, so
 * that none is left behind, and ends with _exit: the failure has been
 * reported, and the exit-time check of stdout would report it again.
 */
static noreturn void
give_up(const struct demo *d)
{
	int status;

	(void)kill(d->child, SIGKILL);	/* ESRCH is impossible: not reaped */
	while (waitpid(d->child, &status, 0) == -1 && errno == EINTR)
		continue;
	_exit(d->fail);
}

static noreturn void
write_failed(const struct demo *d, int error)
{
	warnc(error, "write error");
	give_up(d);
}

/*
 * Wait for the child's acknowledgement of its last batch of lines.
 * Returns false if the child died instead (end of file on the pipe).
 */
static bool
await_ack(const struct demo *d)
{
	int error;
	ssize_t n;

	do
		n = read(d->ack[0], &error, sizeof(error));
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		warn("read(acknowledgement pipe)");
		give_up(d);
	}
	if (n != (ssize_t)sizeof(error))
		return false;
	if (error != 0)
		write_failed(d, error);
	return true;
}

static int
run_parent(struct demo *d)
{
	int error, status;
	bool alive;

	if (close(d->gate[0]) == -1 || close(d->ack[1]) == -1) {
		warn("close");
		give_up(d);
	}
	if (sigprocmask(SIG_SETMASK, &d->caller_mask, NULL) == -1) {
		warn("sigprocmask");
		give_up(d);
	}
	if ((error = say_forked(d)) != 0)
		write_failed(d, error);
	if (close(d->gate[1]) == -1) {
		warn("close");
		give_up(d);
	}
	alive = await_ack(d);
	for (int n = 1; n <= d->o->count && alive; n++) {
		if ((error = say_sending(d, n)) != 0)
			write_failed(d, error);
		if (kill(d->child, d->o->sig) == -1) {
			warn("kill(%ld, %s)", (long)d->child, d->signame);
			give_up(d);
		}
		alive = await_ack(d);
	}
	while (waitpid(d->child, &status, 0) == -1) {
		if (errno != EINTR)
			err(d->fail, "waitpid(%ld)", (long)d->child);
	}
	if ((error = say_reaped(d, status)) != 0) {
		warnc(error, "write error");
		_exit(d->fail);
	}
	return wait_exit_code(status);
}

/*
 * Set up what both processes need, with the signal blocked before the
 * fork so that the child cannot miss one sent before it is ready.
 */
static int
fork_and_signal(const struct options *o)
{
	struct demo d = { .o = o, .fail = o->command != NULL ? EXIT_CANNOT_RUN : 1 };
	struct sigaction dfl;
	sigset_t block;

	signal_name(o->sig, d.signame, sizeof(d.signame));
	d.parent = getpid();
	if (clock_gettime(CLOCK_MONOTONIC, &d.start) == -1)
		err(d.fail, "clock_gettime");
	if (pipe2(d.gate, O_CLOEXEC) == -1 || pipe2(d.ack, O_CLOEXEC) == -1)
		err(d.fail, "pipe2");
	if (sigaction(o->sig, NULL, &d.caller_sig) == -1)
		err(d.fail, "sigaction(%s)", d.signame);
	/* An ignored SIGCHLD would make the kernel reap the child itself. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	if (sigemptyset(&dfl.sa_mask) == -1 ||
	    sigaction(SIGCHLD, &dfl, &d.caller_chld) == -1)
		err(d.fail, "sigaction(SIGCHLD)");
	if (sigemptyset(&block) == -1 || sigaddset(&block, o->sig) == -1 ||
	    sigprocmask(SIG_BLOCK, &block, &d.caller_mask) == -1)
		err(d.fail, "sigprocmask");
	d.wait_mask = d.caller_mask;
	if (sigdelset(&d.wait_mask, o->sig) == -1)
		err(d.fail, "sigdelset");
	/* The child gets a copy of stdio's buffer: it must be empty. */
	outcheck_flush();
	switch (d.child = fork()) {
	case -1:
		err(d.fail, "fork");
	case 0:
		run_child(&d);
	default:
		return run_parent(&d);
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "count", required_argument, NULL, 'n' },
		{ "exec", no_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "signal", required_argument, NULL, 's' },
		{ "timestamps", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .sig = SIGUSR1, .count = 1 };
	bool exec = false, operand;
	int ch;

	outcheck_atexit(1);
	cli_short_name(argv);
	if (setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf)) != 0)
		errx(1, "setvbuf failed");
	/* -e anywhere: even an error in an option before it exits 125. */
	if (cli_prescan(argc, argv, optstring, longopts, 'e', &operand))
		usage_status = 125;
	/* "+": the first operand ends the options; it is the command. */
	while ((ch = getopt_long(argc, argv, optstring, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'e':
			exec = true;
			break;
		case 'h':
			usage(0);
		case 'j':
			o.json = true;
			break;
		case 'n':
			o.count = parse_count(optarg);
			break;
		case 's':
			o.sig = parse_signal(optarg);
			break;
		case 't':
			o.timestamps = true;
			break;
		case CLI_OPT_VERSION:
			cli_version();
		default:
			usage(usage_status);
		}
	}
	argc -= optind;
	argv += optind;
	if (exec && argc == 0) {
		warnx("-e needs a command");
		usage(usage_status);
	}
	if (!exec && argc > 0) {
		warnx("extra operand '%s' (a command needs -e)",
		    msg_name(argv[0]));
		usage(usage_status);
	}
	if (exec)
		o.command = argv;
	return fork_and_signal(&o);
}
