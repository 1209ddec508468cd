/*
 * p2open: run a command with pipes to its stdin, stdout and stderr, in the
 * shapes of popen, popen2, popen3 and popen4, and copy both ways without
 * deadlock.  Demonstrates pipe2, fork, dup2, execvp, poll, waitpid, splice
 * and F_SETPIPE_SZ; Python: os.pipe(), os.fork(), os.dup2(), os.execvp(),
 * select.poll(), os.splice(), os.waitpid(), subprocess.Popen.communicate().
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "outcheck.h"
#include "pathmsg.h"
#include "runcmd.h"
#include "waitstatus.h"

/*
 * Data moves in chunks of this size, and the pipes to the command are grown
 * to it: with the default 64 KiB pipes each side is woken for every few
 * pages, and the wake-ups, not the copies, bound the throughput.
 */
#define CHUNK (1024 * 1024)

/* Which of the command's descriptors are pipes to p2open. */
enum mode {
	MODE_R,		/* popen "r": its stdout */
	MODE_W,		/* popen "w": its stdin */
	MODE_2,		/* popen2: stdin and stdout */
	MODE_3,		/* popen3: stdin, stdout and stderr apart */
	MODE_4		/* popen4: stdin, and stdout and stderr merged */
};

struct options {
	enum mode mode;
	const char *string;	/* -s: the command's whole input */
	const char *file;	/* -i: the file to feed it */
	bool json, stamps, raw;
};

/* One output pipe of the command, as p2open reads it. */
struct stream {
	int fd;			/* our read end; -1 once at its end */
	const char *name;	/* the label: "stdout", "stderr", "merged" */
	int copy_fd;		/* where unlabelled output goes */
	bool splice;		/* unlabelled: try splice before read+write */
	char *line;		/* labelled output: the unfinished line */
	size_t len, cap;
};

/* The command's stdin, as p2open feeds it. */
struct feed {
	int fd;			/* our write end; -1 once closed */
	int src;		/* what we read the input from; -1 if none left */
	const char *src_name;
	bool own_src;		/* src was opened by us (-i FILE) */
	bool splice;		/* src is a file or a pipe: splice it */
	bool src_is_file;	/* a regular file: always has data to read */
	bool src_ready;		/* splice: poll said src has data */
	char *buf;		/* CHUNK bytes to read src into, if not spliced */
	const char *data;	/* the bytes not yet written: in buf, or -s */
	size_t len;
};

struct run {
	const struct options *o;
	bool labelled;		/* lines with labels, or JSON: not raw bytes */
	pid_t pid;
	int status;
	bool reaped;
	bool input_failed;
	sigset_t inherited_mask;	/* the signal mask the command gets */
	int wake;		/* the self-pipe's read end; -1 before */
	struct timespec start;
	struct feed feed;
	struct stream streams[2];
	int nstreams;
	char *buf;		/* CHUNK bytes to read the command's output into */
};

/*
 * What a child that could not exec tells its parent through a pipe that
 * exec closes: an empty read there means the exec succeeded.
 */
struct exec_report {
	int failed_dup2;
	int errnum;
};

/* The signals p2open passes on to the command. */
static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };

/*
 * Set by the signal handler, read by the loop: the only shared state.
 * pending: signals to pass on; received: every signal that came, from the
 * terminal too, so that we can die of it once the command has.
 */
static volatile sig_atomic_t pending[NSIG];
static volatile sig_atomic_t received[NSIG];
static int wake_fd = -1;

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-jt] [-m mode] [-s string | -i file] [--raw]\n"
	    "              [--] command [arg ...]\n",
	    getprogname());
	exit(status);
}

static noreturn void
usage_error(const char *msg)
{
	warnx("%s", msg);
	usage(EXIT_CANNOT_RUN);
}

static enum mode
parse_mode(const char *s)
{
	static const char names[] = "rw234";
	const char *p;

	if (s[0] == '\0' || s[1] != '\0' || (p = strchr(names, s[0])) == NULL) {
		warnx("invalid mode '%s': use r, w, 2, 3 or 4", msg_name(s));
		usage(EXIT_CANNOT_RUN);
	}
	return (enum mode)(p - names);
}

