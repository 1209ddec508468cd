/*
 * statf: print what the kernel's stat record says about files, labelled as
 * Python's os.stat_result names it, as shell assignments, as JSON, or in
 * GNU stat's format language.  Demonstrates statx(2) (with the semantics
 * of lstat, stat and fstat, birth time, mount id, attributes) and
 * readlink(2); Python: os.stat(), os.lstat(), os.fstat(), stat.filemode().
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libutil.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "cli.h"
#include "escape.h"
#include "idnames.h"
#include "json.h"
#include "operands.h"
#include "outcheck.h"
#include "pathmsg.h"

#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x1000U
#endif

/* Everything the record can hold: the basic fields, birth time, mount id. */
#define STATF_MASK (STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID)

enum output { OUT_REPORT, OUT_FORMAT, OUT_SHELL, OUT_JSON };

/* One piece of a compiled format: literal text, or a directive. */
struct item {
	char conv;		/* 0 for text, else the directive's letter */
	char mod;		/* 'H' or 'L' before d or r, else 0 */
	char *text;		/* text: its bytes, escapes decoded */
	size_t len;		/* text: their number; directive: of spec */
	char *spec;		/* "%" and the flags, width and precision as
				   written; NULL when there are none */
	char *pfmt;		/* the printf format made of spec */
};

struct format {
	struct item *items;
	size_t n;
	bool quotes_names;	/* %N quotes, with the locale's printable set */
	bool locale_numbers;	/* the ' flag or a fraction of seconds */
};

/* A file as the loop over operands sees it. */
struct file {
	const char *name;
	bool is_stdin;		/* "-": fstat of standard input */
	struct statx stx;
};

/* A growable byte buffer, for quoting names. */
struct buf {
	char *s;
	size_t len, cap;
};

/* The flags GNU stat accepts in a directive, as printf spells them. */
static const char printf_flags[] = "'-+ #0I";

/* The directives, as GNU stat names them. */
static const char directives[] = "ABDFGNRTUWXYZabdfghimnorstuwxyz";

static noreturn void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-L] [-c format | --printf format | -j | -s | -t] "
	    "[--files0-from=file] file ...\n", getprogname());
	exit(status);
}

static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL)
		err(1, NULL);
	return p;
}

static char *
xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->cap - b->len < n + 1) {
		if (n + 1 > SIZE_MAX / 2 - b->len)
			errx(1, "format too long");
		b->cap = 2 * (b->len + n + 1);
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

/* --- The format language --------------------------------------------- */

enum conv_class { CONV_STRING, CONV_UINT, CONV_OCTAL, CONV_HEX, CONV_EPOCH };

static enum conv_class
conv_class(char conv)
{
	switch (conv) {
	case 'a':
		return CONV_OCTAL;
	case 'D': case 'R': case 'T': case 'f': case 't':
		return CONV_HEX;
	case 'W': case 'X': case 'Y': case 'Z':
		return CONV_EPOCH;
	case 'B': case 'b': case 'd': case 'g': case 'h': case 'i': case 'o':
	case 'r': case 's': case 'u':
		return CONV_UINT;
	default:
		return CONV_STRING;
	}
}

/*
 * The printf format for spec[0..len) and a conversion: the flags printf
 * allows for it kept, the others dropped, as GNU stat does.
 */
static char *
printf_format(const char *spec, size_t len, const char *allowed,
    const char *suffix)
{
	char *out = xrealloc(NULL, len + strlen(suffix) + 1), *o = out;
	size_t i;

	*o++ = '%';
	for (i = 1; i < len && strchr(printf_flags, spec[i]) != NULL; i++)
		if (strchr(allowed, spec[i]) != NULL)
			*o++ = spec[i];
	memcpy(o, spec + i, len - i);
	strcpy(o + (len - i), suffix);
	return out;
}

static void
add_item(struct format *f, const struct item *it)
{
	f->items = xrealloc(f->items, (f->n + 1) * sizeof(*f->items));
	f->items[f->n++] = *it;
}

static void
flush_text(struct format *f, struct buf *text)
{
	struct item it = { 0 };

	if (text->len == 0)
		return;
	it.text = xstrndup(text->s, text->len);
	it.len = text->len;
	add_item(f, &it);
	text->len = 0;
}

/* "'%5q'" for an error message, with bytes a terminal would act on escaped. */
static void
describe(char *msg, size_t size, const char *what, const char *s, size_t n)
{
	char *vis = esc_vis(s, n);

	snprintf(msg, size, "'%s': %s", vis != NULL ? vis : "?", what);
	free(vis);
}

/*
 * A number in a directive's width or precision: digits, as many as GNU
 * stat takes, no larger than printf can honour.
 */
static bool
number_fits(const char *s, size_t n)
{
	unsigned long long v = 0;

	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > INT_MAX)
			return false;
	}
	return true;
}

/*
 * The directive at p (which points at '%'): its flags, width, precision
 * and conversion.  Adds it to f and returns its length, or 0 after
 * writing what is wrong to msg.
 */
