#!/usr/bin/env bats
# showids: the ids of this process or another, compared with id(1), ps(1)
# and /proc for the same process.

load helpers

# The value of one labelled line of the default report.
field() {
	awk -v k="$1" '$1 == k { print $2 }'
}

@test "-u -g -G -un -gn -Gn -ur -gr print exactly what id prints" {
	for opt in -u -g -G -un -gn -Gn -ur -gr; do
		want=$(id "$opt")
		run -0 showids "$opt"
		[ "$output" = "$want" ] || { echo "$opt: '$output' != '$want'"; false; }
	done
}

@test "a user operand: every user's -u -g -G -un -gn -Gn -Gz as id prints it" {
	# Every user of the machine, by name, and root and nobody by number.
	users=$(getent passwd | cut -d: -f1 | head -40)
	for user in $users 0 65534; do
		for opt in -u -g -G -un -gn -Gn -ur -gr; do
			# A group with no name makes both warn and exit 1.
			want=$(id "$opt" "$user" 2>/dev/null; echo "status $?")
			got=$(showids "$opt" "$user" 2>/dev/null; echo "status $?")
			[ "$got" = "$want" ] ||
				{ echo "$opt $user: '$got' != '$want'"; false; }
		done
		[ "$(showids -Gz "$user" | od -An -c)" = "$(id -Gz "$user" | od -An -c)" ]
	done
}

@test "a user operand: the ids at login, no process ids; -j without them" {
	run -0 showids nobody
	[ "$(field euid <<<"$output")" = "65534(nobody)" ]
	[ "$(field fsuid <<<"$output")" = "65534(nobody)" ]
	[ "$(field sgid <<<"$output")" = "$(id -g nobody)($(id -gn nobody))" ]
	[ -z "$(field pid <<<"$output")" ]
	[ -z "$(field tty <<<"$output")" ]
	run -0 showids -j root
	[ "$(jq -c '[.euid, .rgid, (.groups | map(.gid)), has("pid"), has("tty")]' <<<"$output")" = \
	    "[0,0,[$(id -G root | tr ' ' ,)],false,false]" ]
}

@test "a user that does not exist: one line, exit 1, as id" {
	run --separate-stderr showids -u no-such-user-here
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "showids: no-such-user-here: no such user" ]
	# A number with no passwd entry is no user either.
	run -1 id 4000000000
	run --separate-stderr showids 4000000000
	[ "$status" -eq 1 ]
	[ "$stderr" = "showids: 4000000000: no such user" ]
}

@test "-Gz and -uz end records with NUL bytes, as id does" {
	[ "$(showids -Gz | od -An -c)" = "$(id -Gz | od -An -c)" ]
	[ "$(showids -uz | od -An -c)" = "$(id -uz | od -An -c)" ]
}

@test "as nobody through setpriv: every id is 65534, and id agrees" {
	require_nobody
	run -0 as_nobody showids
	for k in euid ruid suid fsuid; do
		[ "$(field "$k" <<<"$output")" = "65534(nobody)" ]
	done
	[ "$(field egid <<<"$output")" = "65534(nogroup)" ] ||
		[ "$(field egid <<<"$output")" = "65534(nobody)" ]
	[ "$(field groups <<<"$output")" = "none" ]
	for opt in -u -g -G -un -Gn; do
		[ "$(as_nobody showids "$opt")" = "$(as_nobody id "$opt")" ]
	done
}

@test "setpriv with differing real and effective ids: -u and -ur tell them apart" {
	require_nobody
	run -0 setpriv --ruid=65534 --euid=0 --clear-groups showids -j
	[ "$(jq .ruid <<<"$output")" -eq 65534 ]
	[ "$(jq .euid <<<"$output")" -eq 0 ]
	[ "$(setpriv --ruid=65534 --euid=0 --clear-groups showids -ur)" = 65534 ]
	[ "$(setpriv --ruid=65534 --euid=0 --clear-groups showids -u)" = 0 ]
}

