#!/usr/bin/env bats
# p2open: each mode's wiring and content, the deadlock that the poll loop
# avoids, early exits, signals, background processes, labels and JSON.

load helpers

# What each of the command's descriptors 0, 1 and 2 is, one line each:
# "pipe:[INODE]" for a pipe, the path for a file.  Written to a file of
# its own, so that the report does not depend on the wiring it reports.
WIRING='for fd in 0 1 2; do echo "$fd $(readlink /proc/$$/fd/$fd)" >&3; done 3>wiring'

# The wiring with pipe inodes replaced by letters in order of appearance,
# so that "the same pipe" and "two pipes" can be told apart.
normalized_wiring() {
	awk '{
		if ($2 ~ /^pipe:/) {
			if (!($2 in seen)) seen[$2] = sprintf("pipe%c", 65 + n++)
			$2 = seen[$2]
		} else {
			sub(".*/", "", $2)
		}
		print
	}' wiring | paste -sd' '
}

@test "wiring by descriptor: which of 0, 1, 2 each mode makes a pipe" {
	touch in
	for spec in "r:0 in 1 pipeA 2 err" "w:0 pipeA 1 out 2 err" \
	    "2:0 pipeA 1 pipeB 2 err" "3:0 pipeA 1 pipeB 2 pipeC" \
	    "4:0 pipeA 1 pipeB 2 pipeB"; do
		mode=${spec%%:*}
		p2open -m "$mode" sh -c "$WIRING" <in >out 2>err ||
			{ echo "mode $mode: status $?"; false; }
		[ "$(normalized_wiring)" = "${spec#*:}" ] ||
			{ echo "mode $mode: $(normalized_wiring)"; false; }
	done
}

@test "mode r: the command's stdout is read; its stdin and stderr are ours" {
	run --separate-stderr bash -c 'echo input | p2open -m r sh -c "cat; echo err >&2"'
	[ "$status" -eq 0 ]
	[ "$output" = input ]
	[ "$stderr" = err ]
}

# The command writes back its input, "fed", then "err" on its stderr: with
# these options, p2open's stdout must hold "fed" and its stderr "err".
fed_and_err_apart() {
	run --separate-stderr p2open "$@" -s $'fed\n' sh -c 'cat; echo err >&2'
	[ "$status" -eq 0 ]
	[ "$output" = fed ]
	[ "$stderr" = err ]
}

@test "mode w: the command's stdin is fed; its stdout and stderr are ours" {
	fed_and_err_apart -m w
}

@test "mode 2: stdin fed, stdout read, stderr passes through unlabelled" {
	fed_and_err_apart -m 2
}

@test "mode 3 (default): each line labelled with its stream, nothing on our stderr" {
	run --separate-stderr p2open -s $'fed\n' sh -c 'cat; echo err >&2'
	[ "$status" -eq 0 ]
	[ "$(sort <<<"$output")" = $'stderr: err\nstdout: fed' ]
	[ -z "$stderr" ]
}

@test "mode 3 --raw: stdout to stdout, stderr to stderr, unchanged" {
	fed_and_err_apart --raw
}

@test "mode 4: stdout and stderr merged on one pipe, in the order written" {
	run --separate-stderr p2open -m 4 -s $'fed\n' sh -c 'cat; echo err >&2; echo out'
	[ "$status" -eq 0 ]
	[ "$output" = $'fed\nerr\nout' ]
	[ -z "$stderr" ]
}

@test "byte for byte: every byte value, from a file, a pipe and stdin, into a file and a pipe" {
	python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 8192)' >data
	p2open -m 2 -i data cat >out
	cmp data out
	cat data | p2open -m 2 cat | cmp - data
	p2open -m 4 cat <data | cmp - data
}

@test "output appended to a file (no splice there) and input from a device (read, not spliced)" {
	printf 'first\n' >out
	printf 'second\n' | p2open -m 2 cat >>out
	[ "$(cat out)" = $'first\nsecond' ]
	run -0 p2open -m 2 -i /dev/zero sh -c 'head -c 5000000 | wc -c'
	[ "$output" = 5000000 ]
}

