#!/usr/bin/env bats
# waitall: commands run side by side, collected with each wait call, with
# a limit, -k, signals passed on, and nothing left behind.
#
# Commands that must stay running block opening a FIFO ("cat hold") until
# the test writes to it; commands say they have started by writing a line
# to the FIFO "ready", which the test holds open on descriptor 5.  No test
# waits a length of time.  A waitall run in the background does not get
# bats's descriptor 3, so that a failing test cannot hang the suite.

load helpers

# Open the FIFO "ready" read-write: writers never block and the test
# never sees an end of file.
open_ready() {
	mkfifo ready
	exec 5<>ready
}

# Read one line from "ready"; fail after a generous delay rather than hang.
await_ready() {
	read -r -t 60 -u 5 line && printf '%s\n' "$line"
}

# One JSON field of each record, on one line each: fields .status .command
fields() {
	jq -c "[$1]"
}

@test "the report: pid, how it ended, times, max RSS, the command" {
	run -1 waitall -c wait4 true 'exit 3'
	[ "${#lines[@]}" -eq 2 ]
	re_times='real +[0-9]+\.[0-9]{3}s  user +[0-9]+\.[0-9]{3}s  sys +[0-9]+\.[0-9]{3}s  maxrss +[0-9]+k'
	[[ "${lines[0]}" =~ ^\ *[0-9]+\ \ exited\ 0\ +$re_times\ \ true$ ]]
	[[ "${lines[1]}" =~ ^\ *[0-9]+\ \ exited\ 3\ +$re_times\ \ exit\ 3$ ]]
	# waitpid gives no resource usage: only the real time.
	run -1 waitall -o true 'exit 3'
	[[ "${lines[0]}" =~ ^\ *[0-9]+\ \ exited\ 0\ +real\ +[0-9]+\.[0-9]{3}s\ \ true$ ]]
}

@test "mixed exits and signals are reported as they ended" {
	run -1 waitall -j -o true 'exit 3' 'kill -KILL $$' 'kill -TERM $$'
	[ "$(fields '.status, .exit_status, .signal, .command' <<<"$output")" = \
'["exited 0",0,null,"true"]
["exited 3",3,null,"exit 3"]
["killed by SIGKILL",null,"SIGKILL","kill -KILL $$"]
["killed by SIGTERM",null,"SIGTERM","kill -TERM $$"]' ]
}

@test "a core dump is reported" {
	[ "$(cat /proc/sys/kernel/core_pattern)" = core ] ||
		skip "core_pattern is not 'core': cores may not be written here"
	# AddressSanitizer sets the core size limit to 0, for the children too.
	[ "$(bash -c 'ulimit -c unlimited; waitall "ulimit -c"' | head -n 1)" = unlimited ] ||
		skip "waitall runs with core dumps disabled (a sanitizer build)"
	run -1 bash -c 'ulimit -c unlimited; waitall -j "kill -QUIT \$\$"'
	[ "$(fields '.status, .core_dumped' <<<"$output")" = '["killed by SIGQUIT (core dumped)",true]' ]
	run -1 bash -c 'ulimit -c 0; waitall -j "kill -QUIT \$\$"'
	[ "$(fields '.status, .core_dumped' <<<"$output")" = '["killed by SIGQUIT",false]' ]
}

@test "all exited 0: exit 0" {
	run -0 waitall -j true 'exit 0' ': nothing'
	[ "${#lines[@]}" -eq 3 ]
}

@test "-c wait and waitpid give no resource usage; wait3 and wait4 do" {
	for c in wait waitpid wait3 wait4; do
		run -1 waitall -j -c "$c" true 'exit 2'
		[ "${#lines[@]}" -eq 2 ] || { echo "$c: $output"; false; }
		[ "$(jq -s -c 'map(.status) | sort' <<<"$output")" = '["exited 0","exited 2"]' ]
		case $c in
		wait|waitpid) want='[null,null,null]' ;;
		*) want='["number","number","number"]' ;;
		esac
		got=$(jq -c '[.user_sec, .sys_sec, .max_rss_kb] | map(if . == null then null else type end)' <<<"${lines[0]}")
		[ "$got" = "$want" ] || { echo "$c: $got"; false; }
	done
}

