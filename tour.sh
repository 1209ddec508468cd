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
	step "A job-control shell makes each pipeline a process group; this script's shell has no job control, so all share its group and session." \
		'showids | grep -E "^(pid|pgid|sid)"'
	step "Another process, read from /proc: here, the init process, as JSON." \
		'showids -j -p 1'
	step "A user instead of a process: the groups nobody would get at login." \
		'showids -Gn nobody'
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
if have penv; then
	step "penv prints the environment it inherited, in environ order, as env(1) does." \
		'penv | head -5'
	step "A child inherits a changed copy; the parent's environment stays as it was." \
		'penv GREETING=hello sh -c '\''echo "child: $GREETING"'\''; echo "parent: ${GREETING-unset}"'
	step "-i starts from nothing, -u removes, NAME=VALUE sets; -g asks getenv(3)." \
		'penv -i A=1 B=2; penv -u HOME -g PATH | cut -c1-40'
	step "A value may hold a newline: -0 keeps each entry whole, -j as JSON." \
		'penv -0 -i "NOTE=two
lines" | od -c; penv -j -i "NOTE=two
lines"'
	step "-c looks for duplicated names and entries without =: none here." \
		'penv -c && echo clean'
	step_fails "A command that is not found: exit status 127, as env(1) gives." \
		'penv PATH=/usr/bin:/bin no-such-command'
fi

section "4. The working directory"
if have pwdwalk; then
	step "pwdwalk prints getcwd(), then goes up through .. until .. is . itself: the root." \
		'mkdir -p walk/a/b && cd walk/a/b && pwdwalk; cd - >/dev/null; rm -r walk'
	step "-l adds mode, owner, device and inode; M marks a mount point (the device changes)." \
		'pwdwalk -l /proc/self'
	step "Through a symbolic link: -L walks the shell's PWD, -P (the default) the kernel's." \
		'mkdir -p real/sub && ln -s real link && cd link/sub && pwdwalk -L | head -3 && pwdwalk -P | head -3; cd - >/dev/null; rm -r real link'
	step_fails "A removed working directory has no path: getcwd fails with ENOENT." \
		'mkdir gone && cd gone && rmdir ../gone && pwdwalk'
fi

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
if have access; then
	printf 'echo hello from a script\n' >hello.sh
	chmod 644 hello.sh
	step "access asks the kernel what this process may do with each file, and names the class of the mode that decided." \
		'access hello.sh /etc/passwd /'
	step "Only the first class that matches counts: mode 0077 shuts out the owner, though everyone else may do anything (root's privilege overrides it)." \
		'touch closed && chmod 0077 closed && access closed'
	step_fails "As a test it exits 1 and says why: no execute bit is set, so not even root may run the file." \
		'access -x hello.sh'
	step "-j: the same answers as JSON, with the errno name and the class for each mode." \
		'access -j hello.sh'
fi
if have togglex; then
	step "togglex flips the owner's execute bit, and only that bit; now the script runs." \
		'togglex -v hello.sh && ./hello.sh'
	step "-a flips all three bits, each from its own state; twice gives back the exact mode, set-user-ID included." \
		'chmod 4754 hello.sh && togglex -v -a hello.sh && togglex -v -a hello.sh'
	step "-n shows what would change and changes nothing." \
		'togglex -n -g -o hello.sh && ls -l hello.sh | cut -c1-10'
	if [ "$(id -u)" -ne 0 ]; then
		step_fails "Only the owner may change a mode." \
			'togglex -n /etc/passwd'
	fi
fi

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
if have forkdemo; then
	step "forkdemo forks; the parent signals the child, which names the sender; the parent waits." \
		'forkdemo'
	step "Each signal is acknowledged before the next, so none is lost: standard signals do not queue." \
		'forkdemo -n 3 -s USR2'
	step "exec replaces the child's program but keeps its pid: the child's line and the command's agree." \
		'forkdemo -n 0 -e sh -c "echo \"the command runs as pid \$\$\""'
	step "How the child ended becomes the exit status: a command exiting 3..." \
		'forkdemo -n 0 -e sh -c "exit 3"; echo "forkdemo exited $?"'
	step_fails "...and SIGKILL, which no handler can catch, kills the child: 128 + 9 = 137." \
		'forkdemo -s KILL'
	step "As JSON Lines, with a monotonic timestamp on each event." \
		'forkdemo -j -t'
fi

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
