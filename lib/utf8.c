/* UTF-8 validation (see utf8.h), after Table 3-7 of the Unicode standard. */
#include "config.h"

#include "utf8.h"

static int
is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t
utf8_seqlen(const unsigned char *s, size_t n)
{
	unsigned char c;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && is_cont(s[1]) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		/* E0 needs A0-BF (no overlongs), ED needs 80-9F (no surrogates). */
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
		unsigned char hi = c == 0xed ? 0x9f : 0xbf;
		if (n < 3 || s[1] < lo || s[1] > hi || !is_cont(s[2]))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		/* F0 needs 90-BF (no overlongs), F4 needs 80-8F (<= U+10FFFF). */
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;
		if (n < 4 || s[1] < lo || s[1] > hi || !is_cont(s[2]) ||
		    !is_cont(s[3]))
			return 0;
		return 4;
	}
	return 0;
}