@test "each -c makes its own call: strace shows wait4's arguments" {
	require_cmd strace
	strace -o /dev/null true 2>/dev/null || skip "strace cannot trace here"
	wa=$(type -P waitall)
	# LeakSanitizer cannot run under ptrace.
	export ASAN_OPTIONS=detect_leaks=0
	run -0 strace -e trace=wait4,waitid -o trace "$wa" -c wait true
	grep -Eq '^waitid\(P_ALL, 0, .*WNOWAIT' trace
	grep -Eq '^wait4\(-1, .*, 0, NULL\) = [0-9]+' trace
	run -0 strace -e trace=wait4 -o trace "$wa" -c waitpid true
	grep -Eq '^wait4\([0-9]+, .*, WNOHANG, NULL\) = [0-9]+' trace
	run -0 strace -e trace=wait4 -o trace "$wa" -c wait3 true
	grep -Eq '^wait4\(-1, .*, WNOHANG, \{ru_utime=.*\) = [0-9]+' trace
	run -0 strace -e trace=wait4 -o trace "$wa" -c wait4 true
	grep -Eq '^wait4\([0-9]+, .*, WNOHANG, \{ru_utime=.*\) = [0-9]+' trace
}

@test "any child (the default): the command that ends first is reported first" {
	mkfifo hold out
	waitall -j 'cat hold' true > out 3>&- &
	wpid=$!
	exec 6<out
	read -r -t 60 -u 6 first
	[ "$(fields .command <<<"$first")" = '["true"]' ]
	: > hold
	read -r -t 60 -u 6 second
	[ "$(fields '.status, .command' <<<"$second")" = '["exited 0","cat hold"]' ]
	wait "$wpid"
}

@test "-o, -c waitpid, -c wait4: reported in start order" {
	for opt in -o '-c waitpid' '-c wait4' '-o -c wait4'; do
		open_ready
		mkfifo hold
		waitall -j $opt 'cat hold' 'echo second > ready' > out 3>&- &
		wpid=$!
		await_ready	# the second command has run
		: > hold
		wait "$wpid"
		[ "$(fields .command < out)" = "$(printf '%s\n' '["cat hold"]' '["echo second > ready"]')" ] ||
			{ echo "$opt"; cat out; false; }
		exec 5<&-
		rm ready hold out
	done
}

@test "-P 2: a third command starts only when one of the first two has ended" {
	open_ready
	mkfifo holdA holdB
	waitall -P 2 \
	    'echo +A >> log; echo A > ready; cat holdA; echo -A >> log' \
	    'echo +B >> log; echo B > ready; cat holdB; echo -B >> log' \
	    'echo +C >> log; echo C > ready' > out 3>&- &
	wpid=$!
	await_ready >/dev/null
	await_ready >/dev/null
	# Both first commands run; C must not have started.
	run -0 sort log
	[ "$output" = "$(printf '+A\n+B')" ]
	: > holdA
	[ "$(await_ready)" = C ]
	: > holdB
	wait "$wpid"
	[ "$(grep -n -e -A -e +C log | cut -d: -f2 | tr '\n' ' ')" = "-A +C " ]
}

@test "-P 2 over 12 commands: never more than 2 at a time" {
	for i in $(seq 12); do
		echo 'echo + >> log; cat /dev/null; echo - >> log'
	done > list
	run -0 waitall -P 2 -f list
	[ "${#lines[@]}" -eq 12 ]
	max=$(awk '/\+/ { if (++n > max) max = n } /-/ { n-- } END { print max }' log)
	[ "$max" -le 2 ]
	[ "$(wc -l < log)" -eq 24 ]
}

@test "-k: the first failure sends SIGTERM to the rest" {
	mkfifo hold
	run -1 waitall -j -k 'cat hold' false
	[ "$(fields '.status, .command' <<<"$output")" = \
'["exited 1","false"]
["killed by SIGTERM","cat hold"]' ]
}

@test "-k: after a failure no more commands start; without -k they do" {
	run -1 waitall -k -P 1 false 'touch started'
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e started ]
	run -1 waitall -P 1 false 'touch started'
	[ "${#lines[@]}" -eq 2 ]
	[ -e started ]
}

@test "SIGTERM to waitall reaches the children; it reports them and dies by it" {
	open_ready
	mkfifo hold
	waitall -j 'echo up > ready; exec cat hold' 'echo up > ready; exec cat hold' > out 3>&- &
	wpid=$!
	await_ready
	await_ready
	kill -TERM "$wpid"
	rc=0; wait "$wpid" || rc=$?
	[ "$rc" -eq 143 ]
	[ "$(fields .status < out)" = "$(printf '%s\n' '["killed by SIGTERM"]' '["killed by SIGTERM"]')" ]
}

