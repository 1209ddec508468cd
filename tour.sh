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
# setids

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
if have waitall; then
	step_fails "waitall runs commands side by side and reports each as it ends: how, the times, the largest RSS (collected with wait3). One failed, so it exits 1." \
		"waitall 'seq 300000 | tail -n 1' true 'exit 3' 'kill -TERM \$\$'"
	step "With -o it collects them in start order with waitpid: the quick one waits, a zombie, for the slow one." \
		"waitall -o 'seq 300000 | tail -n 1' true"
	step "A list from a pipe, two at a time, as JSON Lines." \
		"printf '%s\\n' 'uname -s' true 'id -u' | waitall -P 2 -j -f -"
	step_fails "-k: at the first failure, SIGTERM to the rest (here a command that would run for ever)." \
		"waitall -k 'tail -f /dev/null' false"
fi

section "12. Spawning"
if have spawn; then
	step "spawn starts a command in one call (posix_spawnp); its redirections are file actions, done in the child." \
		"printf 'b\\na\\n' > names && spawn -i names -o sorted sort && cat sorted"
	step "An attribute: --setsid makes the child the leader of a new session and process group." \
		"spawn --setsid showids | grep -E '^(pid|pgid|sid)'"
	step "Signals the caller ignores (SIGINT is bit 2 of SigIgn) are back at their default in the child." \
		"(trap '' INT; grep SigIgn /proc/self/status; spawn grep SigIgn /proc/self/status)"
	step "-n does not wait: it prints the child's pid and returns." \
		"spawn -n -o /dev/null true"
	step_fails "A command that is not found: 127, with its name." \
		"spawn no-such-command"
fi

printf '\n'
if [ "$failed" -ne 0 ]; then
	echo "tour: $failed step(s) failed" >&2
	exit 1
fi
echo "tour: done; the scratch directory $scratch is removed."
