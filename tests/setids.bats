#!/usr/bin/env bats
# setids: the ids a command runs with, read back with id(1) and
# /proc/self/status; the demonstration's blocks; the refusals.

load helpers

# The Uid, Gid and Groups lines of /proc/self/status, blanks squeezed.
IDLINES='awk "/^(Uid|Gid|Groups):/ { \$1 = \$1; print }" /proc/self/status'

# The value of one labelled line in one block of the demonstration.
block_field() {
	awk -v b="== $1" -v k="$2" '
		/^== / { inblock = ($0 == b) }
		inblock && $1 == k { print $2 }'
}

TIOCSTI_PY='
import fcntl, termios
try:
    fcntl.ioctl(0, termios.TIOCSTI, b"#")
    print("pushed")
except OSError as e:
    print("refused", e.errno)
'

# What TIOCSTI answers a process on its controlling terminal: since Linux
# 6.2, dev.tty.legacy_tiocsti=0 refuses it to all but CAP_SYS_ADMIN (EIO).
tiocsti_on_own_tty() {
	if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null)" = 0 ]; then
		echo "refused 5"
	else
		echo pushed
	fi
}

WARNING="setids: warning: the command keeps the controlling terminal, through which it can type into the caller's shell (TIOCSTI); -s runs it without one"

@test "root to nobody: id and every field of /proc/self/status are nobody's, group 0 is gone" {
	require_nobody
	run --separate-stderr setpriv --groups=0,4 setids -u nobody \
	    sh -c "id -u; id -g; id -G; $IDLINES"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "65534
65534
65534
Uid: 65534 65534 65534 65534
Gid: 65534 65534 65534 65534
Groups: 65534" ]
}