static void
check_options(const struct options *o)
{
	if (o->string != NULL && o->file != NULL)
		usage_error("-s and -i cannot be combined");
	if (o->mode == MODE_R && (o->string != NULL || o->file != NULL))
		usage_error("mode r leaves the command's stdin alone: "
		    "no -s or -i");
	if (o->mode == MODE_W && (o->json || o->stamps))
		usage_error("mode w reads no output: no -j or -t");
	if (o->raw && o->mode != MODE_3)
		usage_error("--raw is for mode 3");
	if (o->raw && (o->json || o->stamps))
		usage_error("--raw cannot be combined with -j or -t");
}

/*
 * The handler only records the signal and wakes the poll loop through a
 * pipe, the self-pipe trick: poll cannot miss a signal that arrives just
 * before it sleeps, since the byte is already in the pipe.
 */
static void
on_signal(int sig, siginfo_t *si, void *ctx)
{
	int saved = errno;

	(void)ctx;
	/*
	 * A signal from the terminal (si_code > 0: sent by the kernel) went
	 * to the whole foreground process group, the command included:
	 * passing it on would deliver it twice.
	 */
	if (sig == SIGCHLD || si->si_code <= 0)
		pending[sig] = 1;
	received[sig] = 1;
	if (write(wake_fd, "", 1) < 0) {
		/* Full: a wake-up is already waiting. */
	}
	errno = saved;
}

static void
catch_signal(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	/*
	 * SA_RESTART: poll is woken through the pipe all the same (poll is
	 * never restarted), while a write to our stdout that a signal
	 * interrupts goes on instead of failing with EINTR, which stdio
	 * would take for a write error.
	 */
	sa.sa_flags = SA_SIGINFO | SA_RESTART | flags;
	sigfillset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		err(EXIT_CANNOT_RUN, "sigaction");
}

/*
 * A descriptor above 2.  Started with 0, 1 or 2 closed, p2open would get
 * that number from pipe2 or open: its own output would then go into its
 * wake pipe, and the child's dup2 onto 0, 1 and 2 could overwrite a pipe
 * end it still has to move.  Kept above, the closed one stays closed, and
 * writing to it fails as it should.
 */
static int
above_stdio(int fd)
{
	int moved;

	if (fd > STDERR_FILENO)
		return fd;
	if ((moved = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1)) < 0)
		err(EXIT_CANNOT_RUN, "fcntl(F_DUPFD_CLOEXEC)");
	close(fd);
	return moved;
}

static int
install_signals(sigset_t *inherited_mask)
{
	struct sigaction old;
	sigset_t chld;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
		err(EXIT_CANNOT_RUN, "pipe2");
	fds[0] = above_stdio(fds[0]);
	wake_fd = fds[1] = above_stdio(fds[1]);
	catch_signal(SIGCHLD, SA_NOCLDSTOP);
	/*
	 * Started with SIGCHLD blocked, we would never learn that the
	 * command exited.  The command gets the mask we were given.
	 */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_UNBLOCK, &chld, inherited_mask) != 0)
		err(EXIT_CANNOT_RUN, "sigprocmask");
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		/*
		 * A signal ignored when we started (nohup, a background job)
		 * stays ignored, and the command inherits that.
		 */
		if (sigaction(forwarded[i], NULL, &old) != 0)
			err(EXIT_CANNOT_RUN, "sigaction");
		if (old.sa_handler != SIG_IGN)
			catch_signal(forwarded[i], 0);
	}
	return fds[0];
}

/*
 * A close-on-exec pipe; the end that stays with p2open (ours: 0 for the
 * read end, 1 for the write end) is made non-blocking, the child's is not,
 * for the command expects blocking descriptors.
 */
