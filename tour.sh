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
if have p2open; then
	step "p2open runs a command with pipes to its stdin, stdout and stderr (popen3) and labels each line with its stream; -s is the input." \
		"p2open -s 'hello' sh -c 'cat; echo; echo \"a warning\" >&2'"
	step "Mode 2 (popen2) feeds the command and reads its output at the same time: a filter in a child." \
		"printf '%s\\n' pear apple fig | p2open -m 2 sort"
	step "Mode 4 (popen4) merges stdout and stderr on one pipe, in the order they were written; -t stamps each line." \
		"p2open -m 4 -t sh -c 'echo out; echo err >&2; echo out again'"
	step "No deadlock: the child writes 2 MB to stderr and 2 MB to stdout, more than the pipes hold, before it reads its 2 MB of input; every line arrives." \
		"seq 300000 | p2open sh -c 'seq 300000 >&2; seq 300000; echo \"read \$(wc -l) lines\"' | sed -n '/read/p;\$='"
	step "JSON Lines: the stream, the time since start and the exact bytes, invalid UTF-8 included; then the command's exit status, passed on." \
		"p2open -j sh -c 'printf \"caf\\351\\n\"; echo oops >&2; exit 3'; echo \"exit status \$?\""
	step_fails "A command that cannot be found: 127, as in the shell." \
		'p2open no-such-command-here'
fi

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
