#!/usr/bin/env bats
# mktree: mkdir and rmdir, one directory or a whole path of them, checked
# against what is on disk afterwards and against the exact -v output.

load helpers

mode_of() {
	stat -c %a "$1"
}

@test "makes a directory, quietly" {
	run -0 mktree d
	[ -z "$output" ]
	[ -d d ]
}

@test "without -p, an existing directory is an error, as with mkdir" {
	mkdir d
	run --separate-stderr mktree d
	[ "$status" -eq 1 ]
	[ "$stderr" = "mktree: d: File exists" ]
}

@test "without -p, a missing parent is an error naming the operand" {
	run --separate-stderr mktree x/y
	[ "$status" -eq 1 ]
	[ "$stderr" = "mktree: x/y: No such file or directory" ]
	[ ! -e x ]
}

@test "-p makes the missing parts and accepts the existing ones" {
	mkdir a
	run -0 mktree -pv a/b/c/d
	[ "$output" = "$(printf 'a/b\na/b/c\na/b/c/d')" ]
	[ -d a/b/c/d ]
	run -0 mktree -pv a/b/c/d a/b a
	[ -z "$output" ]
}

@test "-p: a file in the way is an error that names it" {
	mkdir a
	touch a/f
	run --separate-stderr mktree -p a/f/x/y
	[ "$status" -eq 1 ]
	[ "$stderr" = "mktree: a/f: Not a directory" ]
	run --separate-stderr mktree -p a/f
	[ "$status" -eq 1 ]
	[ "$stderr" = "mktree: a/f: File exists" ]
	[ -f a/f ]
}

@test "-p makes a path longer than PATH_MAX, one component at a time" {
	# 400 components of 14 bytes: 5600 bytes, which mkdir(2) refuses.
	long=$(printf 'component_%03d/' $(seq 400))
	run -0 mktree -pv "$long"
	[ "${#lines[@]}" -eq 400 ]
	[ "${lines[0]}" = component_001 ]
	[ "${lines[1]}" = component_001/component_002 ]
	[ "${lines[399]}" = "$long" ]
	[ "$(walktree -p -D component_001 | wc -l)" -eq 400 ]
	run -0 mktree -pv "$long"
	[ -z "$output" ]
	run -0 mktree -pv -m 700 "${long}last"
	[ "$output" = "${long}last" ]
	cd "$(printf 'component_%03d/' $(seq 200))"
	[ "$(mode_of "$(printf 'component_%03d/' $(seq 201 400))last")" = 700 ]
	cd "$SCRATCH"
	touch component_001/f
	run --separate-stderr mktree -p "component_001/f/$long"
	[ "$status" -eq 1 ]
	[ "$stderr" = "mktree: component_001/f: Not a directory" ]
	# A name past NAME_MAX is still an error, naming the path up to it.
	z=$(printf 'z%.0s' $(seq 300))
	run --separate-stderr mktree -p "new/$z/x"
	[ "$status" -eq 1 ]
	[ "$stderr" = "mktree: new/$z: File name too long" ]
}

@test "past PATH_MAX, one directory made or removed, and -r -p removes the path" {
	long=$(printf 'component_%03d/' $(seq 400))
	mktree -p "$long"
	run -0 mktree -v "${long}one"
	[ "$output" = "${long}one" ]
	run --separate-stderr mktree "${long}two/three"
	[ "$status" -eq 1 ]
	[ "$stderr" = "mktree: ${long}two/three: No such file or directory" ]
	run -0 mktree -r -v "${long}one"
	[ "$output" = "${long}one" ]
	[ "$(walktree -p -D component_001 | wc -l)" -eq 400 ]
	# Not empty: left as it is, with the reason.
	touch "$(printf 'component_%03d/' $(seq 200))"/file
	run --separate-stderr mktree -r -p -v "$long"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 200 ]
	[ "${lines[0]}" = "$long" ]
	last=$(printf 'component_%03d/' $(seq 201))
	[ "${lines[199]}" = "${last%/}" ]
	[ "$(walktree -p -D component_001 | wc -l)" -eq 200 ]
	rm "$(printf 'component_%03d/' $(seq 200))"/file
	run -0 mktree -r -p "$(printf 'component_%03d/' $(seq 200))"
	[ ! -e component_001 ]
}

@test "-p: a symbolic link to a directory is a directory that exists" {
	mkdir real
	ln -s real link
	run -0 mktree -pv link/sub
	[ "$output" = link/sub ]
	[ -d real/sub ]
}

@test "an operand that fails does not stop the others" {
	run --separate-stderr mktree -v nope/x ok
	[ "$status" -eq 1 ]
	[ "$output" = ok ]
	[ "$stderr" = "mktree: nope/x: No such file or directory" ]
	[ -d ok ]
}

