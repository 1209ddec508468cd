#!/usr/bin/env bats
# access: the kernel's answers to access(2) and faccessat(2), the class that
# decided them, and the reasons that are not the permission bits.

load helpers

# Give f an access ACL: set_acl '(TAG, PERM, ID), ...' (ID -1 for none).
set_acl() {
	python3 -c '
import os, struct, sys
e = eval("[" + sys.argv[1] + "]")
acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", t, p, i & 0xffffffff) for t, p, i in e)
os.setxattr("f", "system.posix_acl_access", acl)' "$1" 2>/dev/null
}

# Files of the given octal modes, named after them, owned by $1.
make_modes() {
	local owner=$1 m
	shift
	for m in "$@"; do
		touch "m$m"
		chmod "$m" "m$m"
		chown "$owner" "m$m"
	done
}

@test "as the owner: modes 000 400 200 100 700 give --- r-- -w- --x rwx" {
	require_nobody
	make_modes 65534:65534 000 400 200 100 700
	run --separate-stderr as_nobody access m000 m400 m200 m100 m700
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "---  m000  (owner)
r--  m400  (owner)
-w-  m200  (owner)
--x  m100  (owner)
rwx  m700  (owner)" ]
}

@test "as another user: only the others' bits count" {
	require_nobody
	make_modes 0:0 000 004 002 001 007 770
	run -0 as_nobody access m000 m004 m002 m001 m007 m770
	[ "$output" = "---  m000  (other)
r--  m004  (other)
-w-  m002  (other)
--x  m001  (other)
rwx  m007  (other)
---  m770  (other)" ]
}

@test "as a member of the file's group: only the group's bits count" {
	require_nobody
	make_modes 0:65534 040 020 010 070 007
	run -0 as_nobody access m040 m020 m010 m070 m007
	[ "$output" = "r--  m040  (group)
-w-  m020  (group)
--x  m010  (group)
rwx  m070  (group)
---  m007  (group)" ]
}

@test "the first class that matches decides: mode 0077 shuts out its owner" {
	require_nobody
	make_modes 65534:65534 077
	run -0 as_nobody access m077
	[ "$output" = "---  m077  (owner)" ]
}

@test "root: read and write override the bits, execute only with an x bit set" {
	require_root
	make_modes 65534:65534 000 001 100 644
	mkdir d000 && chmod 000 d000
	run -0 access m000 m001 m100 m644 d000
	[ "$output" = "rw-  m000  (r: root, w: root, x: other)
rwx  m001  (r: root, w: root, x: other)
rwx  m100  (root)
rw-  m644  (r: other, w: root, x: other)
rwx  d000  (root)" ]
}

@test "a missing file: its reason alone, exit 1, the others still reported" {
	touch here
	run --separate-stderr access nope here
	[ "$status" -eq 1 ]
	[ -z "$stderr" ]
	[ "$output" = "---  nope  (No such file or directory)
$(access here)" ]
	run -1 access here/below
	[ "$output" = "---  here/below  (Not a directory)" ]
}

@test "-j: a boolean, the errno name and the class per mode" {
	require_nobody
	make_modes 65534:65534 640
	run -0 as_nobody access -j m640
	[ "$output" = '{"file":"m640","st_mode":33184,"st_uid":65534,"st_gid":65534,"f":{"ok":true,"errno":null,"class":null},"r":{"ok":true,"errno":null,"class":"owner"},"w":{"ok":true,"errno":null,"class":"owner"},"x":{"ok":false,"errno":"EACCES","class":"owner"}}' ]
	run -1 access -j nope
	[ "$output" = '{"file":"nope","st_mode":null,"st_uid":null,"st_gid":null,"f":{"ok":false,"errno":"ENOENT","class":null},"r":{"ok":false,"errno":"ENOENT","class":null},"w":{"ok":false,"errno":"ENOENT","class":null},"x":{"ok":false,"errno":"ENOENT","class":null}}' ]
}

@test "-r -w -x -f test: exit 0 only if every file passes every test" {
	require_nobody
	make_modes 65534:65534 600 400 700
	run --separate-stderr as_nobody access -r -w m600 m700
	[ "$status" -eq 0 ]
	[ -z "$output" ] && [ -z "$stderr" ]
	run --separate-stderr as_nobody access -rw m600 m400 m700
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "access: m400: not writable: Permission denied" ]
	run --separate-stderr as_nobody access -x m600
	[ "$status" -eq 1 ]
	[ "$stderr" = "access: m600: not executable: Permission denied" ]
	run -0 access -f m600
	run --separate-stderr access -f nope m600
	[ "$status" -eq 1 ]
	[ "$stderr" = "access: nope: No such file or directory" ]
}

@test "-x on a directory is the search permission" {
	require_nobody
	mkdir d && chmod 766 d
	run --separate-stderr as_nobody access -x d
	[ "$status" -eq 1 ]
	[ "$stderr" = "access: d: not searchable: Permission denied" ]
}

@test "-q: the same exit status, nothing printed" {
	require_nobody
	make_modes 65534:65534 400
	run --separate-stderr as_nobody access -q -w m400 nope
	[ "$status" -eq 1 ]
	[ -z "$output" ] && [ -z "$stderr" ]
	run --separate-stderr as_nobody access -q -r m400
	[ "$status" -eq 0 ]
	[ -z "$output" ] && [ -z "$stderr" ]
}

@test "-j with a test: the records, and the exit status of the test" {
	touch f
	chmod 644 f
	run --separate-stderr access -j -x f
	[ "$status" -eq 1 ]
	[ -z "$stderr" ]
	[ "$(jq -c '[.r.ok, .w.ok, .x.ok]' <<<"$output")" = "[true,true,false]" ]
}

@test "default checks the real ids, -e the effective ones" {
	require_nobody
	make_modes 0:0 600
	split=(setpriv --ruid=65534 --euid=0 --rgid=65534 --egid=0 --clear-groups)
	run -0 "${split[@]}" access m600
	[ "$output" = "---  m600  (other)" ]
	run -0 "${split[@]}" access -e m600
	[ "$output" = "rw-  m600  (owner)" ]
	run -1 "${split[@]}" access -q -r m600
	run -0 "${split[@]}" access -q -e -r m600
}

@test "a set-user-ID copy: real ids by default, effective with -e" {
	require_nobody
	cp "$(command -v access)" ./access-suid
	chown 65534 ./access-suid
	chmod 4755 ./access-suid
	make_modes 0:0 600
	run --separate-stderr ./access-suid m600
	[[ "$stderr" != *Sanitizer* ]] ||
		skip "the sanitizer runtime cannot run set-user-ID"
	[ "$(./access-suid -e -j m600 | jq .r.ok)" = false ] ||
		skip "set-user-ID is ignored here (nosuid mount)"
	[ "$status" -eq 0 ]
	[ "$output" = "rw-  m600  (owner)" ]
	# The effective group is still root's: the group class decides.
	run -0 ./access-suid -e m600
	[ "$output" = "---  m600  (group)" ]
}

@test "a read-only file system: w: Read-only file system" {
	require_root
	require_cmd unshare
	mkdir ro
	run unshare -m sh -c 'mount -t tmpfs tmpfs ro && : >ro/f && mkdir ro/d &&
		mount -o remount,ro ro && access ro/f ro/d; access -w ro/f;
		echo "status $?"; access -j ro/f'
	[[ "$output" != *"mount:"* ]] || skip "cannot mount here: $output"
	[ "${lines[0]}" = "r--  ro/f  (owner; w: Read-only file system)" ]
	[ "${lines[1]}" = "r-x  ro/d  (owner; w: Read-only file system)" ]
	[ "${lines[2]}" = "access: ro/f: not writable: Read-only file system" ]
	[ "${lines[3]}" = "status 1" ]
	[ "$(jq -c .w <<<"${lines[4]}")" = '{"ok":false,"errno":"EROFS","class":"owner"}' ]
}

@test "a running program: w: Text file busy, as open would say" {
	cp "$(command -v sh)" ./busy
	# The shell copy says ready once it runs, and exits when its input closes.
	coproc BUSY { exec ./busy -c 'echo ready; read -r line; exit 0'; }
	pid=$BUSY_PID
	read -r ready <&"${BUSY[0]}"
	[ "$ready" = ready ]
	run --separate-stderr access busy
	out=$output st=$status
	run --separate-stderr access -w busy
	eval "exec ${BUSY[1]}>&-"
	wait "$pid"
	[ "$st" -eq 0 ]
	[ "$out" = "r-x  busy  (owner; w: Text file busy)" ]
	[ "$status" -eq 1 ]
	[ "$stderr" = "access: busy: not writable: Text file busy" ]
	# Once it has exited, the file is writable again.
	run -0 access -w busy
}

@test "a file open for writing: x: Text file busy, as exec would say" {
	cp "$(type -P true)" ./prog
	exec {w}>>prog
	run --separate-stderr access prog
	out=$output st=$status
	run --separate-stderr access -x prog
	x_status=$status x_err=$stderr
	run access -j prog
	json=$output
	run ./prog		# the control: exec refuses it
	exec_status=$status
	exec {w}>&-
	[ "$exec_status" -eq 126 ]
	[ "$st" -eq 0 ]
	[ "$out" = "rw-  prog  (owner; x: Text file busy)" ]
	[ "$x_status" -eq 1 ]
	[ "$x_err" = "access: prog: not executable: Text file busy" ]
	[ "$(jq -c .x <<<"$json")" = '{"ok":false,"errno":"ETXTBSY","class":"owner"}' ]
	# Once it is closed, the file can be executed again; open for reading,
	# it always could.
	run -0 access -x prog
	exec {r}<prog
	run -0 access -x prog
	exec {r}<&-
}

@test "an immutable file: w: Operation not permitted, even for root" {
	require_root
	require_cmd chattr
	touch f
	chattr +i f 2>/dev/null || skip "this file system has no immutable flag"
	run access f
	chattr -i f
	[ "$status" -eq 0 ]
	[ "$output" = "r--  f  (owner; w: Operation not permitted)" ]
}

@test "a noexec mount: x refused although the bits allow it" {
	require_root
	require_cmd unshare
	mkdir nx
	run unshare -m sh -c 'mount -t tmpfs -o noexec tmpfs nx &&
		: >nx/f && chmod 755 nx/f && access nx/f'
	[[ "$output" != *"mount:"* ]] || skip "cannot mount here: $output"
	[ "$output" = "rw-  nx/f  (owner; x: Permission denied (file system mounted noexec))" ]
}

@test "an access ACL replaces the group class: class acl" {
	require_nobody
	touch f
	chmod 660 f
	# user::rw- user:nobody:rw- group::r-- mask::rw- other::---
	python3 -c '
import os, struct, sys
e = [(1, 6, -1), (2, 6, 65534), (4, 4, -1), (0x10, 6, -1), (0x20, 0, -1)]
acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", t, p, i & 0xffffffff) for t, p, i in e)
os.setxattr("f", "system.posix_acl_access", acl)' 2>/dev/null ||
		skip "this file system has no POSIX ACLs"
	run -0 as_nobody access f
	[ "$output" = "rw-  f  (acl)" ]
	# A group entry of the caller's group, limited by the mask:
	# user::rw- group::--- group:nogroup:rwx mask::r-- other::---
	set_acl '(1, 6, -1), (4, 0, -1), (8, 7, 65534), (0x10, 4, -1), (0x20, 0, -1)'
	run -0 as_nobody access f
	[ "$output" = "r--  f  (acl)" ]
	# Without the ACL nobody is an other, and gets nothing.
	python3 -c 'import os; os.removexattr("f", "system.posix_acl_access")'
	run -0 as_nobody access f
	[ "$output" = "---  f  (other)" ]
}

@test "an ACL that refuses root: root's override decided, not the ACL" {
	require_root
	touch f
	chown 65534:65534 f
	chmod 600 f
	# user::rw- user:1234:rw- group::--- mask::rw- other::---
	set_acl '(1, 6, -1), (2, 6, 1234), (4, 0, -1), (0x10, 6, -1), (0x20, 0, -1)' ||
		skip "this file system has no POSIX ACLs"
	run -0 access f
	[ "$output" = "rw-  f  (r: root, w: root, x: acl)" ]
}

@test "--files0-from: any name, from a file or stdin" {
	touch 'a b' $'new\nline' plain
	printf '%s\0' 'a b' $'new\nline' nope plain >list
	run --separate-stderr access -f --files0-from=list
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "access: nope: No such file or directory" ]
	run -0 bash -c 'access -j --files0-from=- <list | jq -r .file'
	[ "$output" = "a b
new
line
nope
plain" ]
	run -2 access --files0-from=list plain
	run -2 access --files0-from=missing
	[ "$output" = "access: missing: No such file or directory" ]
}

@test "names go into a pipe as they are, escaped on a terminal" {
	touch $'esc\033[1mname'
	run -0 access $'esc\033[1mname'
	[ "$output" = "rw-  "$'esc\033[1mname'"  (owner)" ]
	require_cmd script
	run -0 script -qec "access esc*" /dev/null
	[[ "$output" == *'esc\033[1mname'* ]]
}

@test "a failed test names the file escaped on a terminal, as it is into a pipe" {
	require_cmd script
	touch $'red\033[31m'
	chmod 644 $'red\033[31m'
	run -1 script -qec "access -x $'red\033[31m' $'gone\033[1m'" /dev/null
	[ "${lines[0]%$'\r'}" = 'access: red\033[31m: not executable: Permission denied' ]
	[ "${lines[1]%$'\r'}" = 'access: gone\033[1m: No such file or directory' ]
	run -1 --separate-stderr access -x $'red\033[31m'
	[ "$stderr" = "access: "$'red\033[31m'": not executable: Permission denied" ]
}

@test "usage errors: no file, -q without a test, -q with -j" {
	run --separate-stderr access
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "access: missing file operand" ]
	run --separate-stderr access -q f
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "access: -q needs a test: -f, -r, -w or -x" ]
	run --separate-stderr access -q -j -r f
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "access: -q and -j cannot be combined" ]
	[ "${stderr_lines[1]}" = "usage: access [-efjqrwx] [--files0-from=file] [file ...]" ]
}