static size_t
compile_directive(struct format *f, struct buf *text, const char *p,
    char *msg, size_t msgsize)
{
	struct item it = { 0 };
	size_t flags = strspn(p + 1, printf_flags), wlen, plen = 0, len;
	const char *q = p + 1 + flags;
	char conv;

	wlen = strspn(q, "0123456789");
	q += wlen;
	if (*q == '.') {
		plen = strspn(q + 1, "0123456789");
		q += 1 + plen;
	}
	len = (size_t)(q - p);
	if (!number_fits(p + 1 + flags, wlen) || !number_fits(q - plen, plen)) {
		describe(msg, msgsize, "number too large", p, len + (*q != 0));
		return 0;
	}
	conv = *q;
	if (conv == '\0' || conv == '%') {
		/* "%%" and a lone '%' at the end are a percent sign. */
		if (len > 1) {
			describe(msg, msgsize, "invalid directive", p,
			    len + (conv != 0));
			return 0;
		}
		buf_addc(text, '%');
		return conv == '\0' ? 1 : 2;
	}
	if ((conv == 'H' || conv == 'L') && (q[1] == 'd' || q[1] == 'r')) {
		it.mod = conv;
		conv = *++q;
	}
	if (strchr(directives, conv) == NULL) {
		describe(msg, msgsize, "unknown directive", p, (size_t)(q - p) + 1);
		return 0;
	}
	flush_text(f, text);
	it.conv = conv;
	it.len = len;
	if (len > 1) {
		it.spec = xstrndup(p, len);
		switch (conv_class(conv)) {
		case CONV_STRING:
			it.pfmt = printf_format(p, len, "-", "s");
			break;
		case CONV_UINT:
			/* GNU stat 9.1 prints the size as a signed number. */
			it.pfmt = conv == 's' ?
			    printf_format(p, len, "'-+ 0", "jd") :
			    printf_format(p, len, "'-0", "ju");
			break;
		case CONV_OCTAL:
			it.pfmt = printf_format(p, len, "-#0", "jo");
			break;
		case CONV_HEX:
			it.pfmt = printf_format(p, len, "-#0", "jx");
			break;
		case CONV_EPOCH:
			if (memchr(p, '.', len) != NULL)
				f->locale_numbers = true;
			break;
		}
		if (memchr(p, '\'', len) != NULL)
			f->locale_numbers = true;
	}
	add_item(f, &it);
	return (size_t)(q - p) + 1;
}

static int
hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/*
 * The backslash escape at p, as GNU stat's --printf reads it: \a \b \e \f
 * \n \r \t \v \" \\, up to three octal digits, \x and one or two hex
 * digits.  Adds the byte to text and returns the escape's length, or 0
 * after writing what is wrong to msg.
 */
static size_t
compile_escape(struct buf *text, const char *p, char *msg, size_t msgsize)
{
	static const char from[] = "abefnrtv\"\\", to[] = "\a\b\033\f\n\r\t\v\"\\";
	const char *c;
	unsigned v = 0;
	size_t n = 1;

	if (p[1] >= '0' && p[1] <= '7') {
		while (n <= 3 && p[n] >= '0' && p[n] <= '7')
			v = v * 8 + (unsigned)(p[n++] - '0');
		buf_addc(text, (char)(v & 0xff));
		return n;
	}
	if (p[1] == 'x' && isxdigit((unsigned char)p[2])) {
		v = (unsigned)hexval(p[2]);
		n = 3;
		if (isxdigit((unsigned char)p[3]))
			v = v * 16 + (unsigned)hexval(p[n++]);
		buf_addc(text, (char)v);
		return n;
	}
	if (p[1] == '\0') {
		snprintf(msg, msgsize, "backslash at end of format");
		return 0;
	}
	if ((c = strchr(from, p[1])) == NULL) {
		describe(msg, msgsize, "unrecognized escape", p, 2);
		return 0;
	}
	buf_addc(text, to[c - from]);
	return 2;
}

static void
format_free(struct format *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->items[i].text);
		free(f->items[i].spec);
		free(f->items[i].pfmt);
	}
	free(f->items);
	memset(f, 0, sizeof(*f));
}

/*
 * Compile src into f once, so that each file costs only the output.
 * With escapes (--printf) backslash escapes are decoded; with newline
 * (-c) a newline ends the output.  Returns 0, or -1 with f empty and what
 * is wrong in msg.
 */
static int
format_compile(struct format *f, const char *src, bool escapes, bool newline,
    char *msg, size_t msgsize)
{
	struct buf text = { 0 };
	const char *p = src;
	size_t n;

	memset(f, 0, sizeof(*f));
	while (*p != '\0') {
		if (*p == '%')
			n = compile_directive(f, &text, p, msg, msgsize);
		else if (*p == '\\' && escapes)
			n = compile_escape(&text, p, msg, msgsize);
		else {
			n = strcspn(p, escapes ? "%\\" : "%");
			buf_add(&text, p, n);
		}
		if (n == 0) {
			free(text.s);
			format_free(f);
			return -1;
		}
		p += n;
	}
	if (newline)
		buf_addc(&text, '\n');
	/*
	 * GNU stat quotes %N only when the format holds those two characters
	 * as they are: "%-20N" prints the name unquoted.  Do as it does.
	 */
	f->quotes_names = strstr(src, "%N") != NULL;
	flush_text(f, &text);
	free(text.s);
	return 0;
}

/* --- Quoting for %N, as GNU's shell-escape-always style ---------------- */

enum qclass {
	Q_SAFE,		/* printable, and fine inside double quotes too */
	Q_PLAIN,	/* printable, special to the shell outside quotes */
	Q_QUOTE,	/* ' */
	Q_LETTER,	/* a control with a C escape letter: \n, \t... */
	Q_OCTAL		/* unprintable: each byte as \ooo */
};

