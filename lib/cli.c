/* The --version line shared by every tool. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

void
cli_version(void)
{
	printf("%s (ostour) %s\n", getprogname(), PACKAGE_VERSION);
	exit(0);
}

void
cli_short_name(char *argv[])
{
	argv[0] = (char *)getprogname();
}

bool
cli_prescan(int argc, char *argv[], const char *optstring,
    const struct option *longopts, int opt, bool *operand)
{
	bool seen = false;
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1)
		if (ch == opt)
			seen = true;
	*operand = optind < argc;
	opterr = 1;
	optind = 0;	/* GNU getopt: start over, fully reinitialised */
	return seen;
}