@test "SIGHUP to waitall reaches the children, and no more are started" {
	open_ready
	mkfifo hold
	waitall -j -P 1 'echo up > ready; exec cat hold' 'touch not-started' > out 3>&- &
	wpid=$!
	await_ready
	kill -HUP "$wpid"
	rc=0; wait "$wpid" || rc=$?
	[ "$rc" -eq 129 ]
	[ "$(fields .status < out)" = '["killed by SIGHUP"]' ]
	[ ! -e not-started ]
}

@test "a signal that comes while a long list is being started stops the starts" {
	# The list is readable all along, which is when a pending signal used
	# to wait for the end of it.  The first command signals waitall and
	# then notes the time (ignoring the SIGTERM waitall passes on to it);
	# after that at most the one command being started then may start.
	{
		echo 'trap "" TERM; kill -TERM $PPID; date +%s.%N >signalled'
		for i in $(seq 2 300); do
			echo ": $i $(printf '%01000d' 0)"
		done
	} >list
	run -143 --separate-stderr waitall -j -f list
	[ -s signalled ]
	late=$(jq --argjson t "$(cat signalled)" 'select(.start_sec > $t) | .pid' <<<"$output" | wc -l)
	[ "$late" -le 1 ] || { echo "$late commands started after the signal"; false; }
}

@test "a signal ignored when waitall starts stays ignored" {
	open_ready
	mkfifo hold
	(trap '' HUP; exec waitall -j 'echo up > ready; exec cat hold') > out 3>&- &
	wpid=$!
	await_ready
	kill -HUP "$wpid"
	: > hold
	rc=0; wait "$wpid" || rc=$?
	[ "$rc" -eq 0 ]
	[ "$(fields .status < out)" = '["exited 0"]' ]
}

@test "SIGCHLD blocked by the caller: waitall still wakes when a child ends" {
	require_cmd python3
	open_ready
	mkfifo hold
	timeout 20 python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
os.execvp(sys.argv[1], sys.argv[1:])' waitall -j 'echo up > ready; exec cat hold' > out 3>&- &
	wpid=$!
	await_ready
	: > hold
	rc=0; wait "$wpid" || rc=$?
	[ "$rc" -eq 0 ]
	[ "$(fields '.status, .command' < out)" = '["exited 0","echo up > ready; exec cat hold"]' ]
}

@test "nothing is left behind: no zombie, no running child, after -k or a signal" {
	require_cmd python3
	cat > reaper.py <<'EOF'
import ctypes, os, subprocess, sys
# Become the subreaper: whatever waitall leaves behind is adopted here.
if ctypes.CDLL(None).prctl(36, 1, 0, 0, 0) != 0:
    sys.exit("prctl failed")
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
try:
    left = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG)
    print(rc, "zombie left" if left else "child left running")
except ChildProcessError:
    print(rc, "nothing left")
EOF
	mkfifo hold
	run -0 python3 reaper.py waitall -k 'cat hold' 'cat hold' false
	[ "$output" = "1 nothing left" ]
	run -0 python3 reaper.py waitall 'kill -TERM $PPID; exec cat hold' 'cat hold'
	[ "$output" = "-15 nothing left" ]
}

@test "a reported child has been collected: no zombie while others run" {
	mkfifo hold out
	waitall true true 'cat hold' > out 3>&- &
	wpid=$!
	exec 6<out
	read -r -t 60 -u 6 a
	read -r -t 60 -u 6 b
	# The two reported are gone; the one left runs.
	run -0 ps -o stat= --ppid "$wpid"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" != Z* ]]
	: > hold
	wait "$wpid"
}

@test "1000 commands, 2 at a time, from standard input" {
	run -0 bash -c 'yes true | head -n 1000 | waitall -P 2 -f -'
	[ "${#lines[@]}" -eq 1000 ]
	[ "$(grep -c '  exited 0  ' <<<"$output")" -eq 1000 ]
}