/*
 * The class of the character at s[i] and (in *len) its length in bytes;
 * the classes and their order of tests are those of gnulib's quotearg,
 * which GNU stat uses.
 */
static enum qclass
quote_class(const char *s, size_t n, size_t i, size_t *len)
{
	unsigned char c = (unsigned char)s[i];
	mbstate_t st;
	wchar_t wc;
	size_t r;

	*len = 1;
	switch (c) {
	case '\a': case '\b': case '\f': case '\n': case '\r': case '\t':
	case '\v':
		return Q_LETTER;
	case '\'':
		return Q_QUOTE;
	case '{': case '}':
		if (n != 1)
			return Q_PLAIN;
		return Q_SAFE;
	case '#': case '~':
		return i == 0 ? Q_SAFE : Q_PLAIN;
	case ' ':
		return Q_SAFE;
	case '!': case '"': case '$': case '&': case '(': case ')': case '*':
	case ';': case '<': case '=': case '>': case '[': case '^': case '`':
	case '|': case '?': case '\\':
		return Q_PLAIN;
	}
	if (isalnum(c) && c < 0x80)
		return Q_SAFE;
	if (strchr("%+,-./:]_", c) != NULL)
		return Q_SAFE;
	if (MB_CUR_MAX == 1)
		return isprint(c) ? Q_SAFE : Q_OCTAL;
	memset(&st, 0, sizeof(st));
	r = mbrtowc(&wc, s + i, n - i, &st);
	if (r == (size_t)-1 || r == 0)
		return Q_OCTAL;
	if (r == (size_t)-2) {
		*len = n - i;
		return Q_OCTAL;
	}
	*len = r;
	return iswprint((wint_t)wc) ? Q_SAFE : Q_OCTAL;
}

/*
 * s quoted for a POSIX shell, as GNU stat's %N quotes it: in single
 * quotes, with each unprintable byte as a $'\ooo' or $'\n' section; or,
 * for a name whose only special character is an apostrophe, in double
 * quotes ("it's").
 */
static void
quote_name(struct buf *b, const char *s)
{
	size_t n = strlen(s), i, len, k;
	bool has_quote = false, all_safe = true, in_dollar = false;
	bool stale = false;
	enum qclass cl = Q_SAFE;
	char esc[5];

	for (i = 0; i < n; i += len) {
		cl = quote_class(s, n, i, &len);
		has_quote |= cl == Q_QUOTE;
		all_safe &= cl == Q_SAFE || cl == Q_QUOTE;
	}
	b->len = 0;
	if (has_quote && all_safe) {
		buf_addc(b, '"');
		buf_add(b, s, n);
		buf_addc(b, '"');
		return;
	}
	/*
	 * GNU's quoting of a name with an apostrophe goes over it twice and
	 * starts the second time as if still in the $'...' section where the
	 * first ended: a harmless '' before a printable first character,
	 * which is kept for byte compatibility, and a missing $' before an
	 * unprintable one, which is not: that would change the name.
	 */
	stale = has_quote && (cl == Q_LETTER || cl == Q_OCTAL);
	buf_addc(b, '\'');
	for (i = 0; i < n; i += len) {
		cl = quote_class(s, n, i, &len);
		if (cl == Q_QUOTE) {
			buf_add(b, "'\\''", 4);
			in_dollar = stale = false;
			continue;
		}
		if (cl == Q_SAFE || cl == Q_PLAIN) {
			if (in_dollar || stale)
				buf_add(b, "''", 2);
			in_dollar = stale = false;
			buf_add(b, s + i, len);
			continue;
		}
		if (!in_dollar)
			buf_add(b, "'$'", 3);
		in_dollar = true;
		stale = false;
		if (cl == Q_LETTER) {
			esc[0] = '\\';
			esc[1] = "abtnvfr"[s[i] - '\a'];
			buf_add(b, esc, 2);
			continue;
		}
		for (k = i; k < i + len; k++) {
			unsigned char c = (unsigned char)s[k];
			esc[0] = '\\';
			esc[1] = (char)('0' + (c >> 6));
			esc[2] = (char)('0' + ((c >> 3) & 7));
			esc[3] = (char)('0' + (c & 7));
			buf_add(b, esc, 4);
		}
	}
	buf_addc(b, '\'');
}

/* --- Reading the record -------------------------------------------------- */

static int
stat_file(struct file *f, bool follow)
{
	/* stat(2) and lstat(2) never trigger an automount; neither does statf. */
	int flags = AT_NO_AUTOMOUNT;

	if (f->is_stdin)
		return statx(STDIN_FILENO, "", flags | AT_EMPTY_PATH,
		    STATF_MASK, &f->stx);
	if (!follow)
		flags |= AT_SYMLINK_NOFOLLOW;
	return statx(AT_FDCWD, f->name, flags, STATF_MASK, &f->stx);
}

/* A diagnostic about a file, with the name escaped for a terminal. */
static void
warn_file(const struct file *f, int errnum)
{
	if (f->is_stdin)
		warnc(errnum, "standard input");
	else
		path_warnc(errnum, f->name);
}

/*
 * The target of a symbolic link, from malloc, or NULL with errno set.
 * The record's size is a hint only: the link may change, and some file
 * systems (/proc) report 0.
 */