@test "the calls come in order: setgroups, setresgid, setresuid, then the checks" {
	require_root
	require_cmd strace
	strace -o /dev/null true 2>/dev/null || skip "strace cannot trace here"
	run -0 strace -qq -o trace -e trace=setgroups,setresgid,setresuid,setuid,setgid \
	    setids -u nobody true
	run -0 sed 's/ *= .*//' trace
	[ "$output" = "setgroups(1, [65534])
setresgid(65534, 65534, 65534)
setresuid(65534, 65534, 65534)
setuid(0)
setgid(0)" ]
}

@test "without a command: before, after group change, after user change" {
	require_root
	run --separate-stderr setids -u nobody
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(grep '^== ' <<<"$output")" = "== before
== after group change
== after user change" ]
	[ "$(block_field before euid <<<"$output")" = "0(root)" ]
	[ "$(block_field "after group change" euid <<<"$output")" = "0(root)" ]
	[ "$(block_field "after group change" rgid <<<"$output")" = "65534(nogroup)" ] ||
		[ "$(block_field "after group change" rgid <<<"$output")" = "65534(nobody)" ]
	for k in euid ruid suid fsuid; do
		[ "$(block_field "after user change" "$k" <<<"$output")" = "65534(nobody)" ]
	done
}

@test "each block has the fields and format of showids" {
	require_root
	want=$(showids | grep -Ev '^(pid|ppid) ')
	run -0 setids -g 0
	[ "$(awk '/^== after group change/ { on = 1; next } on' <<<"$output" |
	    grep -Ev '^(pid|ppid) ')" = "$want" ]
}

@test "no option: one block, the ids as they are" {
	run -0 setids
	[ "$(grep -c '^== ' <<<"$output")" -eq 1 ]
	[ "${lines[0]}" = "== before" ]
	[ "$(block_field before euid <<<"$output")" = "$(showids | awk '$1 == "euid" { print $2 }')" ]
}

@test "-j: one JSON object per block, with its step" {
	require_root
	run -0 setids -j -u nobody
	[ "$(jq -c '[.step, .euid, .egid]' <<<"$output")" = '["before",0,0]
["after group change",0,65534]
["after user change",65534,65534]' ]
}

@test "-e: the effective ids change, the real and saved ones stay root's" {
	require_root
	# LeakSanitizer cannot inspect a process whose ids differ: off here.
	run -0 env ASAN_OPTIONS=detect_leaks=0 setids -j -e -u nobody
	[ "$(tail -1 <<<"$output" | jq -c '[.ruid, .euid, .suid, .rgid, .egid, .sgid]')" = \
	    '[0,65534,0,0,65534,0]' ]
}

@test "-e with a command: execve copies the effective id into the saved one, the real stays 0" {
	require_root
	# Not through sh, which resets its ids to the real ones.
	run -0 setids -e -u nobody awk '/^(Uid|Gid):/ { $1 = $1; print }' /proc/self/status
	[ "$output" = "Uid: 0 65534 65534 65534
Gid: 0 65534 65534 65534" ]
}

@test "-G: exactly the groups listed, by name or number, duplicates once" {
	require_root
	run -0 setids -G 5,sys,5 -u nobody awk '/^Groups:/ { $1 = $1; print }' /proc/self/status
	[ "$output" = "Groups: 3 5" ]
}

@test "-C: no supplementary groups at all" {
	require_root
	run -0 setpriv --groups=0,4 setids -C -u nobody awk '/^Groups:/ { $1 = $1; print }' /proc/self/status
	[ "$output" = "Groups:" ]
}

@test "-u USER:GROUP and -g choose the group; the supplementary groups follow it" {
	require_root
	run -0 setids -u nobody:sys id
	[ "$output" = "uid=65534(nobody) gid=3(sys) groups=3(sys)" ]
	run -0 setids -u nobody -g 3 id
	[ "$output" = "uid=65534(nobody) gid=3(sys) groups=3(sys)" ]
}

@test "-g alone changes the group and keeps the user and groups" {
	require_root
	run -0 setpriv --groups=4 setids -g sys sh -c "$IDLINES"
	[ "$output" = "Uid: 0 0 0 0
Gid: 3 3 3 3
Groups: 4" ]
}

@test "a user id with no passwd entry: its own number as group, HOME=/" {
	require_root
	run -0 setids -u 54321 sh -c 'id; echo "$HOME"'
	[ "$output" = "uid=54321 gid=54321 groups=54321
/" ]
}

@test "HOME follows the user; the rest of the environment is kept" {
	require_root
	run -0 env HOME=/root FOO=bar setids -u nobody sh -c 'echo "$HOME $FOO"'
	[ "$output" = "/nonexistent bar" ]
}

@test "the command's exit status is setids's" {
	require_root
	run setids -u nobody sh -c 'exit 3'
	[ "$status" -eq 3 ]
}

@test "unprivileged without a command: the first block, then the EPERM of the first call" {
	require_nobody
	run --separate-stderr as_nobody setids -u root
	[ "$status" -eq 1 ]
	[ "$(grep '^== ' <<<"$output")" = "== before" ]
	[ "$(block_field before euid <<<"$output")" = "65534(nobody)" ]
	[ "$stderr" = "setids: setgroups(0): Operation not permitted" ]
}

@test "unprivileged with a command: EPERM, exit 125, the command does not run" {
	require_nobody
	chmod 1777 "$SCRATCH"
	as_nobody touch control	# nobody could have made the file
	[ -f control ]
	run --separate-stderr as_nobody setids -g 0 touch made
	[ "$status" -eq 125 ]
	[ "$stderr" = "setids: setresgid(0): Operation not permitted" ]
	[ ! -e made ]
	run --separate-stderr as_nobody setids -e -g 0 touch made
	[ "$status" -eq 125 ]
	[ "$stderr" = "setids: setegid(0): Operation not permitted" ]
	[ ! -e made ]
}

@test "unprivileged, asking for the groups it already has: no setgroups, no error" {
	require_nobody
	run --separate-stderr as_nobody setids -C -g 65534 -u 65534 id
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "$(as_nobody id)" ]
}

@test "after a permanent change there is no way back to root" {
	require_root
	run --separate-stderr setids -u nobody setids -u root true
	[ "$status" -eq 125 ]
	[ "$stderr" = "setids: setgroups(0): Operation not permitted" ]
	run --separate-stderr setids -u nobody setids -g 0 true
	[ "$status" -eq 125 ]
	[ "$stderr" = "setids: setresgid(0): Operation not permitted" ]
}

@test "refuses to run the command if setuid(0) still succeeds after the change" {
	require_nobody
	run --separate-stderr setpriv --securebits=+no_setuid_fixup setids -u nobody touch made
	[ "$status" -eq 125 ]
	[ "$stderr" = "setids: setuid(0) still succeeds after the change: refusing to go on" ]
	[ ! -e made ]
	run --separate-stderr setpriv --securebits=+no_setuid_fixup setids -u nobody
	[ "$status" -eq 1 ]
	[ "$(grep -c '^== ' <<<"$output")" -eq 2 ]
}

@test "refuses the command when ambient capabilities outlive the change" {
	require_nobody
	# A user that is not root keeps its ambient capabilities across
	# setresuid: the command could change ids at will.
	chmod 1777 "$SCRATCH"	# nobody could have made the file
	run --separate-stderr setpriv --reuid=54321 --regid=54321 --clear-groups \
	    --inh-caps=+setuid,+setgid --ambient-caps=+setuid,+setgid \
	    setids -u nobody touch made
	[ "$status" -eq 125 ]
	[ "$stderr" = "setids: setuid(54321) still succeeds after the change: refusing to go on" ]
	[ ! -e made ]
}

@test "a check that fails for another reason than EPERM proves nothing: refused" {
	require_root
	require_cmd strace
	strace -o /dev/null true 2>/dev/null || skip "strace cannot trace here"
	# The kernel allocates the new credentials before it checks the
	# privilege: ENOMEM says nothing about whether setuid(0) is allowed.
	for call in setuid setgid; do
		run --separate-stderr env ASAN_OPTIONS=detect_leaks=0 \
		    strace -qq -o /dev/null -e inject=$call:error=ENOMEM \
		    setids -u nobody touch made
		[ "$status" -eq 125 ]
		[ "$stderr" = "setids: $call(0): Cannot allocate memory" ]
		[ ! -e made ]
	done
}

@test "a set-user-ID or set-group-ID copy refuses to run" {
	require_nobody
	[[ ",$(findmnt -no OPTIONS -T .)," != *,nosuid,* ]] ||
		skip "the scratch directory is on a nosuid mount"
	chmod 1777 "$SCRATCH"
	cp "$(command -v setids)" ./setids-suid
	chmod 4755 ./setids-suid
	msg="setids-suid: refusing to run set-user-ID or set-group-ID: it would let any user take any identity"
	run --separate-stderr as_nobody ./setids-suid -u root touch made
	[ "$status" -eq 125 ]
	[ "$stderr" = "$msg" ]
	[ ! -e made ]
	run --separate-stderr as_nobody ./setids-suid -u root
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "$msg" ]
	# Before any output: not even --help is printed with borrowed power.
	run --separate-stderr as_nobody ./setids-suid --help
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "$msg" ]
	run --separate-stderr as_nobody ./setids-suid -u root -- id
	[ "$status" -eq 125 ]
	[ "$stderr" = "$msg" ]
	chmod 2755 ./setids-suid
	run --separate-stderr as_nobody ./setids-suid -g root touch made
	[ "$status" -eq 125 ]
	[ "$stderr" = "$msg" ]
	[ ! -e made ]
}

@test "a command not found exits 127, one that cannot be executed 126" {
	run -127 --separate-stderr setids ./no-such-command
	[ "$stderr" = "setids: ./no-such-command: No such file or directory" ]
	touch not-executable
	run --separate-stderr setids ./not-executable
	[ "$status" -eq 126 ]
	[ "$stderr" = "setids: ./not-executable: Permission denied" ]
}

@test "unknown user or group: a usage error naming it, 2 or 125 with a command" {
	run --separate-stderr setids -u no-such-user
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "setids: 'no-such-user': no such user" ]
	[[ "${stderr_lines[1]}" == "usage: setids "* ]]
	run --separate-stderr setids -g no-such-group touch made
	[ "$status" -eq 125 ]
	[ "${stderr_lines[0]}" = "setids: 'no-such-group': no such group" ]
	[ ! -e made ]
	run --separate-stderr setids -G 0,,1 true
	[ "$status" -eq 125 ]
	[ "${stderr_lines[0]}" = "setids: '': no such group" ]
	run --separate-stderr setids -u 4294967295
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "setids: '4294967295': invalid user id" ]
}