static void
make_pipe(int fds[2], int ours, bool grow)
{
	if (pipe2(fds, O_CLOEXEC) != 0)
		err(EXIT_CANNOT_RUN, "pipe2");
	fds[0] = above_stdio(fds[0]);
	fds[1] = above_stdio(fds[1]);
	if (ours >= 0 && fcntl(fds[ours], F_SETFL, O_NONBLOCK) != 0)
		err(EXIT_CANNOT_RUN, "fcntl(F_SETFL)");
	/*
	 * Larger pipes mean fewer wake-ups.  An unprivileged user past
	 * /proc/sys/fs/pipe-user-pages-soft gets EPERM: the default size
	 * still works, only slower.
	 */
	if (grow && fcntl(fds[0], F_SETPIPE_SZ, CHUNK) < 0 && errno != EPERM)
		err(EXIT_CANNOT_RUN, "fcntl(F_SETPIPE_SZ)");
}

/*
 * Give the signals we pass on their default action back: in the child
 * before exec, and in p2open once the command has gone and there is no
 * one left to pass them to.  Only sigaction: the child may call it.
 */
static void
stop_catching(void)
{
	struct sigaction sa, dfl = { .sa_handler = SIG_DFL };

	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		if (sigaction(forwarded[i], NULL, &sa) == 0 &&
		    (sa.sa_flags & SA_SIGINFO) && sa.sa_sigaction == on_signal)
			sigaction(forwarded[i], &dfl, NULL);
}

/*
 * In the child: put the signals we catch back to their default action,
 * give back the signal mask we were started with, move the pipe ends onto
 * 0, 1 and 2 (dup2 clears close-on-exec on the copy, so exactly these
 * survive exec) and run the command.  No stdio and no exit() here, which
 * would flush buffers shared with the parent; a failure goes back through
 * `report`, since our stderr may be one of the pipes.
 */
static noreturn void
exec_child(char *argv[], const int target[3], int report,
    const sigset_t *mask)
{
	struct exec_report r = { 0, 0 };

	/*
	 * The signals we pass on were blocked across fork: one typed at the
	 * terminal since then is pending here, and takes its default action
	 * once unblocked, instead of running our handler in the child and
	 * being lost at exec.
	 */
	stop_catching();
	sigprocmask(SIG_SETMASK, mask, NULL);	/* a valid mask: cannot fail */
	for (int fd = 0; fd < 3; fd++) {
		if (target[fd] >= 0 && dup2(target[fd], fd) < 0) {
			r.failed_dup2 = 1;
			break;
		}
	}
	if (!r.failed_dup2)
		execvp(argv[0], argv);
	r.errnum = errno;
	if (write(report, &r, sizeof(r)) < 0) {
		/* The parent then reads an empty report and waits for us. */
	}
	_exit(r.failed_dup2 ? EXIT_CANNOT_RUN : exec_failure_status(r.errnum));
}

static void
reap_child(struct run *r, int options)
{
	pid_t got;

	while ((got = waitpid(r->pid, &r->status, options)) < 0)
		if (errno != EINTR)
			err(EXIT_CANNOT_RUN, "waitpid");
	if (got == r->pid)
		r->reaped = true;
}

/*
 * Wait until the child has exec'd the command (the report pipe closes with
 * nothing in it) or failed to: then say why and exit 126, 127 or 125.
 */
static void
check_exec(struct run *r, int report, const char *command)
{
	struct exec_report rep;
	ssize_t n;

	while ((n = read(report, &rep, sizeof(rep))) < 0 && errno == EINTR)
		continue;
	if (n < 0)
		err(EXIT_CANNOT_RUN, "read");
	close(report);
	if (n == 0)
		return;
	reap_child(r, 0);
	if (rep.failed_dup2) {
		errno = rep.errnum;
		err(EXIT_CANNOT_RUN, "dup2");
	}
	path_warnc(rep.errnum, command);
	exit(exec_failure_status(rep.errnum));
}

static void
init_stream(struct run *r, int fd, const char *name, int copy_fd)
{
	struct stream *s = &r->streams[r->nstreams++];

	s->fd = fd;
	s->name = name;
	s->copy_fd = copy_fd;
	s->splice = true;
}