static char *
read_link(const struct file *f)
{
	size_t size = f->stx.stx_size > 0 && f->stx.stx_size < 4096 ?
	    (size_t)f->stx.stx_size + 1 : 256;
	char *target = NULL;
	ssize_t n;

	for (;;) {
		target = xrealloc(target, size);
		if ((n = readlink(f->name, target, size)) < 0) {
			free(target);
			return NULL;
		}
		if ((size_t)n < size)
			break;
		if (size > SSIZE_MAX / 2) {
			free(target);
			errno = ENAMETOOLONG;
			return NULL;
		}
		size *= 2;
	}
	target[n] = '\0';
	return target;
}

static struct timespec
timestamp(const struct statx_timestamp *t)
{
	struct timespec ts = { .tv_sec = t->tv_sec, .tv_nsec = t->tv_nsec };

	return ts;
}

static bool
has_btime(const struct statx *sx)
{
	return (sx->stx_mask & STATX_BTIME) != 0;
}

static uintmax_t
dev_number(unsigned major, unsigned minor)
{
	return makedev(major, minor);
}

/* The type of file, as GNU stat's %F names it. */
static const char *
file_type(const struct statx *sx, bool empty_regular)
{
	switch (sx->stx_mode & S_IFMT) {
	case S_IFREG:
		return empty_regular && sx->stx_size == 0 ?
		    "regular empty file" : "regular file";
	case S_IFDIR:
		return "directory";
	case S_IFLNK:
		return "symbolic link";
	case S_IFBLK:
		return "block special file";
	case S_IFCHR:
		return "character special file";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "socket";
	default:
		return "weird file";
	}
}

/* "-rw-r--r--": strmode(3) without its trailing space. */
static void
file_mode(const struct statx *sx, char str[12])
{
	strmode(sx->stx_mode, str);
	str[10] = '\0';
}

/* --- Output of a compiled format ----------------------------------------- */

static void
put_digits(uintmax_t v, unsigned base)
{
	char buf[3 * sizeof(v) + 1], *p = buf + sizeof(buf);

	do
		*--p = "0123456789abcdef"[v % base];
	while ((v /= base) != 0);
	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), stdout);
}

static void
put_number(const struct item *d, uintmax_t v)
{
	static const unsigned bases[] = {
		[CONV_UINT] = 10, [CONV_OCTAL] = 8, [CONV_HEX] = 16
	};

	if (d->pfmt == NULL)
		put_digits(v, bases[conv_class(d->conv)]);
	else if (d->conv == 's')
		printf(d->pfmt, (intmax_t)v);
	else
		printf(d->pfmt, v);
}

static void
put_string(const struct item *d, const char *s)
{
	if (d->pfmt != NULL)
		printf(d->pfmt, s);
	else
		fputs(s, stdout);
}

/*
 * A time as GNU stat prints it: "2026-01-02 03:04:05.123456789 +0100" in
 * the local time zone, or seconds and nanoseconds if it has no date.
 */
static void
put_human_time(const struct item *d, struct timespec ts)
{
	char buf[96];
	struct tm tm;
	size_t n;

	if (localtime_r(&ts.tv_sec, &tm) == NULL ||
	    (n = strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm)) == 0) {
		snprintf(buf, sizeof(buf), "%jd.%09ld", (intmax_t)ts.tv_sec,
		    ts.tv_nsec);
	} else {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ".%09ld",
		    ts.tv_nsec);
		strftime(buf + n, sizeof(buf) - n, " %z", &tm);
	}
	put_string(d, buf);
}

/*
 * Seconds since the epoch as GNU stat prints them: an integer, or with a
 * precision a fraction, the width shared between the two parts as
 * printf's %f would share it.  Times before the epoch count down:
 * -1.5 s is tv_sec -2, tv_nsec 500000000.
 */
static void
put_epoch(const struct item *d, struct timespec ts, const char *point)
{
	char *pf, *dot, *p, *src, *dst, *fmt;
	size_t prefix;
	int width = 0, precision = 0, divisor = 1, frac, ilen, w, len;
	int point_len = (int)strlen(point);
	bool left = false, minus_zero = false;

	if (d->spec == NULL) {
		if (ts.tv_sec < 0) {
			putchar('-');
			put_digits(-(uintmax_t)ts.tv_sec, 10);
		} else
			put_digits((uintmax_t)ts.tv_sec, 10);
		return;
	}
	pf = xrealloc(NULL, d->len + 16);
	memcpy(pf, d->spec, d->len);
	pf[d->len] = '\0';
	prefix = d->len;
	if ((dot = strchr(pf, '.')) != NULL) {
		prefix = (size_t)(dot - pf);
		precision = isdigit((unsigned char)dot[1]) ? atoi(dot + 1) : 9;
		if (precision > 0 && isdigit((unsigned char)dot[-1])) {
			/* A width: the integer part gets what the point and
			   the fraction leave of it. */
			*dot = '\0';
			p = dot;
			do
				p--;
			while (isdigit((unsigned char)p[-1]));
			width = atoi(p);
			if (width > 1) {
				p += *p == '0';
				prefix = (size_t)(p - pf);
				w = (point_len < width ? width - point_len : 0) -
				    precision;
				if (point_len + 1 < width && w > 1) {
					for (dst = src = pf; src < p; src++) {
						if (*src == '-')
							left = true;
						else
							*dst++ = *src;
					}
					prefix = (size_t)(dst - pf) +
					    (left ? 0 : (size_t)sprintf(dst, "%d", w));
				}
			}
		}
	}
	for (int i = precision; i < 9; i++)
		divisor *= 10;
	frac = (int)(ts.tv_nsec / divisor);
	if (ts.tv_sec < 0 && ts.tv_nsec != 0) {
		frac = 1000000000 / divisor - frac - (ts.tv_nsec % divisor != 0);
		ts.tv_sec += frac != 0;
		minus_zero = ts.tv_sec == 0;
	}
	if (minus_zero) {
		fmt = printf_format(pf, prefix, "'-+ 0", ".0f");
		len = printf(fmt, -0.25);
	} else {
		fmt = printf_format(pf, prefix, "'-+ 0", "jd");
		len = printf(fmt, (intmax_t)ts.tv_sec);
	}
	if (precision > 0) {
		int prec = precision < 9 ? precision : 9;
		ilen = len < 0 ? 0 : len;
		w = ilen < width && point_len < width - ilen ?
		    width - ilen - point_len - prec : 0;
		printf("%s%.*d%-*.*d", point, prec, frac, w, precision - prec, 0);
	}
	free(fmt);
	free(pf);
}

