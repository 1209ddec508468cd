/*
 * spawnrate: how many children a parent of a given size starts and waits
 * for per second, with fork+exec or with posix_spawn.  Built and run by
 * bench/spawn.sh: "spawnrate fork|spawn COUNT MIB PROGRAM".
 */
#include <err.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static pid_t
start(int use_fork, char *prog)
{
	char *argv[] = { prog, NULL };
	pid_t pid;
	int error;

	if (use_fork) {
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0) {
			execv(prog, argv);
			_exit(127);
		}
		return pid;
	}
	if ((error = posix_spawn(&pid, prog, NULL, NULL, argv, environ)) != 0) {
		errno = error;
		err(1, "posix_spawn");
	}
	return pid;
}

int
main(int argc, char *argv[])
{
	struct timespec t0, t1;
	long count, mib;
	char *mem = NULL;
	int status, use_fork;

	if (argc != 5)
		errx(2, "usage: spawnrate fork|spawn count mib program");
	use_fork = strcmp(argv[1], "fork") == 0;
	count = atol(argv[2]);
	mib = atol(argv[3]);
	/* Touch every page, so the parent's page tables are all filled in. */
	if (mib > 0) {
		if ((mem = malloc((size_t)mib << 20)) == NULL)
			err(1, "malloc");
		memset(mem, 1, (size_t)mib << 20);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < count; i++) {
		if (waitpid(start(use_fork, argv[4]), &status, 0) == -1)
			err(1, "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			errx(1, "%s failed", argv[4]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.0f\n", count / ((t1.tv_sec - t0.tv_sec) +
	    (t1.tv_nsec - t0.tv_nsec) / 1e9));
	free(mem);
	return 0;
}