/*
 * pipe, fork, dup2, exec: the popen family by hand.  Our ends of the pipes
 * become the feed and the streams of the loop.
 */
static void
spawn(struct run *r, char *argv[])
{
	enum mode mode = r->o->mode;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	int report[2], target[3];
	sigset_t forward_set, before;

	if (mode != MODE_R)
		make_pipe(in, 1, true);
	if (mode != MODE_W)
		make_pipe(out, 0, true);
	if (mode == MODE_3)
		make_pipe(errp, 0, true);
	make_pipe(report, -1, false);
	target[0] = in[0];
	target[1] = out[1];
	target[2] = mode == MODE_3 ? errp[1] : mode == MODE_4 ? out[1] : -1;

	outcheck_flush();	/* or the child would inherit our buffer */
	if (clock_gettime(CLOCK_MONOTONIC, &r->start) != 0)
		err(EXIT_CANNOT_RUN, "clock_gettime");
	sigemptyset(&forward_set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&forward_set, forwarded[i]);
	if (sigprocmask(SIG_BLOCK, &forward_set, &before) != 0)
		err(EXIT_CANNOT_RUN, "sigprocmask");
	if ((r->pid = fork()) < 0)
		err(EXIT_CANNOT_RUN, "fork");
	if (r->pid == 0)
		exec_child(argv, target, report[1], &r->inherited_mask);
	if (sigprocmask(SIG_SETMASK, &before, NULL) != 0)
		err(EXIT_CANNOT_RUN, "sigprocmask");

	/* Close the child's ends, or we would never see end-of-file. */
	for (int i = 0; i < 3; i++)
		if (target[i] >= 0 && (i < 2 || target[i] != target[1]))
			close(target[i]);
	close(report[1]);
	check_exec(r, report[0], argv[0]);

	r->feed.fd = in[1];
	if (mode == MODE_3) {
		init_stream(r, out[0], "stdout", STDOUT_FILENO);
		init_stream(r, errp[0], "stderr", STDERR_FILENO);
	} else if (mode != MODE_W)
		init_stream(r, out[0], mode == MODE_4 ? "merged" : "stdout",
		    STDOUT_FILENO);
}

/* Pass on the signals that arrived; reap the command if it has exited. */
static void
handle_signals(struct run *r)
{
	char name[32];

	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		int sig = forwarded[i];
		if (pending[sig]) {
			pending[sig] = 0;
			if (!r->reaped && r->pid > 0 && kill(r->pid, sig) != 0)
				warn("kill(%ld, %s)", (long)r->pid,
				    signal_name(sig, name, sizeof(name)));
		}
	}
	if (pending[SIGCHLD]) {
		pending[SIGCHLD] = 0;
		if (!r->reaped) {
			reap_child(r, WNOHANG);
			/*
			 * Still held by a slow reader, p2open can then be
			 * stopped like any tool, by SIGTERM or ^C.
			 */
			if (r->reaped)
				stop_catching();
		}
	}
}

static void
drain_wake_pipe(int fd)
{
	char b[64];

	while (read(fd, b, sizeof(b)) > 0)
		continue;
}

/*
 * Wait until fd is ready for `events` or a signal has come, and handle the
 * signals; true if fd is ready.  The self-pipe is polled too: a signal that
 * arrived after the last handle_signals and before poll slept would
 * otherwise wait until fd was ready, which a stalled reader may never make
 * it.
 */
static bool
wait_for(struct run *r, int fd, short events)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = events },
		{ .fd = r->wake, .events = POLLIN }
	};
	int n;

	if ((n = poll(pfd, 2, -1)) < 0 && errno != EINTR)
		err(EXIT_CANNOT_RUN, "poll");
	if (n > 0 && pfd[1].revents != 0)
		drain_wake_pipe(r->wake);
	handle_signals(r);
	return n > 0 && pfd[0].revents != 0;
}

static double
seconds_since_start(const struct run *r)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - r->start.tv_sec) +
	    (double)(now.tv_nsec - r->start.tv_nsec) / 1e9;
}

/*
 * One labelled record: a line with its newline, or the last bytes of a
 * stream that did not end with one.
 */
