/*
 * A writer of JSON Lines on stdout: one object per record, keys in
 * snake_case, numbers as numbers.  Strings are byte strings: valid UTF-8
 * is written as it is, control characters as \uXXXX escapes, and each byte
 * that is not part of valid UTF-8 as the lone surrogate \udc80-\udcff (the
 * "surrogateescape" convention), so that every output line parses and the
 * exact bytes can be recovered, e.g. with Python's
 * os.fsencode(json.loads(line)[key]).
 *
 * Usage:
 *	json_begin();
 *	json_str("name", name);
 *	json_int("size", st.st_size);
 *	json_array_begin("groups");
 *	json_int(NULL, 4);		(array elements have no key)
 *	json_array_end();
 *	json_end();			(writes "}\n")
 */
#ifndef OSTOUR_JSON_H
#define OSTOUR_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

void json_begin(void);
void json_end(void);

/* Containers; `key` is NULL inside an array. */
void json_object_begin(const char *key);
void json_object_end(void);
void json_array_begin(const char *key);
void json_array_end(void);

void json_str(const char *key, const char *s);	/* NULL s: null */
void json_strn(const char *key, const char *s, size_t n);
void json_int(const char *key, long long v);
void json_uint(const char *key, unsigned long long v);
void json_double(const char *key, double v);	/* 9 decimals at most */
void json_bool(const char *key, bool v);
void json_null(const char *key);

/*
 * A time as two members: `key` as an ISO 8601 string in UTC with
 * nanoseconds ("2026-01-02T03:04:05.123456789Z") and `key`_sec as the raw
 * seconds since the epoch, exact to the nanosecond (1767323045.123456789).
 */
void json_time(const char *key, struct timespec ts);

/* Write s[0..n) as a JSON string, quotes included, to stdout. */
void json_write_string(const char *s, size_t n);

#endif
