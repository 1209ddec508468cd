/*
 * Escaping of names and values for a terminal.  A file name or an
 * environment value can hold escape sequences that would drive the
 * terminal; on a terminal such bytes are shown with vis(3) escapes
 * (\n, \t, \033, \377), as ls does.  Into a pipe or a file the bytes go as
 * they are, so that data is never altered.
 */
#ifndef OSTOUR_ESCAPE_H
#define OSTOUR_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Whether s[0..n) must be escaped: it holds a control character (C0, DEL
 * or C1) or a byte that is not part of well-formed UTF-8.
 */
bool esc_needed(const char *s, size_t n);

/*
 * s[0..n) with every control character, every byte of invalid UTF-8 and
 * (so the result is unambiguous) every backslash escaped with vis(3);
 * other characters, valid multibyte ones included, are kept.  Returns a
 * string from malloc, or NULL when out of memory.
 */
char *esc_vis(const char *s, size_t n);

/*
 * Write s[0..n) to fp: escaped with esc_vis if fp is a terminal and the
 * string needs it, exactly as it is otherwise.
 */
void esc_write(FILE *fp, const char *s, size_t n);

/* esc_write for a NUL-terminated string. */
void esc_puts(FILE *fp, const char *s);

/*
 * s as esc_puts would show it on fp, for text that printf lays out (a
 * padded column, a quoted argument in a message): escaped when fp is a
 * terminal and s needs it, else s itself.  The result stays valid until
 * the call after next, so that one line can show two.
 */
const char *esc_shown(FILE *fp, const char *s);

#endif