static void
emit_line(const struct run *r, const struct stream *s, const char *p,
    size_t n)
{
	bool complete = n > 0 && p[n - 1] == '\n';

	if (r->o->json) {
		json_begin();
		json_str("stream", s->name);
		json_double("t", seconds_since_start(r));
		json_strn("data", p, n);
		json_end();
		return;
	}
	if (r->o->stamps)
		printf("%10.6f ", seconds_since_start(r));
	printf("%s%s: ", s->name, complete ? "" : " (no newline)");
	fwrite(p, 1, n, stdout);
	if (!complete)
		putchar('\n');
}

static void
append(struct stream *s, const char *p, size_t n)
{
	if (s->len + n > s->cap) {
		size_t cap = s->cap == 0 ? 4096 : s->cap;
		while (cap < s->len + n)
			cap *= 2;
		if ((s->line = realloc(s->line, cap)) == NULL)
			err(EXIT_CANNOT_RUN, NULL);
		s->cap = cap;
	}
	memcpy(s->line + s->len, p, n);
	s->len += n;
}

/*
 * Write all of p[0..n) to one of our outputs; false, with errno set, on an
 * error.  Should a caller have made the descriptor non-blocking, EAGAIN
 * means waiting for room, not losing bytes.  EPIPE only comes back if
 * SIGPIPE was ignored when we started; otherwise the signal ends us
 * quietly, as it ends any tool in a pipeline.  While a slow reader holds
 * us here, signals that arrive are still passed on: we write only once
 * poll says there is room, for a blocking write that has written nothing
 * when a signal comes is restarted (SA_RESTART) and would hold the signal
 * until the reader woke up, while one that has written something returns.
 */
static bool
full_write(struct run *r, int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if (!wait_for(r, fd, POLLOUT))
			continue;
		if ((w = write(fd, p, n)) >= 0) {
			p += w;
			n -= (size_t)w;
		} else if (errno != EAGAIN && errno != EINTR)
			return false;
	}
	return true;
}

static void
write_all(struct run *r, int fd, const char *p, size_t n)
{
	if (!full_write(r, fd, p, n))
		err(EXIT_CANNOT_RUN, "write error");
}

/* stdio's writes to the labelled output, through full_write. */
static ssize_t
write_labelled(void *cookie, const char *p, size_t n)
{
	return full_write(cookie, STDOUT_FILENO, p, n) ? (ssize_t)n : 0;
}

/*
 * Labelled lines and JSON are printed with stdio, whose write gives up on
 * EAGAIN: make stdout a stream whose writes go through full_write.  A
 * failure still shows at the flush, where outcheck reports it.
 */
static void
label_through_full_write(struct run *r)
{
	static const cookie_io_functions_t io = { .write = write_labelled };
	FILE *fp;

	if ((fp = fopencookie(r, "w", io)) == NULL)
		err(EXIT_CANNOT_RUN, "fopencookie");
	if (setvbuf(fp, NULL, _IOFBF, 64 * 1024) != 0)
		err(EXIT_CANNOT_RUN, "setvbuf");
	stdout = fp;
}

/* Bytes read from a stream: copied as they are, or cut into lines. */
static void
deliver(struct run *r, struct stream *s, const char *p, size_t n)
{
	const char *nl;
	size_t k;

	if (!r->labelled) {
		write_all(r, s->copy_fd, p, n);
		return;
	}
	while (n > 0 && (nl = memchr(p, '\n', n)) != NULL) {
		k = (size_t)(nl - p) + 1;
		if (s->len > 0) {
			append(s, p, k);
			emit_line(r, s, s->line, s->len);
			s->len = 0;
		} else
			emit_line(r, s, p, k);
		p += k;
		n -= k;
	}
	if (n > 0)
		append(s, p, n);
}

static void
close_stream(const struct run *r, struct stream *s)
{
	if (s->len > 0)
		emit_line(r, s, s->line, s->len);
	s->len = 0;
	close(s->fd);
	s->fd = -1;
}

