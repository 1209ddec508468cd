# Shared set-up for the bats suites: the tools are found through PATH
# (make check puts the build tree's tools/ first), and every test gets a
# scratch directory of its own.

bats_require_minimum_version 1.5.0

# script(1) runs its -c command with $SHELL, or /bin/sh when that is unset
# (as under CI).  The tests that use it to get a terminal write bash, with
# $'...' quoting, so make that shell bash whatever the caller had.
export SHELL=$BASH

setup() {
	# Modes the tests expect, and what nobody may reach, assume the usual
	# mask; a test about the mask sets its own.
	umask 022
	SCRATCH=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ostour.XXXXXX")
	cd "$SCRATCH" || return 1
}

teardown() {
	cd /
	[ -z "${NOBODY_BIN:-}" ] || rm -rf "$NOBODY_BIN"
	# Directories a test made unreadable must be made readable to go.
	chmod -R u+rwx "$SCRATCH" 2>/dev/null
	rm -rf "$SCRATCH"
}

# Run a command as the unprivileged user nobody (65534); require_nobody
# first, which skips where that cannot be done.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (running as uid $(id -u))"
	tools_for_nobody
}

# A tool that drops root and then runs another tool finds it through PATH,
# as the new user.  A build tree under a private directory (a home of mode
# 700, a mktemp -d) is out of that user's reach: give it a copy of the
# tools where anyone can run them.
tools_for_nobody() {
	local bin
	bin=$(dirname "$(command -v showids)")
	command -v setpriv >/dev/null || return 0
	as_nobody test -x "$bin/showids" && return 0
	NOBODY_BIN=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ostour-bin.XXXXXX")
	chmod 755 "$NOBODY_BIN"
	for t in $OSTOUR_TOOLS; do
		cp "$bin/$t" "$NOBODY_BIN/"
	done
	PATH=$NOBODY_BIN:$PATH
}

# Tests that drop to nobody need root to do it, and a scratch directory
# nobody can reach.
require_nobody() {
	require_root
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	chmod 755 "$SCRATCH"
}

# Run a command where group 4242 is named "ev<ESC>[31mil": in a mount
# namespace of its own, over a copy of /etc/group.  Needs root.
with_hostile_group() {
	require_root
	require_cmd unshare
	unshare -m true 2>/dev/null || skip "cannot make a mount namespace here"
	cp /etc/group "$SCRATCH/group.hostile"
	printf 'ev\033[31mil:x:4242:\n' >>"$SCRATCH/group.hostile"
	unshare -m mount --bind "$SCRATCH/group.hostile" /etc/group 2>/dev/null ||
		skip "cannot bind-mount over /etc/group here"
	unshare -m sh -c 'mount --bind "$1" /etc/group && shift && exec "$@"' \
	    sh "$SCRATCH/group.hostile" "$@"
}

require_cmd() {
	command -v "$1" >/dev/null || skip "$1 is not installed"
}

# A sanitizer build cannot run set-user-ID: LeakSanitizer needs to ptrace
# the process, which the kernel forbids for it.
require_unsanitized() {
	[ -z "${OSTOUR_SANITIZED:-}" ] ||
		skip "a sanitizer build cannot run set-user-ID (LeakSanitizer)"
}