/* A name as it is, or escaped with vis(3) when stdout is a terminal. */
static void
put_name(const struct item *d, const char *name)
{
	put_string(d, esc_shown(stdout, name));
}

/* %N: the quoted name and, for a symbolic link, " -> " and its target. */
static bool
put_quoted_name(const struct item *d, const struct file *f, bool quote)
{
	static struct buf q;
	char *target;

	if (quote) {
		quote_name(&q, f->name);
		put_string(d, q.s);
	} else
		put_name(d, f->name);
	if (!S_ISLNK(f->stx.stx_mode) || f->is_stdin)
		return true;
	if ((target = read_link(f)) == NULL) {
		warn_file(f, errno);
		return false;
	}
	fputs(" -> ", stdout);
	if (quote) {
		quote_name(&q, target);
		put_string(d, q.s);
	} else
		put_name(d, target);
	free(target);
	return true;
}

/*
 * %m: where the file system the file is on is mounted.  statx gives the
 * file's mount id (STATX_MNT_ID, Linux 5.8); /proc/self/mountinfo maps
 * each mount id (its first field) to its mount point (its fifth), as this
 * process sees it, with space, tab, newline and backslash as octal
 * escapes.  The table is read once, on first use.
 */
struct mount {
	uint64_t id;
	char *point;
};

/* "\040" and the like back to the bytes they stand for, in place. */
static void
unescape_octal(char *s)
{
	char *d = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
			    (s[3] - '0'));
			s += 3;
		} else
			*d++ = *s;
	}
	*d = '\0';
}

static const char *
mount_point(uint64_t id)
{
	static struct mount *mounts;
	static size_t n;
	static bool read_done;
	char *line = NULL, *field[5], *save;
	size_t size = 0;
	FILE *fp;

	if (!read_done) {
		read_done = true;
		if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL)
			return NULL;
		while (getline(&line, &size, fp) > 0) {
			field[0] = strtok_r(line, " \n", &save);
			for (int i = 1; i < 5 && field[i - 1] != NULL; i++)
				field[i] = strtok_r(NULL, " \n", &save);
			if (field[0] == NULL || field[4] == NULL)
				continue;
			mounts = xrealloc(mounts, (n + 1) * sizeof(*mounts));
			mounts[n].id = strtoull(field[0], NULL, 10);
			unescape_octal(field[4]);
			mounts[n++].point = xstrndup(field[4], strlen(field[4]));
		}
		free(line);
		fclose(fp);
	}
	for (size_t i = 0; i < n; i++)
		if (mounts[i].id == id)
			return mounts[i].point;
	return NULL;
}

static bool
put_mount_point(const struct item *d, const struct file *f)
{
	const char *point = NULL, *why;

	if (f->stx.stx_mask & STATX_MNT_ID)
		point = mount_point(f->stx.stx_mnt_id);
	if (point == NULL) {
		/* As GNU stat: a question mark, and the run fails. */
		why = (f->stx.stx_mask & STATX_MNT_ID) == 0 ?
		    "mount point unknown: statx gave no mount id" :
		    "mount point unknown: mount id not in /proc/self/mountinfo";
		put_string(d, "?");
		if (f->is_stdin)
			warnx("standard input: %s", why);
		else
			path_warnx(f->name, why);
		return false;
	}
	put_name(d, point);
	return true;
}

/* The time %x and %X print (access), %y and %Y (data), %z and %Z (inode). */
static const struct statx_timestamp *
time_of(const struct statx *sx, char conv)
{
	switch (tolower((unsigned char)conv)) {
	case 'x':
		return &sx->stx_atime;
	case 'y':
		return &sx->stx_mtime;
	default:
		return &sx->stx_ctime;
	}
}

