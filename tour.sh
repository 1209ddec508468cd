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
if have mktree; then
	step "mkdir makes one directory; -p makes every missing component, and -v lists exactly what was made." \
		'mktree -pv proj/src/lib proj/doc'
	step "Directories that exist already are fine with -p: nothing to do, nothing printed." \
		'mktree -pv proj/src/lib && echo "(nothing made)"'
	step_fails "A component that exists and is not a directory is named in the error." \
		'touch proj/notes && mktree -p proj/notes/old'
	step "-m sets the mode of the last component exactly, whatever the umask." \
		'mktree -m u=rwx,go= proj/private && ls -ld proj/private | cut -c1-10'
	step "-r -p removes a directory and then its parents, stopping quietly at the first that is not empty." \
		'mktree -pv proj/tmp/a/b && mktree -r -p -v proj/tmp/a/b'
fi

section "9. Walking a tree"
if have walktree; then
	step "For each directory, os.walk's triple: its path, its subdirectories (with a slash) and its files." \
		'touch proj/src/main.c proj/src/lib/util.c proj/doc/guide.txt && walktree proj'
	step "-p prints paths as find does, sorted; -d puts each directory after its contents." \
		'walktree -p proj/src; walktree -p -d proj/src'
	step "-t draws the tree." \
		'walktree -t proj'
	step "-j prints the triples as JSON Lines, for jq or Python." \
		'walktree -j proj/src'
	step "Names with newlines travel safely with -0, here into mktree: a copy of the directories alone." \
		'mkdir "proj/two
lines" && (cd proj && walktree -0 -p -D | (mkdir ../copy && cd ../copy && mktree -p -v --files0-from=-))'
	step "-m limits the depth, as find -maxdepth does." \
		'walktree -p -m 1 proj'
	step_fails "-L follows symbolic links; one that leads back to a directory on the way down is a loop, reported and not followed." \
		'ln -s .. proj/src/up && walktree -L -p proj/src'
fi

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
