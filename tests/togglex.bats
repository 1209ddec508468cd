#!/usr/bin/env bats
# togglex: only the chosen execute bits change, toggling twice restores the
# exact mode, and a refusal on one file leaves the others to be done.

load helpers

# Every mode 0000-7777 through togglex with the options $1, which must flip
# exactly the bits $2: twice, the second time restoring the mode exactly.
# Creating 4096 files is slow on some file systems, so 64 files take 64
# modes each, 64 at a time, and one python3 process sets and checks them.
toggle_every_mode() {
	python3 - "$@" <<-'EOF'
	import os, subprocess, sys
	opts, flip = sys.argv[1].split(), int(sys.argv[2], 8)
	files = ["f%02d" % i for i in range(64)]
	for f in files:
	    open(f, "w").close()
	bad = 0
	for batch in range(64):
	    modes = [batch * 64 + i for i in range(64)]
	    for f, m in zip(files, modes):
	        os.chmod(f, m)
	    for want_flip in (flip, 0):
	        subprocess.run(["togglex", *opts, *files], check=True)
	        for f, m in zip(files, modes):
	            got = os.stat(f).st_mode & 0o7777
	            if got != m ^ want_flip:
	                print("%04o: %04o, not %04o" % (m, got, m ^ want_flip))
	                bad += 1
	sys.exit(bad != 0)
	EOF
}

@test "every mode 0000-7777: -u flips only S_IXUSR, and twice restores it" {
	run -0 toggle_every_mode "" 0100
	[ -z "$output" ]
	run -0 toggle_every_mode "-u" 0100
	[ -z "$output" ]
}

@test "every mode 0000-7777: -g, -o and -a flip only their bits, and restore" {
	run -0 toggle_every_mode "-g" 0010
	[ -z "$output" ]
	run -0 toggle_every_mode "-o" 0001
	[ -z "$output" ]
	run -0 toggle_every_mode "-a" 0111
	[ -z "$output" ]
}

@test "-g and -o flip each class's bit from its own state" {
	touch f
	chmod 0744 f
	run -0 togglex -g f
	[ "$(stat -c %04a f)" = 0754 ]
	run -0 togglex -o f
	[ "$(stat -c %04a f)" = 0755 ]
	run -0 togglex -ug f
	[ "$(stat -c %04a f)" = 0645 ]
	run -0 togglex -u -g -o f
	[ "$(stat -c %04a f)" = 0754 ]
}

@test "special bits are kept: set-user-ID, set-group-ID, sticky" {
	touch f
	chmod 7644 f
	run -0 togglex -v -a f
	[ "$output" = "f: -rwSr-Sr-T -> -rwsr-sr-t" ]
	[ "$(stat -c %04a f)" = 7755 ]
	run -0 togglex -v -a f
	[ "$output" = "f: -rwsr-sr-t -> -rwSr-Sr-T" ]
	[ "$(stat -c %04a f)" = 7644 ]
}

@test "-v prints the mode before and after, as ls shows it" {
	touch f g
	chmod 644 f
	chmod 755 g
	run --separate-stderr togglex -v f g
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "f: -rw-r--r-- -> -rwxr--r--
g: -rwxr-xr-x -> -rw-r-xr-x" ]
}

@test "-n prints what would change and changes nothing" {
	touch f
	chmod 640 f
	run -0 togglex -n -g f
	[ "$output" = "f: -rw-r----- -> -rw-r-x---" ]
	[ "$(stat -c %04a f)" = 0640 ]
}

@test "-j: one object per file changed, the name exact through Python" {
	require_cmd python3
	touch f $'bad\xff\n'
	chmod 644 f $'bad\xff\n'
	run -0 togglex -j f
	[ "$output" = '{"file":"f","mode_before":"0644","mode_after":"0744","filemode_before":"-rw-r--r--","filemode_after":"-rwxr--r--","dry_run":false}' ]
	run -0 togglex -j -n -a f
	[ "$(jq -c '[.mode_after, .dry_run]' <<<"$output")" = '["0655",true]' ]
	[ "$(stat -c %a f)" = 744 ]
	togglex -j $'bad\xff\n' >out.json
	run -0 python3 -c 'import json, os; print(os.fsencode(json.load(open("out.json"))["file"]) == b"bad\xff\n")'
	[ "$output" = True ]
}

