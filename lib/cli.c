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