@test "options that do not go together are usage errors, before any change" {
	for args in "-C -G 0" "-s" "-u root:root -g root"; do
		run --separate-stderr setids $args
		[ "$status" -eq 2 ] || { echo "$args: $status"; false; }
		[ -z "$output" ]
	done
	run --separate-stderr setids -j true
	[ "$status" -eq 125 ]
	[ "${stderr_lines[0]}" = "setids: -j shows the steps: not with a command" ]
	run --separate-stderr setids -u
	[ "$status" -eq 125 ]
	[[ "${stderr_lines[0]}" == "setids: option requires an argument -- 'u'" ]]
}

@test "options stop at the command: its own options are its own" {
	run -0 setids echo -u -j
	[ "$output" = "-u -j" ]
}

@test "-s: the command runs in a new session, without a controlling terminal" {
	run -0 setids -s showids -j
	[ "$(jq .sid <<<"$output")" = "$(jq .pid <<<"$output")" ]
	[ "$(jq .tty <<<"$output")" = null ]
}

@test "-s when setids leads its process group: a child, its status, a clean signal mask" {
	require_cmd setsid
	run -0 setsid -w setids -s showids -j
	[ "$(jq .sid <<<"$output")" = "$(jq .pid <<<"$output")" ]
	run setsid -w setids -s sh -c 'exit 7'
	[ "$status" -eq 7 ]
	# The signals setids blocks to wait for the child are not the child's.
	want=$(setsid -w awk '/^Sig(Blk|Ign):/ { print $2 }' /proc/self/status)
	run -0 setsid -w setids -s awk '/^Sig(Blk|Ign):/ { print $2 }' /proc/self/status
	[ "$output" = "$want" ]
}