@test "a file of another user: Operation not permitted, the others done, exit 1" {
	require_nobody
	touch theirs mine
	chmod 644 theirs mine
	chown 65534 mine
	run --separate-stderr as_nobody togglex -v theirs mine
	[ "$status" -eq 1 ]
	[ "$stderr" = "togglex: theirs: Operation not permitted" ]
	[ "$output" = "mine: -rw-r--r-- -> -rwxr--r--" ]
	[ "$(stat -c %04a theirs mine)" = "0644
0744" ]
	# A dry run tells the same.
	run --separate-stderr as_nobody togglex -n theirs
	[ "$status" -eq 1 ]
	[ "$stderr" = "togglex: theirs: Operation not permitted" ]
}

@test "an unreadable file of one's own is toggled: no read access needed" {
	require_nobody
	touch f
	chmod 0 f
	chown 65534 f
	run -0 as_nobody togglex -v f
	[ "$output" = "f: ---------- -> ---x------" ]
}

@test "set-group-ID that chmod would clear: the file is left as it is" {
	require_nobody
	touch f
	chown 65534:0 f
	chmod 2644 f
	run --separate-stderr as_nobody togglex f
	[ "$status" -eq 1 ]
	[ "$stderr" = "togglex: f: not changed: chmod would clear the set-group-ID bit (the file's group is not one of yours)" ]
	[ "$(stat -c %04a f)" = 2644 ]
}

@test "a symbolic link is followed: its target changes" {
	touch target
	chmod 600 target
	ln -s target link
	run -0 togglex -v link
	[ "$output" = "link: -rw------- -> -rwx------" ]
	[ "$(stat -c %04a target)" = 0700 ]
	ln -s nowhere dangling
	run --separate-stderr togglex dangling
	[ "$status" -eq 1 ]
	[ "$stderr" = "togglex: dangling: No such file or directory" ]
}

@test "a directory and a FIFO: changed without being opened for reading" {
	mkdir d
	chmod 755 d
	mkfifo p
	chmod 644 p
	run -0 togglex -v d p
	[ "$output" = "d: drwxr-xr-x -> drw-r-xr-x
p: prw-r--r-- -> prwxr--r--" ]
}

@test "a missing file: the message, the others done, exit 1" {
	touch f
	chmod 644 f
	run --separate-stderr togglex nope f
	[ "$status" -eq 1 ]
	[ "$stderr" = "togglex: nope: No such file or directory" ]
	[ "$(stat -c %04a f)" = 0744 ]
}

@test "--files0-from: any name, from stdin" {
	touch 'a b' $'new\nline'
	chmod 644 'a b' $'new\nline'
	printf '%s\0' 'a b' $'new\nline' | togglex --files0-from=-
	[ "$(stat -c %04a 'a b')" = 0744 ]
	[ "$(stat -c %04a $'new\nline')" = 0744 ]
	run -2 togglex --files0-from=- f </dev/null
}

@test "without /proc: a regular file and a directory are still changed" {
	require_root
	require_cmd unshare
	touch f
	chmod 644 f
	mkdir d
	chmod 755 d
	mkfifo p
	run --separate-stderr unshare -m sh -c 'mount -t tmpfs tmpfs /proc && togglex -v f d p'
	[[ "$stderr" != *"mount:"* ]] || skip "cannot mount here: $stderr"
	[[ "$stderr" != *Sanitizer* ]] || skip "the sanitizer runtime needs /proc"
	[ "$status" -eq 1 ]
	[ "$output" = "f: -rw-r--r-- -> -rwxr--r--
d: drwxr-xr-x -> drw-r-xr-x" ]
	[ "$stderr" = "togglex: p: /proc is not mounted: only regular files and directories can be changed" ]
}

@test "a read-only file system: the message, exit 1" {
	require_root
	require_cmd unshare
	mkdir ro
	run unshare -m sh -c 'mount -t tmpfs tmpfs ro && : >ro/f &&
		mount -o remount,ro ro && togglex ro/f'
	[[ "$output" != *"mount:"* ]] || skip "cannot mount here: $output"
	[ "$status" -eq 1 ]
	[ "$output" = "togglex: ro/f: Read-only file system" ]
}

@test "diagnostics name the file escaped on a terminal, as it is into a pipe" {
	require_nobody
	require_cmd script
	touch $'red\033[31m'
	run -1 as_nobody script -qec "togglex -n $'red\033[31m'" /dev/null
	[ "${output%$'\r'}" = 'togglex: red\033[31m: Operation not permitted' ]
	run -1 --separate-stderr as_nobody togglex -n $'red\033[31m'
	[ "$stderr" = "togglex: "$'red\033[31m'": Operation not permitted" ]
	chown 65534:0 $'red\033[31m'
	chmod 2644 $'red\033[31m'
	run -1 as_nobody script -qec "togglex $'red\033[31m'" /dev/null
	[[ "$output" == 'togglex: red\033[31m: not changed: '* ]]
}

@test "usage errors: no file operand" {
	run --separate-stderr togglex
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "togglex: missing file operand" ]
	[ "${stderr_lines[1]}" = "usage: togglex [-agjnouv] [--files0-from=file] [file ...]" ]
	[ -z "$output" ]
}
