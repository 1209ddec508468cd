#!/usr/bin/env bats
# spawn: posix_spawnp/posix_spawn with file actions and attributes, waiting
# for the child or not.

load helpers

# 1 if signal $2 is in the hexadecimal signal set $1 (SigIgn, SigBlk), else 0.
sigbit() {
	echo $(( (16#$1 >> ($2 - 1)) & 1 ))
}

sigset_of() {
	awk -v k="$1:" '$1 == k { print $2 }'
}

@test "waits and exits with the child's status, or 128+S when a signal killed it" {
	run -0 spawn true
	[ -z "$output" ]
	run -3 spawn sh -c 'exit 3'
	run -143 spawn sh -c 'kill -TERM $$'
	run -137 spawn sh -c 'kill -KILL $$'
}

@test "the child's output is its own: spawn adds nothing" {
	run -0 spawn printf '%s\n' one two
	[ "$output" = "$(printf 'one\ntwo')" ]
}

@test "options end at the command: its own options are left to it" {
	run -0 spawn printf '%s|' -x -n --setsid
	[ "$output" = "-x|-n|--setsid|" ]
}

@test "a command that is not found: 127, with the command named" {
	run -127 --separate-stderr spawn no-such-command-here arg
	[ -z "$output" ]
	[ "$stderr" = "spawn: no-such-command-here: No such file or directory" ]
}

@test "a command that cannot be executed: 126, with the command named" {
	printf 'echo hi\n' > notexec
	chmod 644 notexec
	run -126 --separate-stderr spawn ./notexec
	[ "$stderr" = "spawn: ./notexec: Permission denied" ]
	mkdir adir
	run -126 --separate-stderr spawn ./adir
	[ "$stderr" = "spawn: ./adir: Permission denied" ]
}

@test "a file without #! is not run through the shell, as the man page says: 126" {
	printf 'echo hi\n' > script
	chmod 755 script
	run -126 --separate-stderr spawn ./script
	[ -z "$output" ]
	[ "$stderr" = "spawn: ./script: Exec format error" ]
	run -0 spawn sh ./script
	[ "$output" = hi ]
}

@test "-x runs the path as given, without searching PATH" {
	printf '#!/bin/sh\necho here\n' > hello
	chmod 755 hello
	run -0 spawn -x hello
	[ "$output" = here ]
	run -127 --separate-stderr spawn hello
	[ "$stderr" = "spawn: hello: No such file or directory" ]
	run -127 --separate-stderr spawn -x true
	[ "$stderr" = "spawn: true: No such file or directory" ]
	run -0 spawn -x "$(type -P true)"
}

@test "-i and -o: the child reads one file and writes another" {
	printf 'b\na\n' > in
	run -0 spawn -i in -o out sort
	[ -z "$output" ]
	[ "$(cat out)" = "$(printf 'a\nb')" ]
}

@test "-o truncates and creates with mode 0666 less the umask; -a appends" {
	echo old-and-long > out
	run -0 spawn -o out echo new
	[ "$(cat out)" = new ]
	run -0 spawn -a out echo more
	[ "$(cat out)" = "$(printf 'new\nmore')" ]
	run -0 spawn -a appended echo first
	[ "$(cat appended)" = first ]
	umask 027
	run -0 spawn -o created true
	[ "$(stat -c %a created)" = 640 ]
}

@test "-i with a missing file: the file is named, 125, nothing else opened" {
	run -125 --separate-stderr spawn -i missing -o out true
	[ "$stderr" = "spawn: missing: No such file or directory" ]
	[ ! -e out ]
}

@test "-o in a missing directory: the file is named, 125" {
	run -125 --separate-stderr spawn -o nodir/out true
	[ "$stderr" = "spawn: nodir/out: No such file or directory" ]
}

@test "-o that cannot be written, as nobody: the file is named, 125" {
	require_nobody
	touch rootonly
	chmod 644 rootonly
	run -125 --separate-stderr as_nobody spawn -o rootonly true
	[ "$stderr" = "spawn: rootonly: Permission denied" ]
}

@test "a missing command with good redirections is reported as the command" {
	run -127 --separate-stderr spawn -o out no-such-command-here
	[ "$stderr" = "spawn: no-such-command-here: No such file or directory" ]
}

@test "a missing command with a FIFO whose other end has gone: 127, no hang" {
	# The child's open found a writer (or reader), which left once the
	# child failed; trying the redirection again must not wait for a new
	# one.  timeout turns a hang into a failure.
	mkfifo in out
	timeout 20 sh -c 'echo data > in' 3>&- &
	run -127 --separate-stderr timeout 20 spawn -i in no-such-command-here
	[ "$stderr" = "spawn: no-such-command-here: No such file or directory" ]
	wait
	timeout 20 cat out > /dev/null 3>&- &
	run -127 --separate-stderr timeout 20 spawn -o out no-such-command-here
	[ "$stderr" = "spawn: no-such-command-here: No such file or directory" ]
	wait
}

@test "file and command names in messages are escaped on a terminal" {
	require_cmd script
	run -127 script -qec "spawn -i \$'in\\033[31m' true; spawn \$'no\\033[31m'" /dev/null
	[[ "$output" == *'spawn: in\033[31m: No such file or directory'* ]]
	[[ "$output" == *'spawn: no\033[31m: No such file or directory'* ]]
	[[ "$output" != *$'\033'* ]]
}

@test "-e adds and replaces variables; a later -e wins" {
	run -0 env -i A=old KEEP=yes "$(type -P spawn)" -e A=new -e B=2 -e B=3 \
	    "$(type -P env)"
	[ "$output" = "$(printf 'A=new\nKEEP=yes\nB=3')" ]
}

@test "-E starts from an empty environment" {
	run -0 spawn -E "$(type -P env)"
	[ -z "$output" ]
	run -0 spawn -E -e ONLY=1 -e 'SPACED=a b' "$(type -P env)"
	[ "$output" = "$(printf 'ONLY=1\nSPACED=a b')" ]
}

@test "-E: PATH is still searched with spawn's own PATH" {
	run -0 spawn -E env
	[ -z "$output" ]
}

@test "-e without NAME=VALUE is a usage error (125)" {
	for bad in FOO =value ''; do
		run -125 --separate-stderr spawn -e "$bad" true
		[ "${stderr_lines[0]}" = "spawn: invalid assignment '$bad': want NAME=VALUE" ]
		[[ "${stderr_lines[1]}" == "usage: spawn "* ]]
	done
}

@test "-a with -o, or no command: usage errors (125)" {
	run -125 --separate-stderr spawn -a x -o y true
	[ "${stderr_lines[0]}" = "spawn: only one output file: -a or -o, once" ]
	[ ! -e x ] && [ ! -e y ]
	run -125 --separate-stderr spawn -n
	[ "${stderr_lines[0]}" = "spawn: missing command" ]
}

@test "--setsid: the child leads a new session and group, with no terminal" {
	require_cmd showids
	run -0 spawn --setsid showids -j
	pid=$(jq .pid <<<"$output")
	[ "$(jq .sid <<<"$output")" -eq "$pid" ]
	[ "$(jq .pgid <<<"$output")" -eq "$pid" ]
	[ "$(jq .tty <<<"$output")" = null ]
}

@test "--setpgroup: the child leads a new group in the caller's session" {
	require_cmd showids
	sid=$(showids -j | jq .sid)
	run -0 spawn --setpgroup showids -j
	pid=$(jq .pid <<<"$output")
	[ "$(jq .pgid <<<"$output")" -eq "$pid" ]
	[ "$(jq .sid <<<"$output")" -eq "$sid" ]
	# Without it, the child stays in spawn's group.
	run -0 spawn showids -j
	[ "$(jq .pgid <<<"$output")" -ne "$(jq .pid <<<"$output")" ]
}

@test "-n prints the pid of a child still running and exits 0 at once" {
	mkfifo hold
	# The child blocks opening the FIFO until the test writes to it, so
	# spawn cannot have waited for it.  Its stdout and stderr are not
	# the pipe the shell reads spawn's output from.
	pid=$(spawn -n -o /dev/null cat hold 2>/dev/null)
	[[ "$pid" =~ ^[0-9]+$ ]]
	[ "$(cat "/proc/$pid/comm")" = cat ]
	state=$(awk '{ print $3 }' "/proc/$pid/stat")
	[ "$state" != Z ]
	: > hold
}

@test "-n --setsid: the detached child has a session of its own" {
	mkfifo hold
	pid=$(spawn -n --setsid -o /dev/null cat hold 2>/dev/null)
	[ "$(awk '{ print $6 }' "/proc/$pid/stat")" -eq "$pid" ]
	: > hold
}

@test "signals the caller ignores are at their default action in the child" {
	run -0 bash -c "trap '' INT TERM; grep ^SigIgn: /proc/self/status"
	[ "$(sigbit "$(sigset_of SigIgn <<<"$output")" 2)" -eq 1 ]	# the control
	run -0 bash -c "trap '' INT TERM; spawn grep ^SigIgn: /proc/self/status"
	ign=$(sigset_of SigIgn <<<"$output")
	[ "$(sigbit "$ign" 2)" -eq 0 ]
	[ "$(sigbit "$ign" 15)" -eq 0 ]
}

@test "signals the caller blocks are unblocked in the child" {
	require_cmd python3
	prog='import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGTERM})
os.execvp(sys.argv[1], sys.argv[1:])'
	run -0 python3 -c "$prog" grep ^SigBlk: /proc/self/status
	[ "$(sigbit "$(sigset_of SigBlk <<<"$output")" 10)" -eq 1 ]	# the control
	run -0 python3 -c "$prog" spawn grep ^SigBlk: /proc/self/status
	[ "$(sigset_of SigBlk <<<"$output")" = 0000000000000000 ]
}

@test "with SIGCHLD ignored by the caller, the child's status is still collected" {
	run -3 --separate-stderr bash -c "trap '' CHLD; spawn sh -c 'exit 3'"
	[ -z "$stderr" ]
	run -0 bash -c "trap '' CHLD; spawn sh -c 'exit 0'"
	# The child still gets SIGCHLD at its default.
	run -0 bash -c "trap '' CHLD; spawn grep ^SigIgn: /proc/self/status"
	[ "$(sigbit "$(sigset_of SigIgn <<<"$output")" 17)" -eq 0 ]
}

@test "while waiting, spawn ignores SIGINT and SIGQUIT, as system(3) does" {
	run -5 spawn sh -c 'kill -INT $PPID; kill -QUIT $PPID; exit 5'
}

@test "with --setpgroup, a SIGINT to spawn is not ignored" {
	run -130 spawn --setpgroup sh -c 'kill -INT $PPID'
}

@test "a child killed by SIGINT while spawn ignores it: spawn dies of SIGINT too" {
	require_cmd python3
	# A shell sees the difference only as "killed", not "exited 130":
	# Python's returncode shows it.
	run -0 python3 -c 'import subprocess, sys
r = subprocess.run(["spawn", "sh", "-c", "kill -INT $$"]).returncode
q = subprocess.run(["spawn", "sh", "-c", "kill -TERM $$"]).returncode
print(r, q)'
	[ "$output" = "-2 143" ]
}

@test "--setpgroup: a child stopped for reading the terminal is reported" {
	require_cmd script
	mkfifo out
	# The child's group is not the terminal's foreground group, so its
	# read stops it with SIGTTIN.  spawn's report is the synchronisation.
	script -qec "spawn --setpgroup sh -c 'read x'" /dev/null >out 2>&1 &
	pid=$!
	exec {fd}<out	# not 3: bats reports on it
	# -t: a broken spawn would wait in silence; fail rather than hang.
	IFS= read -t 60 -r line <&"$fd" || true
	[[ "$line" =~ ^spawn:\ child\ ([0-9]+)\ stopped\ by\ SIGTTIN\;\ still\ waiting ]] ||
		{ echo "$line"; kill -KILL "$pid"; false; }
	kill -KILL "${BASH_REMATCH[1]}"
	rc=0
	wait "$pid" || rc=$?
	exec {fd}<&-
	[ "$rc" -eq 137 ]	# script -e: spawn's status, the child's
}
