/*
 * User and group ids and their names: the lookups through the passwd and
 * group databases (NSS), and the one parser for ids given on a command
 * line, which takes a name or a number.
 */
#ifndef OSTOUR_IDNAMES_H
#define OSTOUR_IDNAMES_H

#include <sys/types.h>

/*
 * The name of a user or group, or NULL if the database has none.  The
 * last answer is kept, so a tool printing many files of one owner asks
 * NSS once; the string stays valid until the next call.
 */
const char *user_name(uid_t uid);
const char *group_name(gid_t gid);

/*
 * Parse a user given by name or number.  A string of digits is a number
 * (which need not have a passwd entry); anything else is looked up by
 * name.  On success store the uid and, if `gid` is not NULL, the user's
 * primary group (the number itself when it has no entry) and return 0;
 * return -1 if there is no such user or the number is out of range.
 */
int parse_user(const char *s, uid_t *uid, gid_t *gid);

/* The same for a group. */
int parse_group(const char *s, gid_t *gid);

/*
 * A user's groups as initgroups(3) would set them at login: `gid` and
 * every group that lists the user by name (getgrouplist(3)).  Returns an
 * array from malloc and its length in *n, or NULL with errno set (ENOMEM,
 * or EIO when the group database gives no stable answer).
 */
gid_t *user_group_list(const char *name, gid_t gid, int *n);

#endif
