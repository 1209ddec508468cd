/* The credentials of a permission check (see permcreds.h). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "permcreds.h"

/*
 * The capability sets, from capget(2) directly: glibc has no wrapper and
 * libcap would be a dependency for four bits.
 */
static int
get_caps(uint32_t *effective, uint32_t *permitted)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data) != 0)
		return -1;
	/* The four capabilities asked about are all in the first word. */
	*effective = data[0].effective;
	*permitted = data[0].permitted;
	return 0;
}

static bool
has(uint32_t set, int cap)
{
	return (set & (UINT32_C(1) << cap)) != 0;
}

int
permcreds_get(struct permcreds *pc, bool real, const char **what)
{
	uint32_t eff, perm, caps;
	int n;

	memset(pc, 0, sizeof(*pc));
	pc->uid = real ? getuid() : geteuid();
	pc->gid = real ? getgid() : getegid();
	if ((n = getgroups(0, NULL)) < 0) {
		*what = "getgroups";
		return -1;
	}
	if ((pc->groups = calloc(n > 0 ? (size_t)n : 1, sizeof(gid_t))) == NULL) {
		*what = "calloc";
		return -1;
	}
	if ((pc->ngroups = getgroups(n, pc->groups)) < 0) {
		*what = "getgroups";
		permcreds_free(pc);
		return -1;
	}
	if (get_caps(&eff, &perm) != 0) {
		*what = "capget";
		permcreds_free(pc);
		return -1;
	}
	/*
	 * access(2) runs the check as if the real ids were the effective
	 * ones, and grants the capabilities a set-user-ID-root program of
	 * that real user would have: all it may use if the real user is
	 * root, none otherwise.
	 */
	if (real)
		caps = pc->uid == 0 ? perm : 0;
	else
		caps = eff;
	pc->dac_override = has(caps, CAP_DAC_OVERRIDE);
	pc->dac_read_search = has(caps, CAP_DAC_READ_SEARCH);
	pc->fowner = has(caps, CAP_FOWNER);
	pc->fsetid = has(caps, CAP_FSETID);
	return 0;
}

bool
permcreds_in_group(const struct permcreds *pc, gid_t gid)
{
	if (gid == pc->gid)
		return true;
	for (int i = 0; i < pc->ngroups; i++)
		if (pc->groups[i] == gid)
			return true;
	return false;
}

void
permcreds_free(struct permcreds *pc)
{
	free(pc->groups);
	pc->groups = NULL;
	pc->ngroups = 0;
}