@test "children get no descriptor waitall opened; with -f -, stdin is /dev/null" {
	printf 'ls /proc/self/fd\n' > list
	direct=$(ls /proc/self/fd)
	run -0 waitall -f list
	[ "$(grep -v '  exited ' <<<"$output")" = "$direct" ]
	run -0 bash -c 'echo "readlink /proc/self/fd/0" | waitall -f -'
	[ "${lines[0]}" = /dev/null ]
}

@test "-f: blank lines are skipped; a last line without newline runs" {
	printf 'true\n\n \t \necho last' > list
	run -0 waitall -j -P 1 -f list
	[ "${#lines[@]}" -eq 3 ]
	[ "$(fields .command <<<"${lines[0]}")" = '["true"]' ]
	[ "${lines[1]}" = last ]
	[ "$(fields .command <<<"${lines[2]}")" = '["echo last"]' ]
}

@test "a command without shell syntax is the process reported: no shell between" {
	run -0 waitall -j 'head -n 1 /proc/self/stat'
	pid=$(jq .pid <<<"${lines[1]}")
	[[ "${lines[0]}" == "$pid (head) "* ]]
	run -0 waitall -j 'head -n 1 /proc/self/stat; :'
	pid=$(jq .pid <<<"${lines[1]}")
	[[ "${lines[0]}" != "$pid "* ]]
}

@test "out of processes: the direct spawn's error, with no shell tried" {
	require_nobody
	# RLIMIT_NPROC counts nobody's processes: waitall itself is the one.
	# LeakSanitizer, in a sanitizer build, needs a thread: none to be had.
	run --separate-stderr as_nobody env ASAN_OPTIONS=detect_leaks=0 \
	    bash -c 'ulimit -u 1 && exec waitall true'
	[ "$status" -eq 1 ]
	[ "$stderr" = "waitall: true: posix_spawnp: Resource temporarily unavailable" ]
}

@test "a missing command is reported by the shell: exited 127" {
	run -1 --separate-stderr waitall -j no-such-command-here
	[ "$(fields .status <<<"$output")" = '["exited 127"]' ]
	[[ "$stderr" == *no-such-command-here* ]]
}

@test "a command that starts with '-' or '+' is a command for the shell, not an option" {
	run -1 --separate-stderr waitall -j -P 1 -- '-x; echo hi' '+x'
	[ "${lines[0]}" = hi ]
	[ "$(fields '.status, .command' <<<"${lines[1]}")" = '["exited 0","-x; echo hi"]' ]
	[ "$(fields '.status, .command' <<<"${lines[2]}")" = '["exited 127","+x"]' ]
}

@test "a script without #! runs through the shell" {
	printf 'echo from-script\n' > script
	chmod 755 script
	run -0 waitall ./script
	[ "${lines[0]}" = from-script ]
}

@test "-j: the documented members, start as ISO 8601 and seconds" {
	run -0 waitall -j true
	[ "$(jq -c 'keys_unsorted' <<<"$output")" = \
'["pid","status","exit_status","signal","core_dumped","start","start_sec","real_sec","user_sec","sys_sec","max_rss_kb","command"]' ]
	[[ "$(jq -r .start <<<"$output")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{9}Z$ ]]
}

@test "a command with control characters: as it is into a pipe, escaped on a terminal" {
	run -0 waitall $'true \001'
	[[ "$output" == *$'  true \001' ]]
	require_cmd script
	run -0 script -qec "waitall \$'true \\001'" /dev/null
	[[ "$output" == *'  true \001'* ]]
}

@test "the name of -f in a message is escaped on a terminal" {
	require_cmd script
	run -2 script -qec "waitall -f \$'list\\033[31m'" /dev/null
	[[ "$output" == *'waitall: list\033[31m: No such file or directory'* ]]
	[[ "$output" != *$'\033'* ]]
}

@test "usage errors exit 2 and run nothing" {
	for args in "" "-f list true" "-o -c wait true" "-o -c wait3 true" \
	    "-c bogus true" "-P -1 true" "-P x true"; do
		run -2 --separate-stderr waitall $args
		[ -z "$output" ] || { echo "$args: $output"; false; }
		[[ "${stderr_lines[-1]}" == *"waitall "* ]]
	done
	run -2 --separate-stderr waitall -c bogus true
	[ "${stderr_lines[0]}" = "waitall: invalid call 'bogus': want wait, waitpid, wait3 or wait4" ]
	run -2 --separate-stderr waitall -f missing
	[ "$stderr" = "waitall: missing: No such file or directory" ]
}