static bool
print_directive(const struct item *d, const struct file *f,
    const struct format *fmt, const char *point)
{
	const struct statx *sx = &f->stx;
	struct timespec none = { 0, 0 };
	const char *name;
	char mode[12];

	switch (d->conv) {
	case 'n':
		put_name(d, f->name);
		break;
	case 'N':
		return put_quoted_name(d, f, fmt->quotes_names);
	case 'm':
		return put_mount_point(d, f);
	case 'A':
		file_mode(sx, mode);
		put_string(d, mode);
		break;
	case 'F':
		put_string(d, file_type(sx, true));
		break;
	case 'U':
		name = user_name(sx->stx_uid);
		put_name(d, name != NULL ? name : "UNKNOWN");
		break;
	case 'G':
		name = group_name(sx->stx_gid);
		put_name(d, name != NULL ? name : "UNKNOWN");
		break;
	case 'a':
		put_number(d, sx->stx_mode & 07777);
		break;
	case 'f':
		put_number(d, sx->stx_mode);
		break;
	case 'B':
		put_number(d, 512);
		break;
	case 'b':
		put_number(d, sx->stx_blocks);
		break;
	case 'd':
		put_number(d, d->mod == 'H' ? sx->stx_dev_major :
		    d->mod == 'L' ? sx->stx_dev_minor :
		    dev_number(sx->stx_dev_major, sx->stx_dev_minor));
		break;
	case 'D':
		put_number(d, dev_number(sx->stx_dev_major, sx->stx_dev_minor));
		break;
	case 'r':
		put_number(d, d->mod == 'H' ? sx->stx_rdev_major :
		    d->mod == 'L' ? sx->stx_rdev_minor :
		    dev_number(sx->stx_rdev_major, sx->stx_rdev_minor));
		break;
	case 'R':
		put_number(d, dev_number(sx->stx_rdev_major, sx->stx_rdev_minor));
		break;
	case 't':
		put_number(d, sx->stx_rdev_major);
		break;
	case 'T':
		put_number(d, sx->stx_rdev_minor);
		break;
	case 'g':
		put_number(d, sx->stx_gid);
		break;
	case 'h':
		put_number(d, sx->stx_nlink);
		break;
	case 'i':
		put_number(d, sx->stx_ino);
		break;
	case 'o':
		/* As GNU stat: 512 when the file system suggests nothing. */
		put_number(d, sx->stx_blksize > 0 ? sx->stx_blksize : 512);
		break;
	case 's':
		put_number(d, sx->stx_size);
		break;
	case 'u':
		put_number(d, sx->stx_uid);
		break;
	case 'w':
		if (has_btime(sx))
			put_human_time(d, timestamp(&sx->stx_btime));
		else
			put_string(d, "-");
		break;
	case 'W':
		put_epoch(d, has_btime(sx) ? timestamp(&sx->stx_btime) : none,
		    point);
		break;
	case 'x': case 'y': case 'z':
		put_human_time(d, timestamp(time_of(sx, d->conv)));
		break;
	case 'X': case 'Y': case 'Z':
		put_epoch(d, timestamp(time_of(sx, d->conv)), point);
		break;
	}
	return true;
}

/* Print f through the format; false if a part of it could not be had. */
static bool
format_print(const struct format *fmt, const struct file *f)
{
	const char *point = fmt->locale_numbers ?
	    localeconv()->decimal_point : ".";
	bool ok = true;

	for (size_t i = 0; i < fmt->n; i++) {
		const struct item *it = &fmt->items[i];
		if (it->conv == 0)
			fwrite(it->text, 1, it->len, stdout);
		else
			ok &= print_directive(it, f, fmt, point);
	}
	return ok;
}

/* --- The other outputs --------------------------------------------------- */

/*
 * A time for a person, in ISO 8601 with nanoseconds and the local offset:
 * "2026-01-02T03:04:05.123456789+01:00".
 */
static void
print_iso_time(struct timespec ts)
{
	char buf[64];
	struct tm tm;
	long off;

	if (localtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		printf("%jd.%09ld", (intmax_t)ts.tv_sec, ts.tv_nsec);
		return;
	}
	off = tm.tm_gmtoff;
	printf("%s.%09ld%c%02ld:%02ld", buf, ts.tv_nsec, off < 0 ? '-' : '+',
	    labs(off) / 3600, labs(off) / 60 % 60);
}

static const struct {
	uint64_t bit;
	const char *name;
} attributes[] = {
	{ STATX_ATTR_APPEND, "append" },
	{ STATX_ATTR_AUTOMOUNT, "automount" },
	{ STATX_ATTR_COMPRESSED, "compressed" },
	{ STATX_ATTR_DAX, "dax" },
	{ STATX_ATTR_ENCRYPTED, "encrypted" },
	{ STATX_ATTR_IMMUTABLE, "immutable" },
	{ STATX_ATTR_MOUNT_ROOT, "mount_root" },
	{ STATX_ATTR_NODUMP, "nodump" },
	{ STATX_ATTR_VERITY, "verity" },
};

static void
print_label(const char *label)
{
	printf("%-14s", label);
}

static void
print_id(unsigned id, const char *name)
{
	printf("%u", id);
	if (name != NULL) {
		fputs(" (", stdout);
		esc_puts(stdout, name);
		putchar(')');
	}
	putchar('\n');
}

static void
print_report_time(const char *label, struct timespec ts, bool known)
{
	print_label(label);
	if (known)
		print_iso_time(ts);
	else
		putchar('-');
	putchar('\n');
}

