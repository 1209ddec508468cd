/*
 * The credentials the kernel checks a file's permission bits against: a
 * user id, a group id, the supplementary groups, and the capabilities that
 * override the bits.  access(2) checks with the real ids, faccessat(2)
 * with AT_EACCESS and every other call with the effective ones; a tool
 * that explains or predicts the kernel's answer needs the same set.
 */
#ifndef OSTOUR_PERMCREDS_H
#define OSTOUR_PERMCREDS_H

#include <stdbool.h>
#include <sys/types.h>

struct permcreds {
	uid_t uid;
	gid_t gid;
	gid_t *groups;		/* supplementary groups, from getgroups */
	int ngroups;
	bool dac_override;	/* CAP_DAC_OVERRIDE: read, write, search */
	bool dac_read_search;	/* CAP_DAC_READ_SEARCH: read, search */
	bool fowner;		/* CAP_FOWNER: chmod a file of another user */
	bool fsetid;		/* CAP_FSETID: keep set-group-ID on chmod */
};

/*
 * Fill pc with the effective ids and capabilities, or (real) with what
 * access(2) uses: the real ids, and the permitted capabilities when the
 * real user is root, none otherwise.  Returns 0, or -1 with errno set and
 * *what naming the call that failed.
 */
int permcreds_get(struct permcreds *pc, bool real, const char **what);

/* Whether gid is pc's group or one of its supplementary groups. */
bool permcreds_in_group(const struct permcreds *pc, gid_t gid);

void permcreds_free(struct permcreds *pc);

#endif