/*
 * Move up to max bytes of a stream to our output without copying them
 * through p2open: splice from the pipe into a pipe or a file.  -1 with
 * EAGAIN when the pipe is empty, with EINVAL when the output cannot take
 * a splice (a file opened for appending, some devices).
 */
static ssize_t
splice_out(struct run *r, struct stream *s, size_t max)
{
	ssize_t n;
	int avail;

	for (;;) {
		n = splice(s->fd, NULL, s->copy_fd, NULL, max,
		    SPLICE_F_NONBLOCK);
		if (n >= 0 || errno == EINVAL)
			return n;
		if (errno != EAGAIN && errno != EINTR)
			err(EXIT_CANNOT_RUN, "write error");
		if (errno == EINTR) {
			handle_signals(r);
			continue;
		}
		/*
		 * EAGAIN between two pipes: ours was empty, or our output
		 * is full; wait for room as a blocking write would.
		 */
		if (ioctl(s->fd, FIONREAD, &avail) != 0)
			err(EXIT_CANNOT_RUN, "ioctl(FIONREAD)");
		if (avail == 0) {
			errno = EAGAIN;
			return -1;
		}
		wait_for(r, s->copy_fd, POLLOUT);
	}
}

/*
 * Read up to max bytes of a stream and deliver them.  Returns the count,
 * 0 at the stream's end (it is then closed), -1 if nothing was there.
 */
static ssize_t
read_stream(struct run *r, struct stream *s, size_t max)
{
	ssize_t n = -1;

	if (!r->labelled && s->splice) {
		if ((n = splice_out(r, s, max)) < 0 && errno == EINVAL)
			s->splice = false;	/* read and write instead */
	}
	if (r->labelled || !s->splice) {
		if ((n = read(s->fd, r->buf, max)) < 0 && errno != EAGAIN &&
		    errno != EINTR)
			err(EXIT_CANNOT_RUN, "read from the command's %s",
			    s->name);
		if (n > 0)
			deliver(r, s, r->buf, (size_t)n);
	}
	if (n == 0)
		close_stream(r, s);
	return n;
}

/*
 * The command has exited.  What it wrote is all in the pipes by now (a
 * write returns once its bytes are in the pipe), but a background process
 * it left behind may hold them open, and write, for ever.  So read what the
 * pipes hold at this moment (FIONREAD), deliver it, and stop: everything
 * the command wrote arrives, and p2open never waits on its descendants.
 */
static void
drain_after_exit(struct run *r)
{
	struct stream *s;
	ssize_t n;
	int avail;

	for (int i = 0; i < r->nstreams; i++) {
		s = &r->streams[i];
		if (s->fd < 0)
			continue;
		if (ioctl(s->fd, FIONREAD, &avail) != 0)
			err(EXIT_CANNOT_RUN, "ioctl(FIONREAD)");
		while (avail > 0 && (n = read_stream(r, s,
		    avail < CHUNK ? (size_t)avail : CHUNK)) != 0)
			if (n > 0)
				avail -= (int)n;
		if (s->fd >= 0)
			close_stream(r, s);
	}
}

static void
stop_feeding(struct feed *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->own_src && f->src >= 0)
		close(f->src);
	f->fd = f->src = -1;
	f->len = 0;
}

/*
 * One write (of the pending bytes) or splice (from src) into the command's
 * stdin.  If the command has closed it, this fails with EPIPE and raises
 * SIGPIPE, which would kill us: block SIGPIPE for this call only and take
 * the pending signal back, so that SIGPIPE keeps its default action on our
 * own stdout.
 */
static ssize_t
to_command(struct feed *f)
{
	static const struct timespec now = { 0, 0 };
	sigset_t pipe_set, old;
	ssize_t w;
	int saved;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &pipe_set, &old) != 0)
		err(EXIT_CANNOT_RUN, "sigprocmask");
	if (f->len > 0)
		w = write(f->fd, f->data, f->len);
	else
		w = splice(f->src, NULL, f->fd, NULL, CHUNK,
		    SPLICE_F_NONBLOCK);
	saved = errno;
	if (w < 0 && saved == EPIPE && !sigismember(&old, SIGPIPE))
		while (sigtimedwait(&pipe_set, NULL, &now) < 0 &&
		    errno == EINTR)
			continue;
	if (sigprocmask(SIG_SETMASK, &old, NULL) != 0)
		err(EXIT_CANNOT_RUN, "sigprocmask");
	errno = saved;
	return w;
}

