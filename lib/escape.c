/* Escaping of names and values for a terminal (see escape.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
/* Either vis(3) flavour will do; say which, or libbsd warns. */
#define LIBBSD_NETBSD_VIS
#include <vis.h>

#include "escape.h"
#include "utf8.h"

/*
 * The length of the printable character at s, or 0 if s starts with a
 * control character or a byte that is not part of valid UTF-8.
 */
static size_t
printable_len(const unsigned char *s, size_t n)
{
	size_t len = utf8_seqlen(s, n);

	if (len == 1 && (s[0] < 0x20 || s[0] == 0x7f))
		return 0;
	/* C1 controls U+0080-U+009F: U+009B alone starts a CSI sequence. */
	if (len == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return len;
}

bool
esc_needed(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;

	while (i < n) {
		/*
		 * A backslash too, which the escaped form doubles: a name
		 * spelled "a\033b" must not look like an escaped "a<ESC>b".
		 */
		if (p[i] == '\\')
			return true;
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		if ((len = printable_len(p + i, n - i)) == 0)
			return true;
		i += len;
	}
	return false;
}

char *
esc_vis(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	/* vis(3) writes at most four bytes for one input byte. */
	char *out, *o;
	size_t i = 0, len;

	if (n > (SIZE_MAX - 1) / 4 || (out = malloc(4 * n + 1)) == NULL)
		return NULL;
	o = out;
	while (i < n) {
		len = printable_len(p + i, n - i);
		if (len > 0 && p[i] != '\\') {
			memcpy(o, p + i, len);
			o += len;
			i += len;
			continue;
		}
		/*
		 * One byte at a time, and in the C locale: in a UTF-8 locale
		 * vis() would read the next byte as part of a character.
		 */
		o = vis(o, p[i], VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL |
		    VIS_NOLOCALE, i + 1 < n ? p[i + 1] : '\0');
		i++;
	}
	*o = '\0';
	return out;
}

static bool
is_terminal(FILE *fp)
{
	/* Asked once per stream: tools print to stdout and stderr only. */
	static int out_tty = -1, err_tty = -1;
	int *cached = fp == stdout ? &out_tty : fp == stderr ? &err_tty : NULL;

	if (cached == NULL)
		return isatty(fileno(fp));
	if (*cached < 0)
		*cached = isatty(fileno(fp));
	return *cached;
}

void
esc_write(FILE *fp, const char *s, size_t n)
{
	char *e;

	if (!is_terminal(fp) || !esc_needed(s, n)) {
		fwrite(s, 1, n, fp);
		return;
	}
	if ((e = esc_vis(s, n)) == NULL) {
		/* Better a question mark per byte than raw bytes on a terminal. */
		for (size_t i = 0; i < n; i++)
			putc('?', fp);
		return;
	}
	fputs(e, fp);
	free(e);
}

void
esc_puts(FILE *fp, const char *s)
{
	esc_write(fp, s, strlen(s));
}

const char *
esc_shown(FILE *fp, const char *s)
{
	static char *shown[2];
	static int next;

	if (!is_terminal(fp) || !esc_needed(s, strlen(s)))
		return s;
	next ^= 1;
	free(shown[next]);
	/* Better a question mark than raw bytes on a terminal. */
	return (shown[next] = esc_vis(s, strlen(s))) != NULL ? shown[next] : "?";
}
