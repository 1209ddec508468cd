#!/usr/bin/env bats
# forkdemo: the exact event sequence of a fork, COUNT signals and a wait,
# the same on every run; exec keeps the pid; how the child ended becomes
# the exit status; write errors are reported once.

load helpers

# Replace the parent's pid with P and the child's with C, run by run (each
# run starts with the parent's "forked child" line), so that runs compare.
normalize() {
	awk '
	/^parent [0-9]+: forked child [0-9]+$/ { p = $2; sub(/:$/, "", p); c = $5 }
	{
		for (i = 1; i <= NF; i++) {
			f = $i; suf = ""
			if (f ~ /[:,]$/) {
				suf = substr(f, length(f))
				f = substr(f, 1, length(f) - 1)
			}
			if (f == p)
				$i = "P" suf
			else if (f == c)
				$i = "C" suf
		}
		print
	}'
}

# The lines of COUNT signals of one kind, sent by uid UID, pids normalised.
expected() {
	local name=$1 count=$2 uid=$3
	echo "parent P: forked child C"
	echo "child C: waiting for $name in sigsuspend"
	for ((n = 1; n <= count; n++)); do
		echo "parent P: sending $name ($n of $count) to child C"
		echo "child C: received $name ($n of $count) from pid P, uid $uid"
	done
	echo "child C: exiting with status 0"
	echo "parent P: child C exited 0"
}

@test "default: one SIGUSR1, the exact sequence of events, exit 0" {
	run -0 --separate-stderr forkdemo
	[ -z "$stderr" ]
	[ "$(normalize <<<"$output")" = "$(expected SIGUSR1 1 "$(id -u)")" ]
}

@test "-n 5: five signals, each acknowledged before the next" {
	run -0 forkdemo -n 5
	[ "${#lines[@]}" -eq 14 ]
	[ "$(normalize <<<"$output")" = "$(expected SIGUSR1 5 "$(id -u)")" ]
}

@test "the pids are real: the parent is forkdemo itself, the child another" {
	run -0 bash -c 'forkdemo & pid=$!; wait; echo "$pid"'
	read -r _ parent _ _ child <<<"${lines[0]}"
	[ "${parent%:}" = "${lines[6]}" ]
	[ "$child" != "${parent%:}" ]
	[ "${lines[3]}" = "child $child: received SIGUSR1 (1 of 1) from pid ${lines[6]}, uid $(id -u)" ]
}