static void
feed_command(struct run *r)
{
	struct feed *f = &r->feed;
	bool spliced = f->len == 0;
	ssize_t w;

	if ((w = to_command(f)) > 0) {
		if (!spliced) {
			f->data += w;
			f->len -= (size_t)w;
		}
		if (f->len == 0 && f->src < 0)
			stop_feeding(f);	/* end-of-file for the command */
		return;
	}
	if (w == 0) {
		stop_feeding(f);		/* src is at its end */
		return;
	}
	switch (errno) {
	case EINTR:
		return;
	case EAGAIN:
		/* The pipe is full, or (a pipe) src is empty. */
		if (spliced && !f->src_is_file)
			f->src_ready = false;
		return;
	case EPIPE:
		/* The command will read no more: not an error. */
		stop_feeding(f);
		return;
	case EINVAL:
		if (spliced) {
			f->splice = f->src_ready = false;
			return;		/* read and write instead */
		}
		break;
	}
	if (spliced) {
		path_warnc(errno, f->src_name);
		r->input_failed = true;
	} else
		warn("write to the command's stdin");
	stop_feeding(f);
}

static void
read_input(struct run *r)
{
	struct feed *f = &r->feed;
	ssize_t n;

	if (f->buf == NULL && (f->buf = malloc(CHUNK)) == NULL)
		err(EXIT_CANNOT_RUN, NULL);
	if ((n = read(f->src, f->buf, CHUNK)) < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		path_warnc(errno, f->src_name);
		r->input_failed = true;
		stop_feeding(f);
		return;
	}
	if (n == 0) {
		stop_feeding(f);	/* end-of-file for the command too */
		return;
	}
	f->data = f->buf;
	f->len = (size_t)n;
}

/*
 * The loop: one poll over every descriptor that can move data, so that no
 * step waits on one pipe while the command waits on another.  Input is
 * read only when the last chunk has been written, which keeps at most one
 * chunk in memory; output is read whenever it is there.
 */
static void
relay(struct run *r)
{
	struct feed *f = &r->feed;
	struct pollfd pfd[5];
	int n, i_feed, i_src, i_out[2];
	bool have;

	while (!r->reaped) {
		n = 0;
		i_feed = i_src = -1;
		pfd[n++] = (struct pollfd){ .fd = r->wake, .events = POLLIN };
		if (f->fd >= 0) {
			/*
			 * With nothing to write, still watch the pipe: POLLERR
			 * says the command closed its stdin, and we stop
			 * reading input meant for it.
			 */
			have = f->len > 0 || (f->splice && f->src_ready);
			i_feed = n;
			pfd[n++] = (struct pollfd){ .fd = f->fd,
			    .events = have ? POLLOUT : 0 };
			if (!have && f->src >= 0) {
				i_src = n;
				pfd[n++] = (struct pollfd){ .fd = f->src,
				    .events = POLLIN };
			}
		}
		for (int i = 0; i < r->nstreams; i++) {
			i_out[i] = -1;
			if (r->streams[i].fd >= 0) {
				i_out[i] = n;
				pfd[n++] = (struct pollfd){
				    .fd = r->streams[i].fd, .events = POLLIN };
			}
		}

		if (poll(pfd, (nfds_t)n, -1) < 0) {
			if (errno != EINTR)
				err(EXIT_CANNOT_RUN, "poll");
			n = 0;
		}
		if (n > 0 && pfd[0].revents != 0)
			drain_wake_pipe(r->wake);
		handle_signals(r);
		if (n == 0)
			continue;

		if (i_feed >= 0 && pfd[i_feed].revents != 0) {
			if (pfd[i_feed].revents & POLLOUT)
				feed_command(r);
			else
				stop_feeding(f);	/* POLLERR: no reader */
		}
		if (i_src >= 0 && f->src >= 0 && pfd[i_src].revents != 0) {
			if (f->splice)
				f->src_ready = true;
			else
				read_input(r);
		}
		for (int i = 0; i < r->nstreams; i++)
			if (i_out[i] >= 0 && pfd[i_out[i]].revents != 0)
				read_stream(r, &r->streams[i], CHUNK);
		if (r->labelled)
			outcheck_flush();
	}
	drain_after_exit(r);
	stop_feeding(f);
	if (r->labelled)
		outcheck_flush();
}

