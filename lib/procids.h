/*
 * A process's identity: its user and group ids (real, effective, saved,
 * file-system), its supplementary groups, its process, group and session
 * ids and its controlling terminal.  Read from the calling process with
 * the get*id calls, or from another through /proc; printed in one format
 * by showids and setids.
 */
#ifndef OSTOUR_PROCIDS_H
#define OSTOUR_PROCIDS_H

#include <stdbool.h>
#include <sys/types.h>

struct procids {
	bool is_process;	/* false: a user's ids at login, no process */
	uid_t ruid, euid, suid, fsuid;
	gid_t rgid, egid, sgid, fsgid;
	int ngroups;
	gid_t *groups;		/* from malloc */
	pid_t pid, ppid, pgid, sid;
	bool has_tty;
	dev_t tty_dev;
	char *tty_name;		/* from malloc; NULL if unknown */
	pid_t tpgid;		/* foreground process group; -1 if unknown */
};

/*
 * Fill `ids` for the calling process.  Returns 0, or -1 with errno set and
 * a message naming the failed call in `what`.
 */
int procids_self(struct procids *ids, const char **what);

/*
 * Fill `ids` for process `pid` from /proc/PID/status and /proc/PID/stat.
 * Returns 0, or -1 with errno set (ENOENT: no such process) and the file
 * that could not be read in `what`.
 */
int procids_pid(struct procids *ids, pid_t pid, const char **what);

void procids_free(struct procids *ids);

/*
 * Print `ids`: labelled aligned lines for a person, or one JSON object;
 * the process ids and the terminal only for a process.
 * If `step` is not NULL it heads the block ("== step") or becomes the
 * object's "step" member.
 */
void procids_print(const struct procids *ids, bool json, const char *step);

#endif
