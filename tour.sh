#!/bin/sh
# The ostour tour: each tool run in turn on a scratch directory, with a line
# on what it shows before each step, in the order of the classic tour of a
# language's os module.  Run it as "make tour" (which puts the built tools
# first in PATH); it leaves nothing behind.
set -u

TOOLDIR=${TOOLDIR:-$(dirname "$(command -v showids)")}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ostour-tour.XXXXXX") || exit 1
cleanup() {
	cd /
	chmod -R u+rwx "$scratch" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$scratch" || exit 1

failed=0

# A tool's steps run only once it is built.
have() {
	[ -x "$TOOLDIR/$1" ]
}

section() {
	if [ -t 1 ]; then
		printf '\n\033[1m%s\033[0m\n' "$*"
	else
		printf '\n%s\n' "$*"
	fi
}

# step "what it shows" 'command line': print both, then run the command.
# A step that fails is reported and the tour goes on.
step() {
	printf '\n# %s\n$ %s\n' "$1" "$2"
	sh -c "$2" || { echo "(exit status $?)"; failed=$((failed + 1)); }
}

# A step whose command is expected to fail, to show the error.
step_fails() {
	printf '\n# %s\n$ %s\n' "$1" "$2"
	if sh -c "$2"; then
		echo "(unexpectedly succeeded)"
		failed=$((failed + 1))
	else
		echo "(exit status $?, as expected)"
	fi
}

section "1. Who am I: process credentials and ids"
if have showids; then
	step "showids prints this process's user, group and process ids and its terminal." \
		'showids'
	step "For one id, it answers as id(1) does." \
		'showids -un; showids -G'
	step "Each pipeline is a process group of its own; the session stays the shell's." \
		'showids | grep -E "^(pid|pgid|sid)"'
	step "Another process, read from /proc: here, the init process, as JSON." \
		'showids -j -p 1'
fi

section "2. Changing identity"
if have setids; then
	if [ "$(id -u)" -eq 0 ]; then
		step "Root gives up its ids: supplementary groups, then group, then user." \
			'setids -u nobody | grep -E "^(==|euid|ruid|suid|egid|groups)"'
		step "With -e only the effective ids change: the real and saved ones stay root's." \
			'setids -e -u nobody | grep -E "^(==|euid|ruid|suid)"'
		step "A command run as nobody has nobody's ids, every one of them." \
			'setids -u nobody id'
		step_fails "After a permanent change there is no way back to root." \
			'setids -u nobody setids -u root id'
	else
		step_fails "Unprivileged, the kernel refuses: the ids before, then the error." \
			'setids -g 0'
	fi
	step "With -s the command runs in a session of its own, without a terminal." \
		'setids -s showids | grep -E "^(pid|sid|tty)"'
fi

section "3. The environment"
# penv

section "4. The working directory"
# pwdwalk

section "5. Pipes to a child"
# p2open

section "6. Permissions"
# access, togglex

section "7. The stat record"
# statf

section "8. Making and removing directories"
# mktree

section "9. Walking a tree"
# walktree

section "10. Fork and signals"
# forkdemo

section "11. Waiting for children"
# waitall

section "12. Spawning"
# spawn

printf '\n'
if [ "$failed" -ne 0 ]; then
	echo "tour: $failed step(s) failed" >&2
	exit 1
fi
echo "tour: done; the scratch directory $scratch is removed."