@test "no deadlock: 64 MiB to stderr and stdout before reading 64 MiB of input, all bytes arrive" {
	head -c 64M /dev/urandom >in.bin
	head -c 64M /dev/urandom >out.bin
	head -c 64M /dev/urandom >err.bin
	# timeout only turns a deadlock into a failure instead of a hang.
	st=0
	timeout -k 5 60 p2open --raw -i in.bin \
	    sh -c 'cat err.bin >&2; cat out.bin; md5sum >in.sum' >got.out 2>got.err ||
		st=$?
	[ "$st" -eq 0 ]
	cmp out.bin got.out
	cmp err.bin got.err
	[ "$(cat in.sum)" = "$(md5sum <in.bin)" ]
}

@test "a command that exits without reading its input: its output and status, no SIGPIPE" {
	head -c 8M /dev/zero >big
	run --separate-stderr p2open -m 2 -i big sh -c 'head -c 10 >/dev/null; seq 100000; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = "$(seq 100000)" ]
	[ -z "$stderr" ]
	run --separate-stderr p2open -m 2 -i big sh -c 'exit 4'
	[ "$status" -eq 4 ]
	[ -z "$stderr" ]
}

@test "a command that stops reading mid-stream: EPIPE, not SIGPIPE, many times over" {
	# The race between the command's exit and p2open's next write is
	# lost most times: a p2open that SIGPIPE could kill dies in one of
	# these runs.
	head -c 8M /dev/zero >big
	for i in 1 2 3 4 5 6 7 8; do
		for input in /dev/zero big; do
			run --separate-stderr bash -c 'set -o pipefail
			    p2open -m 2 -i "$1" head -c 5000000 | wc -c' _ "$input"
			[ "$status" -eq 0 ] || { echo "$input: status $status"; false; }
			[ "$output" = 5000000 ]
			[ -z "$stderr" ]
		done
	done
}

@test "a command that closes its stdin and goes on: all its output, its status" {
	head -c 8M /dev/zero >big
	run --separate-stderr bash -c 'cat big | p2open sh -c "exec 0<&-; seq 3; echo err >&2"'
	[ "$status" -eq 0 ]
	[ "$(sort <<<"$output")" = $'stderr: err\nstdout: 1\nstdout: 2\nstdout: 3' ]
	[ -z "$stderr" ]
}

@test "a command killed by a signal: 128 + the signal number" {
	run --separate-stderr p2open -s x sh -c 'kill -TERM $$'
	[ "$status" -eq 143 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	run p2open -m 2 sh -c 'kill -KILL $$'
	[ "$status" -eq 137 ]
}

@test "the command's exit status is p2open's" {
	run p2open -s '' sh -c 'exit 42'
	[ "$status" -eq 42 ]
}

@test "empty input: the command sees end-of-file at once" {
	run -0 p2open -m 2 -s '' wc -c
	[ "$output" = 0 ]
	run -0 p2open -m 2 wc -c </dev/null
	[ "$output" = 0 ]
	touch empty
	run -0 p2open -m 2 -i empty wc -c
	[ "$output" = 0 ]
}

@test "-s feeds exactly its string, with no newline added" {
	p2open -m 2 -s $'a\nb' cat >out
	printf 'a\nb' | cmp - out
}

@test "-i FILE feeds the file; -i - is standard input" {
	printf 'from file\n' >in
	run -0 p2open -m 2 -i in cat
	[ "$output" = "from file" ]
	run -0 bash -c 'echo from stdin | p2open -m 2 -i - cat'
	[ "$output" = "from stdin" ]
}

@test "-i with a file that cannot be opened: 125, nothing run" {
	run --separate-stderr p2open -i nope sh -c 'echo ran'
	[ "$status" -eq 125 ]
	[ -z "$output" ]
	[ "$stderr" = "p2open: nope: No such file or directory" ]
}

@test "an input that cannot be read: reported, the command still runs, 125" {
	mkdir dir
	run --separate-stderr p2open -m 2 -i dir sh -c 'cat; echo ran'
	[ "$status" -eq 125 ]
	[ "$output" = ran ]
	[ "$stderr" = "p2open: dir: Is a directory" ]
}

@test "labels: a 3 MB line kept whole, an empty line, a last line without newline" {
	run -0 p2open sh -c 'head -c 3000000 /dev/zero | tr "\0" a; echo; echo; printf tail'
	[ "${#lines[@]}" -eq 3 ]
	[ "${#lines[0]}" -eq 3000008 ]
	[[ "${lines[0]}" == "stdout: aaaa"* ]]
	[ "${lines[1]}" = "stdout: " ]
	[ "${lines[2]}" = "stdout (no newline): tail" ]
}

@test "-t: each labelled line starts with the seconds since start" {
	run -0 p2open -t sh -c 'echo out; echo err >&2'
	[ "${#lines[@]}" -eq 2 ]
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^\ *[0-9]+\.[0-9]{6}\ (stdout:\ out|stderr:\ err)$ ]] ||
			{ echo "bad line: $l"; false; }
	done
	run -0 p2open -m 4 -t sh -c 'echo merged'
	[[ "$output" =~ ^\ *[0-9]+\.[0-9]{6}\ merged:\ merged$ ]]
}