@test "process ids match the shell's view: ppid is the caller, pgid and sid as ps says" {
	run -0 bash -c 'showids; echo "shell $$"'
	shell=$(awk '$1 == "shell" { print $2 }' <<<"$output")
	[ "$(field ppid <<<"$output")" = "$shell" ]
	pid=$(field pid <<<"$output")
	[ "$pid" != "$shell" ]
	# The shell is still running while ps looks at it.
	run -0 bash -c 'showids -j -p $$; ps -o pgid=,sid=,ppid= -p $$'
	read -r pgid sid ppid <<<"$(tail -1 <<<"$output")"
	json=$(head -1 <<<"$output")
	[ "$(jq .pgid <<<"$json")" -eq "$pgid" ]
	[ "$(jq .sid <<<"$json")" -eq "$sid" ]
	[ "$(jq .ppid <<<"$json")" -eq "$ppid" ]
}

@test "-p on itself reads the same ids from /proc as the calls give" {
	# exec: the pid bash prints is the pid of the showids that reads it.
	run -0 bash -c 'echo $$; exec showids -j -p $$'
	[ "$(jq .pid <<<"${lines[1]}")" -eq "${lines[0]}" ]
	from_proc=$(jq -c 'del(.pid, .ppid, .pgid, .tpgid)' <<<"${lines[1]}")
	from_calls=$(showids -j | jq -c 'del(.pid, .ppid, .pgid, .tpgid)')
	[ "$from_proc" = "$from_calls" ]
}

@test "-p on a terminal: the terminal /proc names is the one the calls find" {
	require_cmd script
	run -0 script -qec 'bash -c "exec showids -j -p \$\$"; showids -j' /dev/null
	proc=$(tr -d '\r' <<<"${lines[0]}")
	calls=$(tr -d '\r' <<<"${lines[1]}")
	[ "$(jq -r .tty_dev <<<"$proc")" != null ]
	[ "$(jq -c '[.tty, .tty_dev, .sid]' <<<"$proc")" = \
	    "$(jq -c '[.tty, .tty_dev, .sid]' <<<"$calls")" ]
}

@test "-p 1 reports the init process" {
	[ -r /proc/1/status ] || skip "/proc/1 is not readable here"
	run -0 showids -j -p 1
	[ "$(jq .pid <<<"$output")" -eq 1 ]
	[ "$(jq .ppid <<<"$output")" -eq 0 ]
	[ "$(jq .ruid <<<"$output")" -eq "$(awk '/^Uid:/ { print $2 }' /proc/1/status)" ]
}

@test "-p with a process that does not exist: one line, exit 1" {
	pid=$(cat /proc/sys/kernel/pid_max)	# never a live pid: pids stay below it
	run --separate-stderr showids -p "$pid"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "showids: $pid: No such process" ]
}

@test "-p with a malformed pid is a usage error" {
	for bad in 0 -3 abc 99999999999; do
		run --separate-stderr showids -p "$bad"
		[ "$status" -eq 2 ] || { echo "$bad: $status"; false; }
		[[ "${stderr_lines[0]}" == "showids: invalid process id '$bad': "* ]]
	done
}

@test "no controlling terminal: tty and tpgid are none" {
	require_cmd setsid
	run -0 setsid -w showids
	[ "$(field tty <<<"$output")" = none ]
	[ "$(field tpgid <<<"$output")" = none ]
	run -0 setsid -w showids -j
	[ "$(jq .tty <<<"$output")" = null ]
}

@test "on a terminal: tty names the device that ps names" {
	require_cmd script
	run -0 script -qec 'showids -j; ps -o tty= -p $$' /dev/null
	json=$(head -1 <<<"$output" | tr -d '\r')
	tty=$(tail -1 <<<"$output" | tr -d '\r ')
	[ "$(jq -r .tty <<<"$json")" = "/dev/$tty" ]
	[ "$(jq .tpgid <<<"$json")" != null ]
}

