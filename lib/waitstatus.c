/* Wait statuses and signal names (see waitstatus.h). */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outcheck.h"
#include "waitstatus.h"

const char *
signal_name(int sig, char *buf, size_t size)
{
	const char *abbrev;

	/* Real-time signals are named from the nearer end, as kill -l does. */
	if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
		if (sig == SIGRTMIN)
			snprintf(buf, size, "SIGRTMIN");
		else if (sig == SIGRTMAX)
			snprintf(buf, size, "SIGRTMAX");
		else if (sig - SIGRTMIN <= (SIGRTMAX - SIGRTMIN) / 2)
			snprintf(buf, size, "SIGRTMIN+%d", sig - SIGRTMIN);
		else
			snprintf(buf, size, "SIGRTMAX-%d", SIGRTMAX - sig);
	} else if (sig == SIGIO)
		snprintf(buf, size, "SIGIO");	/* kill -l's name; glibc says POLL */
	else if ((abbrev = sigabbrev_np(sig)) != NULL)
		snprintf(buf, size, "SIG%s", abbrev);
	else
		snprintf(buf, size, "signal %d", sig);
	return buf;
}

static int
parse_rt_offset(const char *s, int base, int sign)
{
	const char *errstr;
	long long off = 0;

	if (*s != '\0') {
		if (*s != (sign > 0 ? '+' : '-'))
			return -1;
		off = strtonum(s + 1, 0, SIGRTMAX - SIGRTMIN, &errstr);
		if (errstr != NULL)
			return -1;
	}
	base += sign * (int)off;
	return base >= SIGRTMIN && base <= SIGRTMAX ? base : -1;
}

static const struct {
	const char *name;
	int sig;
} aliases[] = {
	{ "IO", SIGIO },
	{ "IOT", SIGABRT },
	{ "CLD", SIGCHLD },
	{ "POLL", SIGIO },
};

int
signal_parse(const char *s)
{
	const char *errstr, *abbrev;
	long long n;

	if (*s >= '0' && *s <= '9') {
		n = strtonum(s, 1, NSIG - 1, &errstr);
		return errstr == NULL ? (int)n : -1;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	if (strncasecmp(s, "RTMIN", 5) == 0)
		return parse_rt_offset(s + 5, SIGRTMIN, 1);
	if (strncasecmp(s, "RTMAX", 5) == 0)
		return parse_rt_offset(s + 5, SIGRTMAX, -1);
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if ((abbrev = sigabbrev_np(sig)) != NULL &&
		    strcasecmp(s, abbrev) == 0)
			return sig;
	/* The other names Linux gives the same signals, as kill(1) takes. */
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(s, aliases[i].name) == 0)
			return aliases[i].sig;
	return -1;
}

char *
wait_describe(int status, char *buf, size_t size)
{
	char name[32];

	if (WIFEXITED(status))
		snprintf(buf, size, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by %s%s",
		    signal_name(WTERMSIG(status), name, sizeof(name)),
		    WCOREDUMP(status) ? " (core dumped)" : "");
	else if (WIFSTOPPED(status))
		snprintf(buf, size, "stopped by %s",
		    signal_name(WSTOPSIG(status), name, sizeof(name)));
	else if (WIFCONTINUED(status))
		snprintf(buf, size, "continued");
	else
		snprintf(buf, size, "unknown status %#x", status);
	return buf;
}

int
wait_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 125;	/* neither: cannot happen for a reaped child */
}

void
die_by_signal(int sig)
{
	sigset_t set;

	outcheck_flush();
	/* Not dumpable: SIGQUIT would otherwise leave a core of the tool. */
	(void)prctl(PR_SET_DUMPABLE, 0);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	exit(128 + sig);
}