@test "-s: USR2, TERM, HUP, a number, lower case, RTMIN, RTMIN+3, RTMAX" {
	local rtmin=$(($(kill -l RTMIN 2>/dev/null || echo 34)))
	for spec in USR2:SIGUSR2 TERM:SIGTERM SIGHUP:SIGHUP 12:SIGUSR2 \
	    15:SIGTERM sigusr1:SIGUSR1 RTMIN:SIGRTMIN RTMIN+3:SIGRTMIN+3 \
	    "$rtmin:SIGRTMIN" CHLD:SIGCHLD; do
		run -0 forkdemo -n 2 -s "${spec%%:*}"
		[ "$(normalize <<<"$output")" = "$(expected "${spec#*:}" 2 "$(id -u)")" ] ||
			{ echo "$spec: $output"; false; }
	done
}

@test "-s: every standard signal by the name kill -l gives it, and kill's other names" {
	for sig in $(seq 1 31); do
		# KILL cannot be caught and STOP is refused: tested below.
		[ "$sig" -eq 9 ] || [ "$sig" -eq 19 ] && continue
		name=$(kill -l "$sig")
		run -0 forkdemo -s "$sig"
		[[ "${lines[2]}" == "parent "*": sending SIG$name (1 of 1) to child "* ]] ||
			{ echo "$sig: ${lines[2]}"; false; }
		run -0 forkdemo -s "$name"
	done
	for alias in IOT:ABRT CLD:CHLD POLL:IO sigpoll:IO; do
		run -0 forkdemo -s "${alias%%:*}"
		[[ "${lines[2]}" == *": sending SIG${alias#*:} (1 of 1) to child "* ]] ||
			{ echo "$alias: ${lines[2]}"; false; }
	done
}

@test "as nobody: the child sees the sender's uid, 65534" {
	require_nobody
	run -0 as_nobody forkdemo -n 2 -s USR2
	[ "$(normalize <<<"$output")" = "$(expected SIGUSR2 2 65534)" ]
}

@test "-n 0: no signal, the child exits at once" {
	run -0 forkdemo -n 0
	[ "$(normalize <<<"$output")" = "parent P: forked child C
child C: exiting with status 0
parent P: child C exited 0" ]
}

@test "200 runs, to a pipe and to a file: the same lines every time" {
	for i in $(seq 200); do forkdemo -n 5; done | normalize >pipe.out
	for i in $(seq 200); do forkdemo -n 5 >>file.out; done
	expected SIGUSR1 5 "$(id -u)" >one
	for i in $(seq 200); do cat one; done >want
	diff want pipe.out
	normalize <file.out | diff want -
}

@test "-e: the command runs in the child, with the child's pid" {
	run -0 forkdemo -e sh -c 'echo $$'
	[ "$(normalize <<<"$output")" = "parent P: forked child C
child C: waiting for SIGUSR1 in sigsuspend
parent P: sending SIGUSR1 (1 of 1) to child C
child C: received SIGUSR1 (1 of 1) from pid P, uid $(id -u)
child C: executing sh -c echo \$\$
C
parent P: child C exited 0" ]
}

@test "-e showids -j: options after the command are the command's; pid and ppid kept" {
	run -0 forkdemo -n 0 -e showids -j
	read -r _ parent _ _ child <<<"${lines[0]}"
	[ "${lines[1]}" = "child $child: executing showids -j" ]
	[ "$(jq .pid <<<"${lines[2]}")" -eq "$child" ]
	[ "$(jq .ppid <<<"${lines[2]}")" -eq "${parent%:}" ]
}

@test "-e: the command's exit status is forkdemo's" {
	run -3 forkdemo -n 0 -e sh -c 'exit 3'
	[ "$(normalize <<<"$output" | sed -n 3p)" = "parent P: child C exited 3" ]
}

@test "-e: a command killed by a signal: 'killed by SIGTERM', exit 143" {
	run -143 forkdemo -n 0 -e sh -c 'kill -TERM $$'
	[ "$(normalize <<<"$output")" = "parent P: forked child C
child C: executing sh -c kill -TERM \$\$
parent P: child C killed by SIGTERM" ]
}

@test "-s KILL: cannot be caught; the first one kills the child, exit 137" {
	run -137 --separate-stderr forkdemo -s KILL -n 3
	[ -z "$stderr" ]
	[ "$(normalize <<<"$output")" = "parent P: forked child C
child C: waiting for SIGKILL in sigsuspend (it cannot be caught)
parent P: sending SIGKILL (1 of 3) to child C
parent P: child C killed by SIGKILL" ]
}

@test "-s STOP is a usage error: the child would stop, not report it" {
	run -2 --separate-stderr forkdemo -s STOP
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "forkdemo: SIGSTOP cannot be caught: the child would stop, not report it" ]
	[[ "${stderr_lines[1]}" == "usage: forkdemo "* ]]
}

@test "usage errors: bad signal, bad count, reserved signal, operands, -e alone; 125 with -e" {
	local want=2
	check() {
		local msg=$1; shift
		run "-$want" --separate-stderr forkdemo "$@"
		[ -z "$output" ] && [ "${stderr_lines[0]}" = "$msg" ] &&
			[[ "${stderr_lines[1]}" == "usage: forkdemo "* ]] ||
			{ echo "$*: $stderr"; false; }
	}
	check "forkdemo: invalid signal 'NOPE'" -s NOPE
	check "forkdemo: invalid signal '0'" -s 0
	check "forkdemo: invalid signal '65'" -s 65
	check "forkdemo: invalid signal 'RTMIN+99'" -s RTMIN+99
	check "forkdemo: sigaction(signal 32): Invalid argument" -s 32
	check "forkdemo: invalid count 'x': invalid" -n x
	check "forkdemo: invalid count '-1': too small" -n -1
	check "forkdemo: extra operand 'true' (a command needs -e)" true
	# With -e, the same errors exit 125, as env(1)'s do, wherever -e is.
	want=125
	check "forkdemo: -e needs a command" -e
	check "forkdemo: -e needs a command" -e --
	check "forkdemo: invalid signal 'NOPE'" -s NOPE -e true
	check "forkdemo: invalid count 'x': invalid" -e -n x true
	check "forkdemo: unrecognized option '--bogus'" --bogus -e true
}

@test "-e: a command not found exits 127, one not executable 126" {
	run -127 --separate-stderr forkdemo -n 0 -e ./nope
	[ "$stderr" = "forkdemo: ./nope: No such file or directory" ]
	[ "$(normalize <<<"$output" | sed -n 3p)" = "parent P: child C exited 127" ]
	touch f
	run -126 --separate-stderr forkdemo -n 0 -e ./f
	[ "$stderr" = "forkdemo: ./f: Permission denied" ]
	[ "$(normalize <<<"$output" | sed -n 3p)" = "parent P: child C exited 126" ]
}

@test "-e: the command gets the caller's signal mask, ignored signals and descriptors" {
	want=$(bash -c 'trap "" USR1 CHLD; grep -E "^Sig(Blk|Ign)" /proc/self/status')
	run -0 bash -c 'trap "" USR1 CHLD; forkdemo -e grep -E "^Sig(Blk|Ign)" /proc/self/status'
	[ "$(sed -n 6,7p <<<"$output")" = "$want" ]
	want=$(ls /proc/self/fd)
	run -0 forkdemo -n 0 -e ls /proc/self/fd
	[ "$(sed -n '3,$p' <<<"$output" | sed '$d')" = "$want" ]
}

@test "with SIGCHLD ignored by the caller, the child is still waited for" {
	run -0 bash -c 'trap "" CHLD; forkdemo -n 0 -e sh -c "exit 0"'
	[ "$(normalize <<<"$output" | sed -n 3p)" = "parent P: child C exited 0" ]
	run -7 bash -c 'trap "" CHLD; forkdemo -n 0 -e sh -c "exit 7"'
}

@test "-j: one JSON object per event, pids and sender consistent" {
	run -0 forkdemo -j -n 2
	[ "$(jq -r '.who + " " + .event' <<<"$output" | tr '\n' ,)" = \
	    "parent forked,child waiting,parent sending,child received,parent sending,child received,child exiting,parent reaped," ]
	parent=$(jq -s '.[0].pid' <<<"$output")
	child=$(jq -s '.[0].child_pid' <<<"$output")
	run -0 jq -c --argjson p "$parent" --argjson c "$child" --argjson u "$(id -u)" \
	    'select(.who == "child") | [.pid == $c, (.sender_pid // $p) == $p, (.sender_uid // $u) == $u]' <<<"$output"
	[ "${#lines[@]}" -eq 4 ]
	[ "$(sort -u <<<"$output")" = "[true,true,true]" ]
	run -0 bash -c 'forkdemo -j -n 2 | jq -c "del(.pid, .child_pid, .to_pid, .sender_pid, .sender_uid)"'
	[ "${lines[2]}" = '{"who":"parent","event":"sending","signal":"SIGUSR1","signo":10,"n":1,"count":2}' ]
	[ "${lines[3]}" = '{"who":"child","event":"received","signal":"SIGUSR1","signo":10,"n":1,"count":2}' ]
	[ "${lines[6]}" = '{"who":"child","event":"exiting","exit_status":0}' ]
	[ "${lines[7]}" = '{"who":"parent","event":"reaped","status":"exited 0","exit_code":0}' ]
}

@test "-j -e: the command as an array, bytes kept; a kill names the signal" {
	forkdemo -j -n 0 -e true $'a\xff\n' >out
	run -0 jq -c 'select(.event == "executing") | .command | length' out
	[ "$output" = 2 ]
	grep -qF '"command":["true","a\udcff\n"]}' out
	run -0 python3 -c 'import sys, json, os
for l in open("out"):
	e = json.loads(l)
	if e["event"] == "executing":
		sys.stdout.buffer.write(os.fsencode(e["command"][1]))'
	[ "$output" = $'a\xff' ]
	run -137 forkdemo -j -s KILL
	[ "$(jq -c '[.event, .status, .exit_code, .signal]' <<<"${lines[3]}")" = \
	    '["reaped","killed by SIGKILL",137,"SIGKILL"]' ]
}

@test "-t: a monotonic timestamp on every line, never going back" {
	run -0 forkdemo -t -n 3
	[ "${#lines[@]}" -eq 10 ]
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^[0-9]+\.[0-9]{9}\ (parent|child)\ [0-9]+:\  ]] || { echo "$l"; false; }
	done
	sort -c -n <<<"$output"
	run -0 bash -c 'forkdemo -j -t -n 3 | jq -e ".t | type == \"number\"" | sort -u'
	[ "$output" = true ]
	run -0 bash -c 'forkdemo -j -t -n 3 | jq .t | sort -c -g'
}

@test "on a terminal, control characters in the command are escaped; in a pipe they are not" {
	require_cmd script
	run -0 script -qec "forkdemo -n 0 -e true \$'a\\033b'" /dev/null
	[[ "$output" == *"executing true a\\033b"* ]]
	run -0 forkdemo -n 0 -e true $'a\033b'
	[[ "${lines[1]}" == *$'executing true a\033b' ]]
}

@test "a write error on stdout is reported once; status 1, or 125 with -e" {
	run -1 --separate-stderr bash -c 'forkdemo -n 5 >/dev/full'
	[ "$stderr" = "forkdemo: write error: No space left on device" ]
	run -125 --separate-stderr bash -c 'forkdemo -e touch ran >/dev/full'
	[ "$stderr" = "forkdemo: write error: No space left on device" ]
	[ ! -e ran ]
}

@test "a write error in the parent's or the child's line: reported once, status 1" {
	# A file size limit makes the write that crosses it fail; moving the
	# start of the output moves the failing line from process to process.
	local by_parent=0 by_child=0
	for pad in $(seq 0 45); do
		head -c "$pad" /dev/zero >out
		run --separate-stderr bash -c \
		    'trap "" XFSZ; ulimit -f 1; exec forkdemo -n 50 >>out'
		[ "$status" -eq 1 ] || { echo "pad $pad: status $status"; false; }
		[ "$stderr" = "forkdemo: write error: File too large" ] ||
			{ echo "pad $pad: $stderr"; false; }
		# The partial line left at the end of the file says who failed.
		[ -n "$(tail -c 1 out)" ] || continue	# failed at a line's start
		case $(tail -c 200 out | tr -d '\0' | sed -n '$p') in
		parent*) by_parent=$((by_parent + 1)) ;;
		child*) by_child=$((by_child + 1)) ;;
		esac
	done
	[ "$by_parent" -gt 0 ] && [ "$by_child" -gt 0 ]
}

@test "a closed pipe ends both processes quietly, leaving no child behind" {
	# cat ends only when every holder of descriptor 3 has gone, the child
	# of forkdemo included; a child left in sigsuspend would hang it.
	run -0 --separate-stderr timeout 20 bash -c \
	    '(forkdemo -n 1000000 | head -1) 3>&1 | cat'
	[[ "$output" =~ ^parent\ [0-9]+:\ forked\ child\ [0-9]+$ ]]
	[ -z "$stderr" ]
}