@test "-j has every field of the report" {
	run -0 showids -j
	for k in euid ruid suid fsuid egid rgid sgid fsgid euser ruser suser \
	    fsuser egroup rgroup sgroup fsgroup groups pid ppid pgid sid tty \
	    tty_dev tpgid; do
		jq -e "has(\"$k\")" <<<"$output" >/dev/null || { echo "no $k"; false; }
	done
}

@test "a set-user-ID copy shows effective and real ids differing" {
	require_root
	cp "$(command -v showids)" ./showids-suid
	chown 65534 ./showids-suid
	chmod 4755 ./showids-suid
	require_unsanitized
	run -0 ./showids-suid -j
	[ "$(jq .ruid <<<"$output")" -eq 0 ]
	[ "$(jq .euid <<<"$output")" -eq 65534 ] || skip "set-user-ID is ignored here (nosuid mount)"
	[ "$(jq .suid <<<"$output")" -eq 65534 ]
}

@test "an id with no name: -un prints the number, warns, exits 1" {
	require_root
	run --separate-stderr setpriv --reuid=54321 --regid=54321 --clear-groups showids -un
	[ "$status" -eq 1 ]
	[ "$output" = 54321 ]
	[ "$stderr" = "showids: cannot find name for user ID 54321" ]
}

@test "options that do not go together are usage errors" {
	for args in "-u -g" "-n" "-r" "-z" "-j -u" "root root" "-p 1 root"; do
		run --separate-stderr showids $args
		[ "$status" -eq 2 ] || { echo "$args: $status"; false; }
		[ -z "$output" ]
	done
}

@test "-n on a terminal escapes a hostile name; into a pipe and with -z it is exact" {
	require_root
	require_cmd unshare
	require_cmd script
	unshare -m true 2>/dev/null || skip "unshare -m is not permitted here"
	cp /etc/group group
	printf 'ev\033]0;x\007il:x:54320:\n' >>group
	as="setpriv --regid=54320 --clear-groups showids"
	run -0 unshare -m sh -c "mount --bind group /etc/group &&
	    script -qec '$as -gn; $as -Gn' /dev/null &&
	    $as -gn | od -An -c && $as -Gzn | od -An -c"
	[ "$(tr -d '\r' <<<"$output" | sed 's/  */ /g')" = 'ev\033]0;x\ail
ev\033]0;x\ail
 e v 033 ] 0 ; x \a i l \n
 e v 033 ] 0 ; x \a i l \0' ]
}

@test "real and effective groups that differ and recur among the groups: id's order, each once" {
	require_root
	for ids in "--rgid=100 --egid=4 --groups=4,27,100,0" \
	    "--ruid=54321 --euid=54322 --rgid=54321 --egid=54323 --groups=54324,3,54321"; do
		for opt in -u -g -G -ur -gr -Gr -Gz; do
			want=$(setpriv $ids id "$opt" | od -An -c)
			[ "$(setpriv $ids showids "$opt" | od -An -c)" = "$want" ] ||
				{ echo "$ids $opt"; false; }
		done
	done
	[ "$(setpriv --rgid=100 --egid=4 --groups=4,27,100,0 showids -G)" = "100 4 0 27" ]
}

@test "-j with a hostile group name: the bytes kept in JSON, escaped in the report on a terminal" {
	require_cmd script
	run -0 with_hostile_group setpriv --regid=4242 --clear-groups showids -j
	[ "$(jq -r .egroup <<<"$output")" = $'ev\e[31mil' ]
	[ "$(jq -r .rgroup <<<"$output")" = $'ev\e[31mil' ]
	run -0 with_hostile_group script -qec \
	    'setpriv --regid=4242 --clear-groups showids' /dev/null
	[[ "$output" == *'egid    4242(ev\033[31mil)'* ]]
	[[ "$output" != *$'\e'* ]]
}