# Join the "data" of each stream of JSON Lines on stdin back into bytes,
# written to files named after the streams.
reassemble() {
	PYTHONUTF8=1 python3 -c '
import json, os, sys
parts = {}
for line in sys.stdin:
    r = json.loads(line)
    assert list(r) == ["stream", "t", "data"], r
    assert isinstance(r["t"], float) and r["t"] >= 0, r
    parts.setdefault(r["stream"], []).append(os.fsencode(r["data"]))
for name, chunks in parts.items():
    open("got." + name, "wb").write(b"".join(chunks))
'
}

@test "-j: JSON Lines that parse and reassemble to the exact bytes of each stream" {
	python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 3 + b"\xff\xfe\n\xc3\xa9\xe2\x82")' >out.bin
	python3 -c 'import sys; sys.stdout.buffer.write(b"caf\xe9\n\x00\x1b[31m\n" + bytes(range(255, -1, -1)))' >err.bin
	p2open -j sh -c 'cat out.bin; cat err.bin >&2' >json
	jq -c . json >/dev/null
	reassemble <json
	cmp out.bin got.stdout
	cmp err.bin got.stderr
	p2open -j -m 4 -i out.bin cat | reassemble
	cmp out.bin got.merged
	[ "$(p2open -j -m 2 -s $'x\n' cat | jq -r .stream)" = stdout ]
}

@test "a command that is not found: 127; found but not executable: 126; nothing labelled" {
	run -127 --separate-stderr p2open ./no-such-command-here
	[ -z "$output" ]
	[ "$stderr" = "p2open: ./no-such-command-here: No such file or directory" ]
	printf 'echo hi\n' >f
	chmod 644 f
	run --separate-stderr p2open -m 4 ./f
	[ "$status" -eq 126 ]
	[ -z "$output" ]
	[ "$stderr" = "p2open: ./f: Permission denied" ]
}

@test "on a terminal, control characters in a file or command name are escaped; in a pipe they are not" {
	require_cmd script
	run -125 script -qec "p2open -i \$'in\\033[31m' cat" /dev/null
	[ "$(tr -d '\r' <<<"$output")" = 'p2open: in\033[31m: No such file or directory' ]
	run -127 script -qec "p2open \$'./cmd\\033[31m'" /dev/null
	[ "$(tr -d '\r' <<<"$output")" = 'p2open: ./cmd\033[31m: No such file or directory' ]
	run -127 --separate-stderr p2open $'./cmd\033[31m'
	[ "$stderr" = $'p2open: ./cmd\033[31m: No such file or directory' ]
}

@test "a background process holding the output open: p2open delivers the command's output and exits" {
	mkfifo ready
	# The background job writes a line, says so through the FIFO, then
	# sleeps with the output pipe open; the command waits for that, writes,
	# exits.  (The job's stderr is not the test's, which bats waits on.)
	# The sleep is not a delay anyone waits for: it only keeps the pipe
	# open, and the job is killed at the end.
	run timeout -k 5 30 p2open -m 2 sh -c '
		{ echo from-background; echo >ready; exec sleep 60 2>/dev/null; } &
		read x <ready
		echo $! >bg.pid
		seq 50000'
	kill "$(cat bg.pid)" 2>/dev/null || true
	[ "$status" -eq 0 ]
	[ "$output" = "$(echo from-background; seq 50000)" ]
}

@test "a background process reading the input: p2open stops feeding once the command exits" {
	mkfifo done
	# Endless input, read by a job the command leaves behind: p2open
	# must not feed it for ever, and the job must see end-of-file.
	run -0 timeout -k 5 20 p2open -m w -i /dev/zero sh -c \
	    '{ cat >/dev/null; echo eof >done; } </dev/stdin >/dev/null 2>&1 &'
	run -0 timeout -k 5 20 cat done
	[ "$output" = eof ]
}