@test "-v prints exactly the directories that were made, in order" {
	mkdir -p a/b e
	before=$(find . | sort)
	run -0 mktree -pv a/b/c a/x/y e e/f g/h/i
	after=$(find . | sort)
	want=$(comm -13 <(echo "$before") <(echo "$after") | sed 's|^\./||' | sort)
	[ "$(sort <<<"$output")" = "$want" ]
	[ "$output" = "$(printf 'a/b/c\na/x\na/x/y\ne/f\ng\ng/h\ng/h/i')" ]
}

@test "-v keeps the operand's spelling: extra and trailing slashes" {
	run -0 mktree -pv 'n//m/'
	[ "$output" = "$(printf 'n\nn//m/')" ]
	[ -d n/m ]
}

@test "-j: the changes -v lists, as JSON, with the action; the name exact through Python" {
	run -0 mktree -j -p a/b
	[ "$output" = '{"path":"a","action":"made"}
{"path":"a/b","action":"made"}' ]
	run -0 mktree -j -r -p a/b
	[ "$(jq -c '[.path, .action]' <<<"$output" | paste -sd' ')" = '["a/b","removed"] ["a","removed"]' ]
	require_cmd python3
	mktree -j $'bad\xff\n' >out.json
	run -0 python3 -c 'import json, os; print(os.fsencode(json.load(open("out.json"))["path"]) == b"bad\xff\n")'
	[ "$output" = True ]
	run --separate-stderr mktree -0 -j x
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "mktree: -0 and -j cannot be combined" ]
	[ ! -e x ]
}

@test "-m with an octal mode sets it exactly, whatever the umask" {
	umask 077
	run -0 mktree -m 755 open
	[ "$(mode_of open)" = 755 ]
	umask 022
	run -0 mktree -m 777 wide
	[ "$(mode_of wide)" = 777 ]
	run -0 mktree -m 1777 sticky
	[ "$(mode_of sticky)" = 1777 ]
	run -0 mktree -m 2750 sgid
	[ "$(mode_of sgid)" = 2750 ]
}

@test "-m in a set-group-ID directory: the inherited bit kept unless the mode clears it, as GNU mkdir" {
	mkdir sg
	chmod 2755 sg
	umask 022
	for m in 0775 0755 755 00775 2775 g-s u=rwx,g=rx,o=; do
		mktree -m "$m" "sg/ours$m"
		mkdir -m "$m" "sg/gnu$m"
		[ "$(mode_of "sg/ours$m")" = "$(mode_of "sg/gnu$m")" ] ||
			{ echo "$m: $(mode_of "sg/ours$m") != $(mode_of "sg/gnu$m")"; false; }
	done
	[ "$(mode_of sg/ours0775)" = 2775 ]
	[ "$(mode_of sg/ours00775)" = 775 ]
}

@test "-m where /proc is not mounted: the mode is still set, without following a link" {
	require_root
	require_cmd unshare
	unshare -m true 2>/dev/null || skip "cannot make a mount namespace here"
	# fchmodat(AT_SYMLINK_NOFOLLOW) goes through /proc in the C library.
	run --separate-stderr unshare -m sh -c 'umount -l /proc || exit 99
	    exec mktree -m 0777 d'
	[ "$status" -ne 99 ] || skip "cannot unmount /proc here"
	[[ "$stderr" != *Sanitizer* ]] || skip "the sanitizer runtime needs /proc"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(mode_of d)" = 777 ]
}

@test "-m with a symbolic mode starts from a=rwx" {
	umask 022
	run -0 mktree -m u=rwx,g=rx,o= a
	[ "$(mode_of a)" = 750 ]
	run -0 mktree -m go-w b
	[ "$(mode_of b)" = 755 ]
	run -0 mktree -m a=rwx c
	[ "$(mode_of c)" = 777 ]
}

@test "-p -m: the mode is for the last component, parents get the default" {
	umask 022
	run -0 mktree -p -m 700 p/q/r
	[ "$(mode_of p)" = 755 ]
	[ "$(mode_of p/q)" = 755 ]
	[ "$(mode_of p/q/r)" = 700 ]
}

@test "-p: parents stay writable and searchable by the owner whatever the umask" {
	umask 0333
	run -0 mktree -p u/v/w
	[ "$(mode_of u)" = 744 ]
	[ "$(mode_of u/v)" = 744 ]
	[ "$(mode_of u/v/w)" = 444 ]
}

@test "without -m, the mode is 0777 less the umask" {
	umask 027
	run -0 mktree d
	[ "$(mode_of d)" = 750 ]
}

@test "an invalid mode is a usage error, and nothing is made" {
	run --separate-stderr mktree -m 8 d
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "mktree: invalid mode '8'" ]
	[[ "${stderr_lines[1]}" == "usage: mktree "* ]]
	[ ! -e d ]
}

