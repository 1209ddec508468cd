/*
 * penv: print the environment, or change it and run a command with it.
 * Demonstrates environ, getenv, putenv and unsetenv, and inheritance of the
 * environment across execve; Python: os.environ, os.getenv(), os.putenv(),
 * os.unsetenv(), os.execvp().
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "escape.h"
#include "json.h"
#include "outcheck.h"
#include "pathmsg.h"
#include "runcmd.h"

extern char **environ;

struct options {
	bool check, ignore, json;
	char term;		/* what ends a record: '\n', or '\0' with -0 */
	const char *dir;	/* -C */
	char **get, **unset;	/* -g and -u names, in the order given */
	int nget, nunset;
};

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-0cij] [-C dir] [-g name] [-u name] [name=value ...]\n"
	    "       [command [arg ...]]\n",
	    getprogname());
	exit(status);
}

/*
 * A usage error found after the options: 125 when a command was given, so
 * that its caller can tell penv's failure from the command's, 2 otherwise.
 */
static noreturn void
usage_error(bool has_command, const char *fmt, const char *arg)
{
	warnx(fmt, msg_name(arg));
	usage(has_command ? EXIT_CANNOT_RUN : 2);
}

/* A variable name as -u and -g take it: not empty, no '='. */
static bool
valid_name(const char *name)
{
	return name[0] != '\0' && strchr(name, '=') == NULL;
}

/* The length of an entry's name: up to its first '=', or all of it. */
static size_t
name_len(const char *entry)
{
	return strcspn(entry, "=");
}

/*
 * Apply -i, -u and the assignments to environ, in that order, as env(1)
 * does; assignments are argv strings, which putenv keeps in environ itself
 * and which live until exec.
 */
static void
change_environment(const struct options *o, char **assign, int nassign,
    int fail)
{
	/*
	 * clearenv(3) would leave environ NULL, which execve accepts only on
	 * Linux; an empty list is portable.
	 */
	static char *empty[] = { NULL };

	if (o->ignore)
		environ = empty;
	for (int i = 0; i < o->nunset; i++)
		if (unsetenv(o->unset[i]) != 0)
			err(fail, "unsetenv(%s)", o->unset[i]);
	for (int i = 0; i < nassign; i++)
		if (putenv(assign[i]) != 0)
			err(fail, "putenv(%s)", assign[i]);
}

/* One name and value: NAME=VALUE, a JSON object, or the value alone. */
static void
print_entry(const char *entry, const struct options *o)
{
	size_t n = name_len(entry);

	if (o->json) {
		json_begin();
		json_strn("name", entry, n);
		json_str("value", entry[n] == '=' ? entry + n + 1 : NULL);
		json_end();
	} else if (o->term == '\0') {
		fputs(entry, stdout);
		putchar('\0');
	} else {
		esc_puts(stdout, entry);
		putchar('\n');
	}
}

static void
print_environment(const struct options *o)
{
	for (char **ep = environ; *ep != NULL; ep++)
		print_entry(*ep, o);
}

/* -g: each value as getenv(3) finds it; false if any is unset. */
static bool
print_values(const struct options *o)
{
	bool all = true;
	const char *value;

	for (int i = 0; i < o->nget; i++) {
		value = getenv(o->get[i]);
		if (o->json) {
			json_begin();
			json_str("name", o->get[i]);
			json_str("value", value);
			json_end();
		} else if (value != NULL) {
			if (o->term == '\0')
				fputs(value, stdout);
			else
				esc_puts(stdout, value);
			putchar(o->term);
		}
		all &= value != NULL;
	}
	return all;
}

/* An entry and its position, for finding duplicated names by sorting. */
struct slot {
	const char *entry;
	size_t len, index;
};

static bool
same_name(const struct slot *x, const struct slot *y)
{
	return x->len == y->len && memcmp(x->entry, y->entry, x->len) == 0;
}