/* The labelled report, one field a line, named as in os.stat_result. */
static bool
print_report(const struct file *f)
{
	const struct statx *sx = &f->stx;
	char mode[12], human[8] = "?";
	const char *sep = "";
	char *target = NULL;
	bool ok = true;

	file_mode(sx, mode);
	/* Four characters at most, as ls -h prints: "512B", "1.5K", "12M". */
	if (humanize_number(human, 5, (int64_t)sx->stx_size, "", HN_AUTOSCALE,
	    HN_B | HN_NOSPACE | HN_DECIMAL) < 0)
		strlcpy(human, "?", sizeof(human));
	print_label("file");
	esc_puts(stdout, f->name);
	printf("\n%-14s%s\n", "type", file_type(sx, false));
	printf("%-14s0%o %s\n", "st_mode", sx->stx_mode, mode);
	printf("%-14s%ju\n", "st_ino", (uintmax_t)sx->stx_ino);
	printf("%-14s%u:%u\n", "st_dev", sx->stx_dev_major, sx->stx_dev_minor);
	printf("%-14s%u\n", "st_nlink", sx->stx_nlink);
	print_label("st_uid");
	print_id(sx->stx_uid, user_name(sx->stx_uid));
	print_label("st_gid");
	print_id(sx->stx_gid, group_name(sx->stx_gid));
	printf("%-14s%ju (%s)\n", "st_size", (uintmax_t)sx->stx_size, human);
	printf("%-14s%ju\n", "st_blocks", (uintmax_t)sx->stx_blocks);
	printf("%-14s%u\n", "st_blksize", sx->stx_blksize);
	printf("%-14s%u:%u\n", "st_rdev", sx->stx_rdev_major,
	    sx->stx_rdev_minor);
	print_report_time("st_atime", timestamp(&sx->stx_atime), true);
	print_report_time("st_mtime", timestamp(&sx->stx_mtime), true);
	print_report_time("st_ctime", timestamp(&sx->stx_ctime), true);
	print_report_time("st_birthtime", timestamp(&sx->stx_btime),
	    has_btime(sx));
	print_label("stx_mnt_id");
	if (sx->stx_mask & STATX_MNT_ID)
		printf("%ju\n", (uintmax_t)sx->stx_mnt_id);
	else
		puts("-");
	print_label("attributes");
	for (size_t i = 0; i < sizeof(attributes) / sizeof(attributes[0]); i++)
		if (sx->stx_attributes & attributes[i].bit) {
			printf("%s%s", sep, attributes[i].name);
			sep = ",";
		}
	puts(*sep == '\0' ? "none" : "");
	if (S_ISLNK(sx->stx_mode) && !f->is_stdin) {
		print_label("target");
		if ((target = read_link(f)) == NULL) {
			warn_file(f, errno);
			ok = false;
			puts("?");
		} else {
			esc_puts(stdout, target);
			putchar('\n');
		}
		free(target);
	}
	return ok;
}

/*
 * s in single quotes for any POSIX shell: a quote inside becomes '\''.
 * Newlines and other bytes stay as they are, which single quotes allow.
 */
static void
print_shell_quoted(const char *s)
{
	struct buf b = { 0 };
	const char *q;

	buf_addc(&b, '\'');
	while ((q = strchr(s, '\'')) != NULL) {
		buf_add(&b, s, (size_t)(q - s));
		buf_add(&b, "'\\''", 4);
		s = q + 1;
	}
	buf_add(&b, s, strlen(s));
	buf_addc(&b, '\'');
	esc_write(stdout, b.s, b.len);
	free(b.s);
}

/* One line of shell assignments, as BSD stat -s prints, and the name. */
static void
print_shell(const struct file *f)
{
	const struct statx *sx = &f->stx;

	printf("st_dev=%ju st_ino=%ju st_mode=%#o st_nlink=%u st_uid=%u "
	    "st_gid=%u st_rdev=%ju st_size=%ju st_atime=%jd st_mtime=%jd "
	    "st_ctime=%jd st_birthtime=%jd st_blksize=%u st_blocks=%ju file=",
	    dev_number(sx->stx_dev_major, sx->stx_dev_minor),
	    (uintmax_t)sx->stx_ino, sx->stx_mode, sx->stx_nlink, sx->stx_uid,
	    sx->stx_gid, dev_number(sx->stx_rdev_major, sx->stx_rdev_minor),
	    (uintmax_t)sx->stx_size, (intmax_t)sx->stx_atime.tv_sec,
	    (intmax_t)sx->stx_mtime.tv_sec, (intmax_t)sx->stx_ctime.tv_sec,
	    has_btime(sx) ? (intmax_t)sx->stx_btime.tv_sec : (intmax_t)-1,
	    sx->stx_blksize, (uintmax_t)sx->stx_blocks);
	print_shell_quoted(f->is_stdin ? "-" : f->name);
	putchar('\n');
}

static void
json_attribute_names(const char *key, uint64_t bits)
{
	json_array_begin(key);
	for (size_t i = 0; i < sizeof(attributes) / sizeof(attributes[0]); i++)
		if (bits & attributes[i].bit)
			json_str(NULL, attributes[i].name);
	json_array_end();
}