@test "usage errors: no operand, -m with -r, operands with --files0-from" {
	run --separate-stderr mktree -p
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "mktree: missing operand" ]
	mkdir d
	run --separate-stderr mktree -r -m 700 d
	[ "$status" -eq 2 ]
	[ -d d ]
	run --separate-stderr mktree --files0-from=- d </dev/null
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" == "mktree: extra operand 'd'"* ]]
}

@test "-r removes an empty directory and never a non-empty one" {
	mkdir -p empty full
	touch full/keep
	run --separate-stderr mktree -rv empty full
	[ "$status" -eq 1 ]
	[ "$output" = empty ]
	[ "$stderr" = "mktree: full: Directory not empty" ]
	[ ! -e empty ]
	[ -f full/keep ]
}

@test "-r -p removes the parents until one is not empty, which survives" {
	mkdir -p a/b/c/d
	touch a/keep
	run -0 mktree -rpv a/b/c/d
	[ "$output" = "$(printf 'a/b/c/d\na/b/c\na/b')" ]
	[ -f a/keep ]
	[ ! -e a/b ]
}

@test "-r -p removes the whole path when every part of it is empty" {
	mkdir -p x/y/z
	run -0 mktree -rpv x/y/z/
	[ "$output" = "$(printf 'x/y/z/\nx/y\nx')" ]
	[ ! -e x ]
}

@test "-r -p removes only what the operand names: not through a link, not by .." {
	mkdir -p real/sub a/b c
	ln -s real link
	run --separate-stderr mktree -rv link link/
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "mktree: link: Not a directory" ]
	[ "${stderr_lines[1]}" = "mktree: link/: Not a directory" ]
	run -0 mktree -rpv link/sub
	[ "$output" = link/sub ]
	[ -L link ]
	[ -d real ]
	run -0 mktree -rpv a/b/../../c
	[ "$output" = a/b/../../c ]
	[ -d a/b ]
	[ ! -e c ]
	run --separate-stderr mktree -rpv a/b/.
	[ "$status" -eq 1 ]
	[ "$stderr" = "mktree: a/b/.: Invalid argument" ]
	[ -d a/b ]
}

@test "--files0-from: names with spaces and newlines, -0 output exact" {
	printf 'a b/c d\0new\nline/x\0' >list
	mktree -p -v -0 --files0-from=list >out
	[ "$(od -An -c out)" = "$(printf 'a b\0a b/c d\0new\nline\0new\nline/x\0' | od -An -c)" ]
	[ -d 'a b/c d' ]
	[ -d "new
line/x" ]
	printf 'a b/c d\0new\nline/x\0' | mktree -r -p --files0-from=-
	[ -z "$(find . -mindepth 1 -type d)" ]
}

@test "mirrors what walktree -0 -p -D lists: odd names, paths past PATH_MAX" {
	mkdir src copy
	mktree -p "src/new
line/$(printf 'component_%03d/' $(seq 400))" 'src/sp ace/-x'
	touch src/file
	(cd src && walktree -0 -p -D) | (cd copy && mktree -p --files0-from=-)
	[ "$(cd copy && walktree -0 -p | od -An -c)" = "$(cd src && walktree -0 -p -D | od -An -c)" ]
}

@test "on a terminal, -v and errors escape control characters; -0 and a pipe do not" {
	require_cmd script
	run -0 script -qec "mktree -v $(printf 'a\033[31mb')" /dev/null
	[ "$(tr -d '\r' <<<"$output")" = 'a\033[31mb' ]
	script -qec "mktree -r -v -0 $(printf 'a\033[31mb')" /dev/null >out
	[ "$(od -An -c out)" = "$(printf 'a\033[31mb\0' | od -An -c)" ]
	run -0 mktree -v "$(printf 'c\033d')"
	[ "$output" = "$(printf 'c\033d')" ]
	# Error messages on a terminal too.
	run -1 script -qec "mktree $(printf 'x\033y')/z" /dev/null
	[ "$(tr -d '\r' <<<"$output")" = 'mktree: x\033y/z: No such file or directory' ]
}

@test "concurrent creators of the same paths all succeed" {
	for i in $(seq 200); do
		printf 'c/%d/x/y/z\0' "$((i % 20))"
	done >list
	pids=
	for i in 1 2 3 4; do
		mktree -p --files0-from=list &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p"
	done
	[ "$(find c -mindepth 1 -type d | wc -l)" -eq 80 ]
}

@test "as an unprivileged user: permission denied, naming the directory" {
	require_nobody
	mkdir locked
	run --separate-stderr as_nobody mktree -p locked/a/b
	[ "$status" -eq 1 ]
	[ "$stderr" = "mktree: locked/a: Permission denied" ]
}