/* Where the command's input comes from: -s, -i, or our stdin. */
static void
open_input(struct run *r)
{
	const struct options *o = r->o;
	struct feed *f = &r->feed;
	struct stat st;

	f->src = -1;
	if (o->mode == MODE_R)
		return;
	if (o->string != NULL) {
		f->data = o->string;
		f->len = strlen(o->string);
		return;
	}
	if (o->file != NULL && strcmp(o->file, "-") != 0) {
		if ((f->src = open(o->file, O_RDONLY | O_CLOEXEC)) < 0) {
			path_warnc(errno, o->file);
			exit(EXIT_CANNOT_RUN);
		}
		f->src = above_stdio(f->src);
		f->src_name = o->file;
		f->own_src = true;
	} else {
		f->src = STDIN_FILENO;
		f->src_name = "stdin";
	}
	/*
	 * A file or a pipe can be spliced into the command's pipe: the
	 * kernel moves page references, and the bytes are never copied
	 * through p2open.  A terminal or a socket is read and written.
	 */
	if (fstat(f->src, &st) != 0) {
		path_warnc(errno, f->src_name);
		exit(EXIT_CANNOT_RUN);
	}
	f->src_is_file = S_ISREG(st.st_mode);
	f->splice = f->src_is_file || S_ISFIFO(st.st_mode);
}

int
main(int argc, char *argv[])
{
	enum { OPT_RAW = CLI_OPT_FIRST };
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "input", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "mode", required_argument, NULL, 'm' },
		{ "raw", no_argument, NULL, OPT_RAW },
		{ "string", required_argument, NULL, 's' },
		{ "timestamps", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	static struct options o = { .mode = MODE_3 };
	/* Static: stdout's cookie points to it until the exit-time flush. */
	static struct run r = { .o = &o, .wake = -1,
	    .feed = { .fd = -1, .src = -1 } };
	int ch;

	outcheck_atexit(EXIT_CANNOT_RUN);
	cli_short_name(argv);
	/* "+": options end at the command, so "p2open ls -l" runs ls -l. */
	while ((ch = getopt_long(argc, argv, "+hi:jm:s:t", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(0);
		case 'i':
			o.file = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 'm':
			o.mode = parse_mode(optarg);
			break;
		case 's':
			o.string = optarg;
			break;
		case 't':
			o.stamps = true;
			break;
		case OPT_RAW:
			o.raw = true;
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
	check_options(&o);
	r.labelled = o.json || o.stamps || (o.mode == MODE_3 && !o.raw);
	if (r.labelled)
		label_through_full_write(&r);

	open_input(&r);
	if ((r.buf = malloc(CHUNK)) == NULL)
		err(EXIT_CANNOT_RUN, NULL);
	r.wake = install_signals(&r.inherited_mask);
	spawn(&r, argv);
	if (r.feed.fd >= 0 && r.feed.len == 0 && r.feed.src < 0)
		stop_feeding(&r.feed);	/* -s '': end-of-file at once */
	relay(&r);

	for (int i = 0; i < r.nstreams; i++)
		free(r.streams[i].line);
	free(r.feed.buf);
	free(r.buf);
	if (WIFSIGNALED(r.status) && received[WTERMSIG(r.status)])
		die_by_signal(WTERMSIG(r.status));
	return r.input_failed ? EXIT_CANNOT_RUN : wait_exit_code(r.status);
}