# Start p2open as a coprocess running a bash that reports a trapped signal;
# once the command is running, send the signal to p2open, and check that
# the command caught it and that its status came back.  The coprocess's
# output is read through a copy of its descriptor, which bash does not
# close when it reaps the coprocess.
signal_reaches_command() {
	local sig=$1
	shift
	coproc "$@" p2open -m 2 bash -c "trap 'echo caught $sig; exit 7' $sig; echo ready; while read -r x; do :; done"
	pid=$COPROC_PID
	exec {from}<&"${COPROC[0]}"
	read -r -t 20 line <&"$from"
	[ "$line" = ready ]
	kill -"$sig" "$pid"
	read -r -t 20 line <&"$from"
	[ "$line" = "caught $sig" ]
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 7 ]
}

@test "SIGTERM to p2open is passed on to the command" {
	signal_reaches_command TERM
}

@test "SIGHUP to p2open is passed on to the command" {
	signal_reaches_command HUP
}

@test "SIGINT to p2open is passed on to the command" {
	# A background job starts with SIGINT ignored, and p2open keeps it
	# so; env gives it the default action back.
	signal_reaches_command INT env --default-signal=INT
}

# Start p2open from Python, wait for the command to say it runs, send p2open
# SIGTERM, and print how p2open ended: -15 if it died of the signal.
died_of() {
	timeout -k 5 30 python3 -c '
import signal, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE,
    stdout=subprocess.PIPE)
assert p.stdout.readline() == b"ready\n"
p.send_signal(signal.SIGTERM)
print(p.wait())' "$@"
}

@test "the command dies of the SIGTERM passed on: p2open dies of it too, not exit 143" {
	# A shell sees the difference: after a child that exits 143 it
	# goes on with the script, after one killed by a signal it stops.
	run -0 died_of p2open -m 2 sh -c 'echo ready; exec cat'
	[ "$output" = -15 ]
	# The command caught it and exited: that exit status, no signal.
	run -0 died_of p2open -m 2 bash -c 'trap "exit 7" TERM; echo ready; while read -r x; do :; done'
	[ "$output" = 7 ]
}

@test "^C at the terminal: p2open dies of SIGINT as the command does" {
	# p2open runs on a new terminal, in its foreground process group,
	# so that ^C sends SIGINT from the kernel to p2open and the command.
	# "sleep 60" only stands for a command still running when ^C comes:
	# the test waits for its "ready" line, never for time to pass.
	run -0 timeout -k 5 30 python3 -c '
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while b"ready" not in out:
    out += os.read(fd, 1024)
os.write(fd, b"\x03")
_, st = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(st))' p2open -m 2 -s '' sh -c 'echo ready; exec sleep 60'
	[ "$output" = -2 ]
}

@test "SIGTERM is passed on while p2open waits for a reader that has stalled" {
	mkfifo filled caught
	# The command fills its output pipe: once a write would block,
	# p2open has stopped reading, held writing labelled lines to its own
	# stdout, which nobody reads.  Then it waits for SIGTERM.
	cat >cmd <<-'EOF'
	trap 'echo >caught; exit 7' TERM
	python3 -c '
	import os
	os.set_blocking(1, False)
	try:
	    while True:
	        os.write(1, b"\n" * 65536)
	except BlockingIOError:
	    pass'
	echo >filled
	while read -r x; do :; done
	EOF
	# The command must catch the signal before anything reads p2open's
	# output; then the output is drained and p2open exits with 7.
	run -0 timeout -k 5 20 python3 -c '
import os, signal, subprocess, sys
r, w = os.pipe()
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=w)
os.close(w)
open("filled").read()
p.send_signal(signal.SIGTERM)
open("caught").read()
while os.read(r, 1 << 20):
    pass
print(p.wait())' p2open -t bash cmd
	[ "$output" = 7 ]
}

@test "once the command has exited, SIGTERM ends p2open even while a reader stalls" {
	mkfifo pid
	# The command writes more labelled output than the pipe to a reader
	# that never reads can take, and exits; p2open reaps it, and must no
	# longer hold SIGTERM for a command that is gone.
	run -0 timeout -k 5 20 python3 -c '
import os, signal, subprocess, sys
r, w = os.pipe()
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=w)
os.close(w)
command = int(open("pid").read())
while os.path.exists("/proc/%d" % command):
    os.sched_yield()		# until p2open has reaped it
p.send_signal(signal.SIGTERM)
print(p.wait(timeout=10))' p2open -t sh -c 'echo $$ >pid; seq 15000'
	[ "$output" = -15 ]
}