@test "-s when setids leads its process group, with SIGCHLD ignored: waits all the same" {
	require_cmd python3
	require_cmd timeout
	# The command sees the ignored SIGCHLD it was given (bit 17 of SigIgn);
	# a setids that lost its child would wait for ever, hence the timeout.
	run timeout -s KILL 20 python3 -c '
import os, signal
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.setpgid(0, 0)
os.execvp("setids", ["setids", "-s", "awk",
    "/^SigIgn:/ { exit $2 ~ /[13579bdf]....$/ ? 5 : 0 }", "/proc/self/status"])'
	[ "$status" -eq 5 ]
}

@test "-s when setids leads its process group: a signal for setids reaches the command" {
	require_cmd setsid
	run setsid -w setids -s sh -c 'kill -TERM $PPID; exec tail -f /dev/null'
	[ "$status" -eq 143 ]
}

@test "on a terminal, dropping root without -s warns, and TIOCSTI works" {
	require_nobody
	require_cmd script
	require_cmd python3
	run -0 script -qec "setids -u nobody python3 -c '$TIOCSTI_PY'" /dev/null
		# The pushed "#" is echoed by the terminal.
	[ "$(tr -d '\r#' <<<"$output")" = "$WARNING
$(tiocsti_on_own_tty)" ]
}

@test "on a terminal whose /dev/tty the new user cannot open: still the warning" {
	require_nobody
	require_cmd script
	require_cmd python3
	require_cmd unshare
	unshare -m true 2>/dev/null || skip "unshare -m is not permitted here"
	# Standard input is the terminal all the same, and TIOCSTI works on it.
	touch closed-tty
	chmod 000 closed-tty
	printf '%s\n' "$TIOCSTI_PY" >tiocsti.py
	run -0 unshare -m sh -c 'mount --bind closed-tty /dev/tty &&
	    script -qec "setids -u nobody python3 tiocsti.py" /dev/null'
	[ "$(tr -d '\r#' <<<"$output")" = "$WARNING
$(tiocsti_on_own_tty)" ]
}

@test "on a terminal, -s: no warning, and TIOCSTI is refused" {
	require_nobody
	require_cmd script
	require_cmd python3
	run -0 script -qec "setids -s -u nobody python3 -c '$TIOCSTI_PY'" /dev/null
	if [ "$(tiocsti_on_own_tty)" = pushed ]; then
		[ "$(tr -d '\r' <<<"$output")" = "refused 1" ]	# EPERM
	else
		[ "$(tr -d '\r' <<<"$output")" = "refused 5" ]
	fi
}

@test "no warning without a drop of root or without a terminal" {
	require_root
	require_cmd script
	run -0 script -qec "setids -g nogroup true; setids -e -u nobody true" /dev/null
	[ -z "$output" ]
	run --separate-stderr setids -u nobody true
	[ -z "$stderr" ]
}

@test "on a terminal, an unknown name in a usage error is escaped" {
	require_cmd script
	run -0 script -qc "setids -u $'x\e[31m'; setids -G $'0,\e[31m' true" /dev/null
	[[ "$output" == *"setids: 'x\\033[31m': no such user"* ]]
	[[ "$output" == *"setids: '\\033[31m': no such group"* ]]
	[[ "$output" != *$'\e'* ]]
}
