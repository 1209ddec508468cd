/*
 * Unit tests of the shared library's escaping: the JSON string writer and
 * the terminal escaping, over every byte and the edge cases of UTF-8.
 * Prints TAP.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "json.h"
#include "utf8.h"

static int test_no;
static int failures;

static void
check(int ok, const char *name, const char *got, const char *want)
{
	test_no++;
	printf("%sok %d - %s\n", ok ? "" : "not ", test_no, name);
	if (!ok) {
		printf("#   got:  %s\n#   want: %s\n", got, want);
		failures++;
	}
}

/* What a json_* call writes to stdout, captured in a buffer. */
static FILE *saved_stdout;
static char capture_buf[8192];

static void
capture_begin(void)
{
	fflush(stdout);
	saved_stdout = stdout;
	stdout = fmemopen(capture_buf, sizeof(capture_buf), "w");
}

static char *
capture_end(void)
{
	fclose(stdout);
	stdout = saved_stdout;
	return capture_buf;
}

static char *
json_of(const char *s, size_t n)
{
	capture_begin();
	json_write_string(s, n);
	return capture_end();
}

static void
double_case(double v, const char *want)
{
	char name[64];
	const char *got;

	capture_begin();
	json_double(NULL, v);
	got = capture_end();
	snprintf(name, sizeof(name), "json: number %s", want);
	check(strcmp(got, want) == 0, name, got, want);
}

static void
test_json_numbers(void)
{
	double_case(0.0000736, "0.0000736");
	double_case(1.5, "1.5");
	double_case(2.0, "2");
	double_case(-0.25, "-0.25");
	double_case(1e20, "1e+20");
}

static void
json_case(const char *name, const char *in, size_t n, const char *want)
{
	const char *got = json_of(in, n);

	check(strcmp(got, want) == 0, name, got, want);
}

/* The locale the escaping cases run in: the answers must not depend on it. */
static const char *vis_locale = "C";

static void
vis_case(const char *name, const char *in, size_t n, const char *want)
{
	char *got = esc_vis(in, n), full[96];

	snprintf(full, sizeof(full), "%s (%s)", name, vis_locale);
	check(got != NULL && strcmp(got, want) == 0, full,
	    got ? got : "(null)", want);
	free(got);
}

/* Every byte alone: kept if printable ASCII, else its C or octal escape. */
static void
test_vis_every_byte(void)
{
	static const char cstyle[] = "\a\b\f\n\r\t\v";
	static const char letters[] = "abfnrtv";
	char name[64], want[8], in[1];
	const char *c_esc;

	for (int c = 0; c < 256; c++) {
		in[0] = (char)c;
		c_esc = c != 0 ? strchr(cstyle, c) : NULL;
		if (c == '\\')
			strcpy(want, "\\\\");
		else if (c >= 0x20 && c < 0x7f)
			snprintf(want, sizeof(want), "%c", c);
		else if (c == 0)
			strcpy(want, "\\0");
		else if (c_esc != NULL)
			snprintf(want, sizeof(want), "\\%c",
			    letters[c_esc - cstyle]);
		else
			snprintf(want, sizeof(want), "\\%03o", c);
		snprintf(name, sizeof(name), "vis: byte 0x%02x", c);
		vis_case(name, in, 1, want);
	}
}

static void
test_json_every_byte(void)
{
	char name[64], want[16], in[1];

	for (int c = 0; c < 256; c++) {
		in[0] = (char)c;
		if (c == '"')
			strcpy(want, "\"\\\"\"");
		else if (c == '\\')
			strcpy(want, "\"\\\\\"");
		else if (c == '\n')
			strcpy(want, "\"\\n\"");
		else if (c == '\t')
			strcpy(want, "\"\\t\"");
		else if (c == '\r')
			strcpy(want, "\"\\r\"");
		else if (c == '\b')
			strcpy(want, "\"\\b\"");
		else if (c == '\f')
			strcpy(want, "\"\\f\"");
		else if (c < 0x20 || c == 0x7f)
			snprintf(want, sizeof(want), "\"\\u%04x\"", c);
		else if (c >= 0x80)
			snprintf(want, sizeof(want), "\"\\udc%02x\"", c);
		else
			snprintf(want, sizeof(want), "\"%c\"", c);
		snprintf(name, sizeof(name), "json: byte 0x%02x", c);
		json_case(name, in, 1, want);
	}
}

