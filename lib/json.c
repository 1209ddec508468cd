/* A writer of JSON Lines on stdout (see json.h). */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

/*
 * Whether the next member at each nesting level needs a comma before it.
 * Records are shallow; deeper nesting than this is a programming error.
 */
#define JSON_MAX_DEPTH 16
static bool need_comma[JSON_MAX_DEPTH];
static int depth = -1;

static void
put_escaped_byte(unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char buf[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };

	switch (c) {
	case '"':  fputs("\\\"", stdout); return;
	case '\\': fputs("\\\\", stdout); return;
	case '\b': fputs("\\b", stdout); return;
	case '\f': fputs("\\f", stdout); return;
	case '\n': fputs("\\n", stdout); return;
	case '\r': fputs("\\r", stdout); return;
	case '\t': fputs("\\t", stdout); return;
	}
	if (c >= 0x80) {
		/* Not valid UTF-8: the surrogateescape code point U+DC00+c. */
		buf[2] = 'd';
		buf[3] = 'c';
	}
	fputs(buf, stdout);
}

void
json_write_string(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, len;

	putchar('"');
	while (i < n) {
		/* Copy the longest run that needs no escape in one call. */
		for (run = i; run < n; run += len) {
			if (p[run] < 0x20 || p[run] == '"' || p[run] == '\\' ||
			    p[run] == 0x7f)
				break;
			len = p[run] < 0x80 ? 1 : utf8_seqlen(p + run, n - run);
			/* C1 controls, U+0080-U+009F, are controls too. */
			if (len == 0 || (len == 2 && p[run] == 0xc2 &&
			    p[run + 1] < 0xa0))
				break;
		}
		fwrite(p + i, 1, run - i, stdout);
		if (run + 1 < n && p[run] == 0xc2 && p[run + 1] >= 0x80 &&
		    p[run + 1] < 0xa0) {
			printf("\\u%04x", p[run + 1]);
			run += 2;
		} else if (run < n)
			put_escaped_byte(p[run++]);
		i = run;
	}
	putchar('"');
}

static void
member(const char *key)
{
	if (depth >= 0) {
		if (need_comma[depth])
			putchar(',');
		need_comma[depth] = true;
	}
	if (key != NULL) {
		json_write_string(key, strlen(key));
		putchar(':');
	}
}

static void
open_container(const char *key, int bracket)
{
	member(key);
	putchar(bracket);
	if (depth + 1 < JSON_MAX_DEPTH)
		need_comma[++depth] = false;
}

static void
close_container(int bracket)
{
	putchar(bracket);
	if (depth >= 0)
		depth--;
}

void
json_begin(void)
{
	depth = -1;
	open_container(NULL, '{');
}

void
json_end(void)
{
	close_container('}');
	putchar('\n');
}

void
json_object_begin(const char *key)
{
	open_container(key, '{');
}

void
json_object_end(void)
{
	close_container('}');
}

void
json_array_begin(const char *key)
{
	open_container(key, '[');
}

void
json_array_end(void)
{
	close_container(']');
}

void
json_strn(const char *key, const char *s, size_t n)
{
	member(key);
	json_write_string(s, n);
}

void
json_str(const char *key, const char *s)
{
	if (s == NULL)
		json_null(key);
	else
		json_strn(key, s, strlen(s));
}

void
json_int(const char *key, long long v)
{
	member(key);
	printf("%lld", v);
}

void
json_uint(const char *key, unsigned long long v)
{
	member(key);
	printf("%llu", v);
}

void
json_double(const char *key, double v)
{
	char buf[64];
	size_t len;

	member(key);
	/* JSON has no NaN or infinity. */
	if (!isfinite(v)) {
		fputs("null", stdout);
		return;
	}
	/*
	 * Plain decimals, as a person writes durations (0.000074, not
	 * 7.4e-05): nine places, trailing zeros dropped.  Huge values keep
	 * the exponent form.
	 */
	if (fabs(v) >= 1e15) {
		printf("%.15g", v);
		return;
	}
	len = (size_t)snprintf(buf, sizeof(buf), "%.9f", v);
	while (len > 1 && buf[len - 1] == '0')
		len--;
	if (buf[len - 1] == '.')
		len--;
	fwrite(buf, 1, len, stdout);
}

void
json_bool(const char *key, bool v)
{
	member(key);
	fputs(v ? "true" : "false", stdout);
}

void
json_null(const char *key)
{
	member(key);
	fputs("null", stdout);
}

void
json_time(const char *key, struct timespec ts)
{
	char iso[64], sec_key[128];
	struct tm tm;
	long long sec = ts.tv_sec;
	long nsec = ts.tv_nsec;

	if (gmtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		json_null(key);
	} else {
		member(key);
		printf("\"%s.%09ldZ\"", iso, nsec);
	}
	snprintf(sec_key, sizeof(sec_key), "%s_sec", key);
	member(sec_key);
	/* Times before the epoch: -1.5 s is tv_sec -2, tv_nsec 500000000. */
	if (sec < 0 && nsec > 0)
		printf("-%lld.%09ld", -(sec + 1), 1000000000L - nsec);
	else
		printf("%lld.%09ld", sec, nsec);
}