static int
by_name_then_index(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	int c = memcmp(x->entry, y->entry, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * For each entry of environ, the index of the first entry with the same
 * name (itself if it is the first), or SIZE_MAX for an entry without '='.
 * Sorting keeps this O(n log n) for an environment built to be large.
 */
static size_t *
find_first_of_names(size_t count)
{
	struct slot *slots;
	size_t *first, i, n = 0;

	if ((first = calloc(count + 1, sizeof(*first))) == NULL ||
	    (slots = calloc(count + 1, sizeof(*slots))) == NULL)
		err(1, "calloc");
	for (i = 0; i < count; i++) {
		first[i] = SIZE_MAX;
		if (environ[i][name_len(environ[i])] == '=')
			slots[n++] = (struct slot){ environ[i],
			    name_len(environ[i]), i };
	}
	qsort(slots, n, sizeof(*slots), by_name_then_index);
	/* Sorted, each name's entries are together, the first one first. */
	for (i = 0; i < n; i++)
		first[slots[i].index] = i > 0 && same_name(&slots[i],
		    &slots[i - 1]) ? first[slots[i - 1].index] : slots[i].index;
	free(slots);
	return first;
}

static void
report_problem(size_t index, const char *entry, size_t first,
    const struct options *o)
{
	size_t n = name_len(entry);
	bool no_equals = first == SIZE_MAX;

	if (o->json) {
		json_begin();
		json_uint("index", index);
		json_str("problem", no_equals ? "no_equals" : "duplicate");
		json_strn("name", entry, n);
		json_str("value", no_equals ? NULL : entry + n + 1);
		if (!no_equals)
			json_uint("first_index", first);
		json_end();
		return;
	}
	if (no_equals)
		printf("environ[%zu]: no '=': ", index);
	else
		printf("environ[%zu]: duplicate of environ[%zu]: ", index,
		    first);
	if (o->term == '\0')
		fputs(entry, stdout);
	else
		esc_puts(stdout, entry);
	putchar(o->term);
}

/* -c: report duplicated names and entries without '='; false if any. */
static bool
check_environment(const struct options *o)
{
	size_t count = 0, *first;
	bool clean = true;

	while (environ[count] != NULL)
		count++;
	first = find_first_of_names(count);
	for (size_t i = 0; i < count; i++) {
		if (first[i] == i)
			continue;
		report_problem(i, environ[i], first[i], o);
		clean = false;
	}
	free(first);
	return clean;
}

/* -C: change to DIR, or exit with status after "chdir(DIR): reason". */
static void
enter_dir(const char *dir, int status)
{
	char *what;
	int saved;

	if (chdir(dir) == 0)
		return;
	saved = errno;
	if (asprintf(&what, "chdir(%s)", dir) < 0)
		err(status, "asprintf");
	path_warnc(saved, what);
	exit(status);
}

static noreturn void
run_command(const struct options *o, char **command)
{
	if (o->dir != NULL)
		enter_dir(o->dir, EXIT_CANNOT_RUN);
	outcheck_flush();
	exec_command(command);
}

/* Append a name to a list of -g or -u names, which argv keeps alive. */
static void
add_name(char ***list, int *n, char *name)
{
	char **grown = reallocarray(*list, (size_t)*n + 1, sizeof(**list));

	if (grown == NULL)
		err(EXIT_CANNOT_RUN, "reallocarray");
	grown[(*n)++] = name;
	*list = grown;
}

/* Everything that can be wrong with the arguments, before any work. */
static void
check_arguments(const struct options *o, char **assign, int nassign,
    bool has_command)
{
	const char *opt;

	for (int i = 0; i < o->nunset; i++)
		if (!valid_name(o->unset[i]))
			usage_error(has_command,
			    "cannot unset '%s': invalid name", o->unset[i]);
	for (int i = 0; i < o->nget; i++)
		if (!valid_name(o->get[i]))
			usage_error(has_command,
			    "cannot get '%s': invalid name", o->get[i]);
	for (int i = 0; i < nassign; i++)
		if (assign[i][0] == '=')
			usage_error(has_command, "cannot set '%s': empty name",
			    assign[i]);
	if (has_command) {
		opt = o->term == '\0' ? "-0" : o->check ? "-c" :
		    o->nget > 0 ? "-g" : o->json ? "-j" : NULL;
		if (opt != NULL)
			usage_error(true, "%s prints the environment: "
			    "not with a command", opt);
	} else {
		if (o->check && o->nget > 0)
			usage_error(false, "%s",
			    "-c and -g cannot be combined");
		if (o->json && o->term == '\0')
			usage_error(false, "%s",
			    "-0 and -j cannot be combined");
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "chdir", required_argument, NULL, 'C' },
		{ "check", no_argument, NULL, 'c' },
		{ "get", required_argument, NULL, 'g' },
		{ "ignore-environment", no_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "null", no_argument, NULL, '0' },
		{ "unset", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .term = '\n' };
	int ch, nassign;
	bool ok = true;

	outcheck_atexit(1);
	cli_short_name(argv);
	/* "+": stop at the first operand, which may be a command's name. */
	while ((ch = getopt_long(argc, argv, "+0C:cg:hiju:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case '0':
			o.term = '\0';
			break;
		case 'C':
			o.dir = optarg;
			break;
		case 'c':
			o.check = true;
			break;
		case 'g':
			add_name(&o.get, &o.nget, optarg);
			break;
		case 'h':
			usage(0);
		case 'i':
			o.ignore = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'u':
			add_name(&o.unset, &o.nunset, optarg);
			break;
		case CLI_OPT_VERSION:
			cli_version();
		default:
			/* No telling yet whether a command follows: 125. */
			usage(EXIT_CANNOT_RUN);
		}
	}
	argc -= optind;
	argv += optind;
	/* A lone "-" first is the obsolete spelling of -i (POSIX env). */
	if (argc > 0 && strcmp(argv[0], "-") == 0) {
		o.ignore = true;
		argc--;
		argv++;
	}
	for (nassign = 0; nassign < argc; nassign++)
		if (strchr(argv[nassign], '=') == NULL)
			break;
	check_arguments(&o, argv, nassign, nassign < argc);

	change_environment(&o, argv, nassign,
	    nassign < argc ? EXIT_CANNOT_RUN : 1);
	if (nassign < argc)
		run_command(&o, argv + nassign);
	/* Without a command, -C only checks that DIR can be entered. */
	if (o.dir != NULL)
		enter_dir(o.dir, 2);
	if (o.nget > 0)
		ok = print_values(&o);
	else if (o.check)
		ok = check_environment(&o);
	else
		print_environment(&o);
	free(o.get);
	free(o.unset);
	return ok ? 0 : 1;
}