@test "started with SIGCHLD blocked: p2open still sees the exit; the command gets that mask" {
	# timeout turns the hang that this guards against into a failure.
	run --separate-stderr timeout -k 5 20 python3 -c '
import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD, signal.SIGUSR1})
os.execvp(sys.argv[1], sys.argv[1:])' p2open -m 2 grep SigBlk /proc/self/status
	[ "$status" -eq 0 ]
	# SIGUSR1 (10) and SIGCHLD (17): bits 9 and 16.
	[ "$output" = "SigBlk:	0000000000010200" ]
}

@test "a write error on stdout: reported, status 125" {
	run --separate-stderr bash -c 'p2open -m 2 -s x cat >/dev/full'
	[ "$status" -eq 125 ]
	[ "$stderr" = "p2open: write error: No space left on device" ]
	run --separate-stderr bash -c 'p2open -j -s x cat >/dev/full'
	[ "$status" -eq 125 ]
	[ "$stderr" = "p2open: write error: No space left on device" ]
}

# Run a command with its stdout made non-blocking, as an event loop
# might leave it.
nonblocking_stdout() {
	python3 -c 'import os, sys; os.set_blocking(1, False); os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

@test "a non-blocking stdout into a pipe: p2open waits for room and loses nothing" {
	seq 500000 >want
	sed 's/^/stdout: /' want >want.labelled
	nonblocking_stdout p2open -m 2 sh -c 'seq 500000' | cat >got
	cmp want got
	nonblocking_stdout p2open sh -c 'seq 500000' | cat >got
	cmp want.labelled got
}

@test "a reader that goes away: p2open ends by SIGPIPE, quietly" {
	head -c 8M /dev/zero >big
	run --separate-stderr bash -c 'p2open -m 2 -i big cat | head -c 1 >/dev/null; echo "${PIPESTATUS[0]}"'
	[ "$output" = 141 ]
	[ -z "$stderr" ]
	run --separate-stderr bash -c 'seq 1000000 | p2open cat | head -1 >/dev/null; echo "${PIPESTATUS[1]}"'
	[ "$output" = 141 ]
	[ -z "$stderr" ]
}

@test "the command inherits no descriptor of p2open's own" {
	want=$(sh -c 'ls /proc/$$/fd' </dev/null 2>&1)
	got=$(p2open -m 2 -s '' sh -c 'ls /proc/$$/fd' 2>&1)
	[ "$got" = "$want" ]
	got=$(p2open -m 4 -s '' sh -c 'ls /proc/$$/fd')
	[ "$got" = "$want" ]
}

@test "options end at the command: its own options are its own" {
	run -0 p2open -m 2 -s $'x\n' cat -A
	[ "$output" = 'x$' ]
	run -0 p2open -m 2 -s $'x\n' -- cat -n
	[[ "$output" =~ ^\ +1.x$ ]]
}

@test "usage errors: one line and the usage on stderr, 125, nothing run" {
	for args in "" "-m x true" "-m 23 true" "-s a -i b true" "-m r -s a true" \
	    "-m 2 --raw true" "--raw -j true" "-m w -j true" "-m w -t true"; do
		run --separate-stderr p2open $args
		[ "$status" -eq 125 ] || { echo "'$args': status $status"; false; }
		[ -z "$output" ]
		[ "${#stderr_lines[@]}" -eq 3 ] || { echo "'$args': $stderr"; false; }
		[[ "${stderr_lines[0]}" == "p2open: "* ]]
		[[ "${stderr_lines[1]}" == "usage: p2open "* ]]
	done
	run --separate-stderr p2open -m x true
	[ "${stderr_lines[0]}" = "p2open: invalid mode 'x': use r, w, 2, 3 or 4" ]
	run --separate-stderr p2open
	[ "${stderr_lines[0]}" = "p2open: missing command" ]
}

@test "started with stdout closed: a write error, not a hang or lost output" {
	# timeout: the old failure was a hang; fail rather than wait for ever.
	for mode in "" "-m 2" "-j"; do
		run --separate-stderr timeout 60 bash -c "exec p2open $mode -s x echo hi >&- <&-"
		[ "$status" -eq 125 ] || { echo "$mode: status $status"; false; }
		[ "$stderr" = "p2open: write error: Bad file descriptor" ] ||
			{ echo "$mode: $stderr"; false; }
	done
	# With stdin closed, -i still feeds the command its file.
	echo hello >in
	run -0 --separate-stderr bash -c 'exec p2open -i in cat <&-'
	[ "$output" = "stdout: hello" ]
}
