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
if have statf; then
	step "statf prints every field of a file's inode, named as in Python's os.stat_result." \
		'printf "hello\n" >notes.txt && statf notes.txt'
	step "A symbolic link is reported as itself (lstat); with -L, the file it points to (stat)." \
		'ln -s notes.txt link && statf -c "%N: %F" link && statf -L -c "%N: %F" link'
	step "The format language is GNU stat's, byte for byte; - is standard input (fstat)." \
		'echo hi | statf -c "%n is a %F, mode %A" -'
	step "Shell assignments, safe to eval whatever the name holds." \
		'eval "$(statf -s notes.txt)" && echo "notes.txt: $st_size bytes, mode $st_mode"'
	step "JSON with what statx adds: birth time, mount id, attributes." \
		'statf -j notes.txt'
	step_fails "A missing file is reported with the reason; the others are still printed." \
		'statf -c "%n %s" notes.txt missing'
	rm -f notes.txt link
fi

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