static void
test_json_utf8(void)
{
	json_case("json: empty", "", 0, "\"\"");
	json_case("json: NUL inside", "a\0b", 3, "\"a\\u0000b\"");
	json_case("json: 2-byte é kept", "caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	json_case("json: 3-byte € kept", "\xe2\x82\xac", 3, "\"\xe2\x82\xac\"");
	json_case("json: 4-byte emoji kept", "\xf0\x9f\x98\x80", 4,
	    "\"\xf0\x9f\x98\x80\"");
	json_case("json: U+10FFFF kept", "\xf4\x8f\xbf\xbf", 4,
	    "\"\xf4\x8f\xbf\xbf\"");
	json_case("json: past U+10FFFF escaped", "\xf4\x90\x80\x80", 4,
	    "\"\\udcf4\\udc90\\udc80\\udc80\"");
	json_case("json: overlong '/' escaped", "\xc0\xaf", 2,
	    "\"\\udcc0\\udcaf\"");
	json_case("json: overlong 3-byte escaped", "\xe0\x80\xaf", 3,
	    "\"\\udce0\\udc80\\udcaf\"");
	json_case("json: encoded surrogate escaped", "\xed\xa0\x80", 3,
	    "\"\\udced\\udca0\\udc80\"");
	json_case("json: truncated sequence then ASCII", "\xe2\x82x", 3,
	    "\"\\udce2\\udc82x\"");
	json_case("json: lone continuation byte", "a\x80z", 3,
	    "\"a\\udc80z\"");
	json_case("json: Latin-1 name", "f\xe9te", 4, "\"f\\udce9te\"");
	json_case("json: C1 CSI escaped", "\xc2\x9b" "2J", 4, "\"\\u009b2J\"");
	json_case("json: C1 U+0080 escaped", "\xc2\x80", 2, "\"\\u0080\"");
	json_case("json: U+00A0 kept", "\xc2\xa0", 2, "\"\xc2\xa0\"");
}

static void
test_vis(void)
{
	vis_case("vis: plain ASCII unchanged", "hello world", 11, "hello world");
	vis_case("vis: newline", "a\nb", 3, "a\\nb");
	vis_case("vis: tab", "a\tb", 3, "a\\tb");
	vis_case("vis: escape sequence", "\x1b[31mred", 8, "\\033[31mred");
	vis_case("vis: DEL", "\x7f", 1, "\\177");
	vis_case("vis: NUL before a digit", "\0" "1", 2, "\\0001");
	vis_case("vis: backslash doubled", "a\\b", 3, "a\\\\b");
	vis_case("vis: valid UTF-8 kept", "caf\xc3\xa9", 5, "caf\xc3\xa9");
	vis_case("vis: invalid byte", "f\xe9te", 4, "f\\351te");
	vis_case("vis: C1 CSI escaped", "\xc2\x9b" "2J", 4, "\\302\\2332J");
	vis_case("vis: U+00A0 kept", "\xc2\xa0", 2, "\xc2\xa0");
}

static void
test_needed(void)
{
	check(!esc_needed("plain name.txt", 14), "needed: plain", "true", "false");
	check(!esc_needed("caf\xc3\xa9", 5), "needed: UTF-8", "true", "false");
	check(esc_needed("a\nb", 3), "needed: newline", "false", "true");
	check(esc_needed("\xff", 1), "needed: invalid byte", "false", "true");
	check(esc_needed("\xc2\x85", 2), "needed: C1 NEL", "false", "true");
	check(esc_needed("a\\033b", 6), "needed: backslash", "false", "true");
}

static void
test_seqlen(void)
{
	check(utf8_seqlen((const unsigned char *)"\xc3\xa9", 1) == 0,
	    "utf8: truncated at the buffer end", "nonzero", "0");
	check(utf8_seqlen((const unsigned char *)"\xf8\x88\x80\x80\x80", 5) == 0,
	    "utf8: 5-byte form rejected", "nonzero", "0");
	check(utf8_seqlen((const unsigned char *)"\xef\xbf\xbf", 3) == 3,
	    "utf8: U+FFFF accepted", "other", "3");
}

int
main(void)
{
	/*
	 * The plan: 256 bytes for JSON, the named cases of each group below,
	 * and the escaping for a terminal twice, in the C locale and in a
	 * UTF-8 one, as statf sets for %N.
	 */
	printf("1..%d\n", 256 + 16 + 5 + 2 * (256 + 11) + 6 + 3);
	test_json_every_byte();
	test_json_utf8();
	test_json_numbers();
	test_vis_every_byte();
	test_vis();
	if (setlocale(LC_CTYPE, "C.UTF-8") != NULL)
		vis_locale = "C.UTF-8";
	else
		vis_locale = "C, no C.UTF-8 here";
	test_vis_every_byte();
	test_vis();
	setlocale(LC_CTYPE, "C");
	test_needed();
	test_seqlen();
	fflush(stdout);
	return failures == 0 ? 0 : 1;
}