/* One JSON object with every field statx gave. */
static bool
print_json(const struct file *f)
{
	const struct statx *sx = &f->stx;
	char mode[12], octal[16];
	char *target = NULL;
	bool ok = true;

	if (S_ISLNK(sx->stx_mode) && !f->is_stdin &&
	    (target = read_link(f)) == NULL) {
		warn_file(f, errno);
		ok = false;
	}
	file_mode(sx, mode);
	snprintf(octal, sizeof(octal), "%o", sx->stx_mode);
	json_begin();
	json_str("file", f->name);
	json_str("type", file_type(sx, false));
	json_uint("st_mode", sx->stx_mode);
	json_str("mode_octal", octal);
	json_str("filemode", mode);
	json_uint("st_ino", sx->stx_ino);
	json_uint("st_dev", dev_number(sx->stx_dev_major, sx->stx_dev_minor));
	json_uint("st_dev_major", sx->stx_dev_major);
	json_uint("st_dev_minor", sx->stx_dev_minor);
	json_uint("st_nlink", sx->stx_nlink);
	json_uint("st_uid", sx->stx_uid);
	json_str("user", user_name(sx->stx_uid));
	json_uint("st_gid", sx->stx_gid);
	json_str("group", group_name(sx->stx_gid));
	json_uint("st_size", sx->stx_size);
	json_uint("st_blocks", sx->stx_blocks);
	json_uint("st_blksize", sx->stx_blksize);
	json_uint("st_rdev", dev_number(sx->stx_rdev_major, sx->stx_rdev_minor));
	json_uint("st_rdev_major", sx->stx_rdev_major);
	json_uint("st_rdev_minor", sx->stx_rdev_minor);
	json_time("st_atime", timestamp(&sx->stx_atime));
	json_time("st_mtime", timestamp(&sx->stx_mtime));
	json_time("st_ctime", timestamp(&sx->stx_ctime));
	if (has_btime(sx))
		json_time("st_birthtime", timestamp(&sx->stx_btime));
	else {
		json_null("st_birthtime");
		json_null("st_birthtime_sec");
	}
	if (sx->stx_mask & STATX_MNT_ID)
		json_uint("stx_mnt_id", sx->stx_mnt_id);
	else
		json_null("stx_mnt_id");
	json_uint("stx_mask", sx->stx_mask);
	json_uint("stx_attributes", sx->stx_attributes);
	json_uint("stx_attributes_mask", sx->stx_attributes_mask);
	json_attribute_names("attributes", sx->stx_attributes);
	json_attribute_names("attributes_supported", sx->stx_attributes_mask);
	json_str("target", target);
	json_end();
	free(target);
	return ok;
}

static bool
stat_and_print(const char *name, bool from_list, bool follow,
    enum output out, const struct format *fmt, bool first)
{
	struct file f = { .name = name };

	/* In a list, "-" is a file of that name: lists name files. */
	f.is_stdin = !from_list && strcmp(name, "-") == 0;
	if (stat_file(&f, follow) != 0) {
		warn_file(&f, errno);
		return false;
	}
	switch (out) {
	case OUT_FORMAT:
		return format_print(fmt, &f);
	case OUT_SHELL:
		print_shell(&f);
		return true;
	case OUT_JSON:
		return print_json(&f);
	default:
		if (!first)
			putchar('\n');
		return print_report(&f);
	}
}

static void
set_output(enum output *out, enum output want)
{
	if (*out != OUT_REPORT && *out != want) {
		warnx("-j, -s and a format (-c, --printf, -t) cannot be combined");
		usage(2);
	}
	*out = want;
}

int
main(int argc, char *argv[])
{
	enum { OPT_PRINTF = CLI_OPT_FIRST };
	static const struct option longopts[] = {
		CLI_LONGOPTS_COMMON,
		{ "dereference", no_argument, NULL, 'L' },
		{ "files0-from", required_argument, NULL, CLI_OPT_FILES0_FROM },
		{ "format", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "printf", required_argument, NULL, OPT_PRINTF },
		{ "shell", no_argument, NULL, 's' },
		{ "terse", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	/* Output into a pipe or file in large writes: one per 64 KiB. */
	static char outbuf[1 << 16];
	enum output out = OUT_REPORT;
	struct format fmt = { 0 };
	struct operands op;
	const char *files0_from = NULL, *src = NULL, *name;
	bool follow = false, escapes = false, terse = false, ok = true;
	bool first = true;
	char msg[256];
	int ch;

	outcheck_atexit(1);
	cli_short_name(argv);
	while ((ch = getopt_long(argc, argv, "Lc:hjst", longopts, NULL)) != -1) {
		switch (ch) {
		case 'L':
			follow = true;
			break;
		case 'c':
		case OPT_PRINTF:
			set_output(&out, OUT_FORMAT);
			src = optarg;
			escapes = ch == OPT_PRINTF;
			break;
		case 'h':
			usage(0);
		case 'j':
			set_output(&out, OUT_JSON);
			break;
		case 's':
			set_output(&out, OUT_SHELL);
			break;
		case 't':
			set_output(&out, OUT_FORMAT);
			terse = true;
			break;
		case CLI_OPT_FILES0_FROM:
			files0_from = optarg;
			break;
		case CLI_OPT_VERSION:
			cli_version();
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	/* GNU stat --terse is this format; -c or --printf wins over it. */
	if (terse && src == NULL)
		src = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o";
	if (files0_from == NULL && argc == 0) {
		warnx("missing operand");
		usage(2);
	}
	if (src != NULL &&
	    format_compile(&fmt, src, escapes, !escapes, msg, sizeof(msg)) != 0) {
		warnx("%s", msg);
		usage(2);
	}
	if (operands_init(&op, argc, argv, files0_from) != 0)
		usage(2);
	/* The locale costs start-up time: load only what the output uses. */
	if (fmt.quotes_names)
		setlocale(LC_CTYPE, "");
	if (fmt.locale_numbers)
		setlocale(LC_NUMERIC, "");
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));

	while ((name = operands_next(&op)) != NULL) {
		ok &= stat_and_print(name, files0_from != NULL, follow, out,
		    &fmt, first);
		first = false;
	}
	ok &= operands_all_valid(&op);
	operands_free(&op);
	format_free(&fmt);
	return ok ? 0 : 1;
}
