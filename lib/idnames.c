/* User and group names (see idnames.h). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "idnames.h"

/* A one-entry cache per database, with the name copied out of NSS. */
struct name_cache {
	int valid;
	unsigned long id;
	char *name;		/* NULL: the id has no entry */
};

static const char *
remember(struct name_cache *c, unsigned long id, const char *name)
{
	free(c->name);
	c->name = name != NULL ? strdup(name) : NULL;
	c->id = id;
	c->valid = name == NULL || c->name != NULL;
	return c->name != NULL ? c->name : name;
}

const char *
user_name(uid_t uid)
{
	static struct name_cache cache;
	struct passwd *pw;

	if (cache.valid && cache.id == uid)
		return cache.name;
	pw = getpwuid(uid);
	return remember(&cache, uid, pw != NULL ? pw->pw_name : NULL);
}

const char *
group_name(gid_t gid)
{
	static struct name_cache cache;
	struct group *gr;

	if (cache.valid && cache.id == gid)
		return cache.name;
	gr = getgrgid(gid);
	return remember(&cache, gid, gr != NULL ? gr->gr_name : NULL);
}

/*
 * A decimal id: digits only, below (id_t)-1, which the set*id calls read
 * as "leave unchanged".
 */
static int
parse_id_number(const char *s, unsigned long *id)
{
	const char *errstr;
	long long v;

	if (s[0] == '\0' || strspn(s, "0123456789") != strlen(s))
		return -1;
	v = strtonum(s, 0, (long long)UINT_MAX - 1, &errstr);
	if (errstr != NULL)
		return -1;
	*id = (unsigned long)v;
	return 0;
}

int
parse_user(const char *s, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;
	unsigned long n;

	if (parse_id_number(s, &n) == 0) {
		*uid = (uid_t)n;
		if (gid != NULL) {
			pw = getpwuid(*uid);
			*gid = pw != NULL ? pw->pw_gid : (gid_t)n;
		}
		return 0;
	}
	if (s[0] == '\0' || (pw = getpwnam(s)) == NULL)
		return -1;
	*uid = pw->pw_uid;
	if (gid != NULL)
		*gid = pw->pw_gid;
	return 0;
}

int
parse_group(const char *s, gid_t *gid)
{
	struct group *gr;
	unsigned long n;

	if (parse_id_number(s, &n) == 0) {
		*gid = (gid_t)n;
		return 0;
	}
	if (s[0] == '\0' || (gr = getgrnam(s)) == NULL)
		return -1;
	*gid = gr->gr_gid;
	return 0;
}

gid_t *
user_group_list(const char *name, gid_t gid, int *n)
{
	gid_t *gids = NULL, *grown;
	int cap = 16;

	/* A second try with the size getgrouplist asked for, and so on. */
	for (int tries = 0; tries < 8; tries++) {
		if ((grown = reallocarray(gids, (size_t)cap, sizeof(gid_t))) == NULL)
			break;
		gids = grown;
		*n = cap;
		if (getgrouplist(name, gid, gids, n) >= 0)
			return gids;
		if (*n <= cap) {
			errno = EIO;	/* too small, yet asks for no more */
			break;
		}
		cap = *n;
	}
	free(gids);
	if (errno != ENOMEM)
		errno = EIO;
	return NULL;
}
