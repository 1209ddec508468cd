#!/usr/bin/env bats
# pwdwalk: the working directory and its parents up to the root, physical
# and logical, deep, across a mount point, removed and unsearchable.

load helpers

# The path given and each of its string parents, one a line, up to /.
ancestors() {
	local p=$1
	while :; do
		printf '%s\n' "$p"
		[ "$p" = / ] && return
		p=${p%/*}
		p=${p:-/}
	done
}

# real/sub and link -> real in the scratch directory, whose physical path
# is $here.
symlinked_tree() {
	mkdir -p real/sub
	ln -s real link
	here=$(pwd -P)
}

@test "from here: the physical path and each parent, up to /" {
	run -0 pwdwalk
	[ "$output" = "$(ancestors "$(pwd -P)")" ]
	[ "${lines[-1]}" = / ]
}

@test "the root is its own parent: from / there is one step" {
	run -0 pwdwalk /
	[ "$output" = / ]
	run -0 bash -c 'cd / && pwdwalk'
	[ "$output" = / ]
}

@test "DIR: the walk starts there" {
	mkdir -p a/b
	run -0 pwdwalk a/b
	[ "$output" = "$(ancestors "$(pwd -P)/a/b")" ]
}

@test "a directory that does not exist: one line, exit 1" {
	run --separate-stderr pwdwalk nope
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "pwdwalk: nope: No such file or directory" ]
	for opt in -P -L; do
		run --separate-stderr pwdwalk $opt ""
		[ "$status" -eq 1 ]
		[ -z "$output" ]
		[ "$stderr" = "pwdwalk: : No such file or directory" ]
	done
}

@test "through a symbolic link: -P shows the physical path, -L the logical one and both where they differ" {
	symlinked_tree
	cd link/sub
	run -0 pwdwalk
	[ "$output" = "$(ancestors "$here/real/sub")" ]
	run -0 pwdwalk -P
	[ "$output" = "$(ancestors "$here/real/sub")" ]
	run -0 pwdwalk -L
	[ "${lines[0]}" = "$here/link/sub -> $here/real/sub" ]
	[ "${lines[1]}" = "$here/link -> $here/real" ]
	[ "$(printf '%s\n' "${lines[@]:2}")" = "$(ancestors "$here")" ]
}

@test "-L: -0 writes the logical paths alone, -j both paths" {
	symlinked_tree
	cd link/sub
	run -0 bash -c 'pwdwalk -L0 | tr "\0" "\n"'
	[ "$output" = "$(ancestors "$here/link/sub")" ]
	run -0 bash -c 'pwdwalk -Lj | jq -r "[.step, .path, .physical] | @tsv" | head -3'
	[ "$output" = "0	$here/link/sub	$here/real/sub
1	$here/link	$here/real
2	$here	$here" ]
}

@test "-L DIR reads .. by the text, as cd -L; -P DIR by the links" {
	mkdir -p a/b
	ln -s a/b link
	here=$(pwd -P)
	run -0 pwdwalk -L link/..
	[ "$output" = "$(ancestors "$here")" ]
	run -0 pwdwalk link/..
	[ "$output" = "$(ancestors "$here/a")" ]
	mkdir x
	run -0 pwdwalk -L link/../x
	[ "$output" = "$(ancestors "$here/x")" ]
	run -1 pwdwalk link/../x
	[ "$output" = "pwdwalk: link/../x: No such file or directory" ]
}

@test "-L DIR: the name before .. must be a directory, as cd -L checks" {
	touch file
	mkdir d
	for dir in nope/.. file/.. d/nope/../.. "$PWD/nope/.."; do
		run --separate-stderr pwdwalk -L "$dir"
		[ "$status" -eq 1 ] || { echo "$dir: $output"; false; }
		[ -z "$output" ]
		# The shell's cd -L refuses it too, for the same reason.
		if expected=$(cd -L "$dir" 2>&1); then false; fi
		[ "$stderr" = "pwdwalk: $dir: ${expected##*: }" ]
	done
}

@test "-L with a PWD that is not the working directory falls back to the physical path, as pwd -L" {
	symlinked_tree
	cd real/sub
	for pwd in / "$here/link/sub/.." "relative/path" "$here/link/nope"; do
		run -0 env PWD="$pwd" pwdwalk -L
		[ "$output" = "$(ancestors "$here/real/sub")" ] ||
			{ echo "PWD=$pwd: $output"; false; }
	done
	run -0 env PWD="$here/link/sub" pwdwalk -L
	[ "${lines[0]}" = "$here/link/sub -> $here/real/sub" ]
}

@test "deeper than PATH_MAX: getcwd with a growing buffer, -P and -L" {
	# mkdir and cd one relative step at a time: no single path call is long.
	name=$(printf 'd%.0s' {1..200})
	for i in {1..25}; do
		mkdir "$name" && cd "$name"
	done
	run -0 pwdwalk
	[ "${#lines[0]}" -gt 4096 ]
	[ "${lines[0]}" = "$(/bin/pwd -P)" ]
	[ "$output" = "$(ancestors "${lines[0]}")" ]
	run -0 pwdwalk -L
	[ "${lines[0]}" = "$PWD" ]
	[ "$output" = "$(ancestors "$PWD")" ]
	run -0 pwdwalk -j
	[ "$(jq -r .path <<<"${lines[0]}")" = "$(/bin/pwd -P)" ]
}

@test "a DIR operand longer than PATH_MAX, cut where a piece just fits" {
	# A slash at PATH_MAX - 2 and another at PATH_MAX - 1: the first
	# piece ends at the first, and the rest must not start at the root.
	max=$(getconf PATH_MAX /)
	name=$(printf 'd%.0s' {1..199})
	dir=
	while [ $(( ${#dir} + 200 )) -le $(( max - 2 )) ]; do
		mkdir "$name" && cd "$name"
		dir=$dir$name/
	done
	last=$(printf 'e%.0s' $(seq $(( max - 2 - ${#dir} ))))
	mkdir -p "$last/sub"
	cd "$SCRATCH"
	for path in "$dir$last//sub" "$dir$last/sub"; do
		run -0 pwdwalk "$path"
		[ "${lines[0]}" = "$(pwd -P)/$dir$last/sub" ]
		[ "$output" = "$(ancestors "${lines[0]}")" ]
	done
	# And a slash at PATH_MAX - 1 alone: that piece would be one too long.
	mkdir -p "$dir${last}e/sub"
	run -0 pwdwalk "$dir${last}e/sub"
	[ "${lines[0]}" = "$(pwd -P)/$dir${last}e/sub" ]
}

@test "-l: mode, owner, group, device, inode as stat(1) gives them" {
	mkdir -p a/b
	chmod 751 a
	run -0 pwdwalk -l a/b
	for i in "${!lines[@]}"; do
		line=${lines[$i]}
		path=${line##* [M-] }
		read -r mode user group dev ino mark _ <<<"$line"
		[ "$mode $user $group $ino" = "$(stat -c '%A %U %G %i' "$path")" ] ||
			{ echo "$line"; false; }
		[ "$dev" = "$(stat -c '%Hd:%Ld' "$path")" ]
	done
	[[ "${lines[1]}" == "drwxr-x--x $(id -un) "* ]]
}

@test "-l: the exact line for /" {
	run -0 pwdwalk -l /
	[ "$output" = "$(stat -c '%A %U %G %Hd:%Ld %i' / |
	    awk '{ printf "%s %-8s %-8s %7s %10s - /", $1, $2, $3, $4, $5 }')" ]
}

@test "-j: one object per step with every field, numbers as numbers" {
	mkdir -p a/b
	run -0 pwdwalk -j a/b
	[ "${#lines[@]}" -eq "$(ancestors "$(pwd -P)/a/b" | wc -l)" ]
	run -0 bash -c 'pwdwalk -j a/b | jq -c "[.step, .path == .physical, .mode, .uid, .user, .ino, .mount_point]" | head -2'
	ino=$(stat -c %i a/b)
	[ "${lines[0]}" = "[0,true,\"drwxr-xr-x\",$(id -u),\"$(id -un)\",$ino,false]" ]
	[[ "${lines[1]}" == "[1,true,"* ]]
	run -0 bash -c 'pwdwalk -j / | jq -c "[.dev, .dev_major, .dev_minor]"'
	[ "$output" = "[$(stat -c '%d,%Hd,%Ld' /)]" ]
}

@test "-0: NUL-terminated paths, a newline in a name kept as it is" {
	mkdir "new
line"
	here=$(pwd -P)
	run -0 bash -c 'pwdwalk -0 "new
line" | od -An -tx1'
	[ "$output" = "$({ printf '%s\0' "$here/new
line"; ancestors "$here" | tr '\n' '\0'; } | od -An -tx1)" ]
}

@test "on a terminal, control characters in a name are escaped; into a pipe they are not" {
	require_cmd script
	mkdir $'bad\e[31m'
	cd $'bad\e[31m'
	run -0 script -qc pwdwalk /dev/null
	[ "${lines[0]%$'\r'}" = "$(pwd -P | sed 's/\x1b/\\033/')" ]
	run -0 bash -c 'pwdwalk | head -1'
	[ "$output" = "$(pwd -P)" ]
}

@test "on a terminal, a name in a diagnostic is escaped too" {
	require_cmd script
	run -0 script -qc "pwdwalk $'x\e[31m'; pwdwalk -L $'x\e[31m'" /dev/null
	[ "${output//$'\r'/}" = 'pwdwalk: x\033[31m: No such file or directory
pwdwalk: x\033[31m: No such file or directory' ]
}

@test "across a mount point (tmpfs as root): the device changes and -l marks it" {
	require_root
	require_cmd unshare
	mkdir mnt
	unshare -m true 2>/dev/null || skip "unshare -m is not permitted here"
	run -0 unshare -m sh -c 'mount -t tmpfs ostour mnt || exit 99
	    mkdir mnt/sub && cd mnt/sub && pwdwalk -l && pwdwalk -j'
	[[ "${lines[0]}" == *" - $(pwd -P)/mnt/sub" ]]
	[[ "${lines[1]}" == *" M $(pwd -P)/mnt" ]]
	[[ "${lines[2]}" == *" - $(pwd -P)" ]]
	n=$(( ${#lines[@]} / 2 ))
	[ "$(printf '%s\n' "${lines[@]:n}" | jq -c 'select(.mount_point) | .path')" = "\"$(pwd -P)/mnt\"" ]
}

@test "a removed working directory: getcwd fails with ENOENT, the walk goes on from its parent" {
	mkdir -p a/gone
	run --separate-stderr bash -c 'cd a/gone && rmdir ../gone && pwdwalk'
	[ "$status" -eq 1 ]
	[ "$stderr" = "pwdwalk: getcwd: No such file or directory" ]
	[ "$output" = "$(ancestors "$(pwd -P)/a")" ]
}

@test "as nobody under an unsearchable parent: EACCES, the walk stops there" {
	require_nobody
	mkdir -p a/b
	chmod 700 a
	here=$(pwd -P)
	cd a/b
	run --separate-stderr as_nobody pwdwalk
	[ "$status" -eq 1 ]
	[ "$output" = "$here/a/b" ]
	[ "$stderr" = "pwdwalk: $here/a/b/..: Permission denied" ]
	run --separate-stderr as_nobody pwdwalk -L
	[ "$status" -eq 1 ]
	[ "$output" = "$here/a/b" ]
	[ "$stderr" = "pwdwalk: $here/a: Permission denied" ]
}

@test "as nobody in a directory it cannot search: its path, then EACCES for its parent; -L goes on" {
	require_nobody
	mkdir a
	chmod 700 a
	here=$(pwd -P)
	cd a
	run --separate-stderr as_nobody pwdwalk
	[ "$status" -eq 1 ]
	[ "$output" = "$here/a" ]
	[ "$stderr" = "pwdwalk: $here/a/..: Permission denied" ]
	# -L goes up by the names, which need no search permission on "a".
	run --separate-stderr as_nobody pwdwalk -L
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "$(ancestors "$here/a")" ]
}

@test "as nobody, a DIR under an unsearchable parent cannot be entered" {
	require_nobody
	mkdir -p a/b
	chmod 700 a
	run --separate-stderr as_nobody pwdwalk a/b
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "pwdwalk: a/b: Permission denied" ]
}

@test "-l on a terminal escapes a group name with control characters" {
	require_cmd script
	mkdir d
	chgrp 4242 d
	run -0 with_hostile_group script -qec "pwdwalk -l d" /dev/null
	[[ "${lines[0]}" == *' ev\033[31mil '* ]]
	[[ "$output" != *$'\033'* ]]
	run -0 with_hostile_group pwdwalk -l d
	[[ "${lines[0]}" == *$' ev\033[31mil '* ]]
	# An operand in a usage error, too.
	run -2 script -qec "pwdwalk a \$'b\\033[31m'" /dev/null
	[[ "$output" == *"extra operand 'b\\033[31m'"* ]]
	[[ "$output" != *$'\033'* ]]
}

@test "usage errors: two operands, -0 with -j" {
	run --separate-stderr pwdwalk a b
	[ "$status" -eq 2 ]
	[ "$stderr" = "pwdwalk: extra operand 'b'
usage: pwdwalk [-L | -P] [-0jl] [dir]" ]
	run --separate-stderr pwdwalk -0 -j
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "pwdwalk: -0 and -j cannot be combined" ]
}

@test "the last of -L and -P wins, as in pwd" {
	mkdir real
	ln -s real link
	cd link
	run -0 pwdwalk -L -P
	[ "${lines[0]}" = "$(pwd -P)" ]
	run -0 pwdwalk -P -L
	[ "${lines[0]}" = "$PWD -> $(pwd -P)" ]
}
