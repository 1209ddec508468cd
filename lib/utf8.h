/*
 * UTF-8 validation, shared by the terminal escaping and the JSON writer:
 * both pass valid UTF-8 through and treat every other byte specially.
 */
#ifndef OSTOUR_UTF8_H
#define OSTOUR_UTF8_H

#include <stddef.h>

/*
 * The length (1 to 4) of the well-formed UTF-8 sequence at the start of
 * s[0..n), or 0 if it does not start with one.  Overlong forms, surrogates
 * (U+D800-U+DFFF) and code points past U+10FFFF are not well-formed.
 */
size_t utf8_seqlen(const unsigned char *s, size_t n);

#endif
