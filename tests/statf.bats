#!/usr/bin/env bats
# statf: the stat record, compared with GNU stat (-c and --printf byte for
# byte), with /proc's mount table and with what Python reads back.

load helpers

# Every directive statf shares with GNU stat, in one format.
ALL='%n|%N|%a|%A|%b|%B|%d|%D|%f|%F|%g|%G|%h|%i|%o|%s|%t|%T|%u|%U|%w|%W|%x|%X|%y|%Y|%z|%Z|%%|%Hd|%Ld|%r|%R|%Hr|%Lr'

# A file of each kind, and names a shell or a terminal would trip on.
make_files() {
	printf 'hello\n' >f
	: >empty
	mkdir d
	ln -s f l
	ln -s nowhere dangling
	mkfifo p
	touch 'a b' $'new\nline' "it's"
	# Reading a link moves its atime once (relatime); settle it now so
	# that stat and statf see the same one.
	readlink l dangling >/dev/null
}

# statf and GNU stat given the same arguments print the same bytes and
# both succeed or both fail.
same_as_stat() {
	local want got ws gs
	want=$(stat "$@" 2>/dev/null; echo "status $?")
	got=$(statf "$@" 2>/dev/null; echo "status $?")
	ws=${want##*status }
	gs=${got##*status }
	if [ "$want" != "$got" ] && { [ "$ws" -eq 0 ] || [ "$gs" -eq 0 ]; }; then
		echo "statf $*"
		echo "stat:  $want"
		echo "statf: $got"
		return 1
	fi
}

setup_file() {
	unset QUOTING_STYLE
	export TZ=Asia/Kolkata
}

@test "-c: every directive prints what GNU stat prints, for each kind of file, with and without -L" {
	make_files
	for file in f empty d l dangling p /dev/null 'a b' $'new\nline' "it's"; do
		for opt in "" -L; do
			# One field at a time on failure, to name the directive.
			same_as_stat $opt -c "$ALL" -- "$file" || {
				for dir in ${ALL//|/ }; do
					same_as_stat $opt -c "$dir" -- "$file" || true
				done
				false
			}
		done
	done
}

@test "-t prints what GNU stat -t prints; -c and --printf win over it, as there" {
	make_files
	for file in f empty d l p /dev/null 'a b'; do
		for opt in "" -L; do
			same_as_stat $opt -t -- "$file"
		done
	done
	same_as_stat -t -c '%n %i' f
	same_as_stat --printf='%n\n' -t f
	run -0 statf -t -c '%s' f
	[ "$output" = "$(stat -c %s f)" ]
}

@test "-c: several files print one line each, in order" {
	make_files
	same_as_stat -c '%n %s %F' f empty d l p
	run -0 statf -c '%n %F' f d
	[ "$output" = $'f regular file\nd directory' ]
}

@test "--printf: backslash escapes interpreted, no newline added, as GNU stat" {
	make_files
	for fmt in '%n\n' '%s\t%n\0' 'a\ab\bc\ed\fe\rf\tg\vh\"i\\j' '\101\x41\x4g\0101\1234' \
	    '%i\n%h\n' 'no newline'; do
		[ "$(statf --printf "$fmt" f | od -An -c)" = "$(stat --printf "$fmt" f | od -An -c)" ] ||
			{ echo "format: $fmt"; false; }
	done
	# -c keeps backslashes as they are and ends with a newline.
	same_as_stat -c 'a\tb\n%n' f
}

@test "flags, width and precision follow GNU stat, times before the epoch included" {
	make_files
	touch -d '1969-12-31 23:59:58.25' old
	for fmt in "%-12n|%12N|%#o%#a|%08s|%-8s|%+5s|%#x%#f|%05D|%I5i|%'d" \
	    '%.3Y|%15.3Y|%-15.3Y|%015.4X|%.Z|%.12Z|%20.12Z|%-20.12Z|%.0Y|%10.0Y|%3.3Y' \
	    '%10.3W|%-10w|%5.3x|%+X|% Y|%5Hd|%-5Ld|%#5t|%05Lr' 'x%' '%%N %5.2N' '%-8N|'; do
		for file in f old l /dev/null; do
			same_as_stat -c "$fmt" "$file"
		done
	done
}

@test "%N quotes hostile names for the shell as GNU stat does, in UTF-8 and in C" {
	names=(' lead' $'tab\there' $'esc\033[31m' $'\xff\xfe' 'é' '$(id)' 'back\slash'
		'#hash' 'hash#' '{' '@at' "it's é" $'ctl\001\'' 'a'\''"b' '?' '~' 'x~'
		$'a\'\001' $'a\'b\n')
	for n in "${names[@]}"; do
		touch -- "$n"
		for loc in C.UTF-8 C; do
			LC_ALL=$loc same_as_stat -c '%N' -- "$n"
		done
	done
	ln -s "it's" link
	run -0 statf -c %N link
	[ "$output" = "'link' -> \"it's\"" ]
	# What %N prints gives back the name through the shell.
	for n in $'new\nline \'q\' $x' $'\001\'\001' $'\t\'x\n'; do
		touch -- "$n"
		eval "back=$(statf -c %N -- "$n")"
		[ "$back" = "$n" ] || { echo "$(statf -c %N -- "$n")"; false; }
	done
	# GNU stat 9.1 drops the $' before a first unprintable character of a
	# name with an apostrophe (so that the shell reads a backslash and
	# digits); statf does not.
	run -0 statf -c %N -- $'\001\'\001'
	[ "$output" = "''\$'\\001'\\'''\$'\\001'" ]
}

@test "%N with flags or a width prints the name unquoted, as GNU stat does" {
	touch 'a b'
	run -0 statf -c '[%-6N]' 'a b'
	[ "$output" = '[a b   ]' ]
	same_as_stat -c '[%-6N]' 'a b'
}

@test "an unknown directive is a usage error naming it, before any output" {
	touch f
	run --separate-stderr statf -c '%n %5q' f
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "statf: '%5q': unknown directive" ]
	[[ "${stderr_lines[1]}" == "usage: statf "* ]]
	run --separate-stderr statf -c '%Hx' f
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "statf: '%H': unknown directive" ]
	run --separate-stderr statf -c '%5%' f
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "statf: '%5%': invalid directive" ]
	run --separate-stderr statf -c '%99999999999s' f
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "statf: '%99999999999s': number too large" ]
}

@test "--printf: an unknown escape or a trailing backslash is a usage error" {
	touch f
	run --separate-stderr statf --printf 'a\qb' f
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "statf: '\\\\q': unrecognized escape" ]
	run --separate-stderr statf --printf 'a\' f
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "statf: backslash at end of format" ]
}

@test "default report: every field labelled as in os.stat_result, values as stat gives them" {
	printf 'hello\n' >f
	chmod 640 f
	run -0 statf f
	val() { awk -v k="$1" '$1 == k { sub(/^[^ ]+ +/, ""); print }' <<<"$output"; }
	[ "${lines[0]}" = "file          f" ]
	[ "$(val type)" = "regular file" ]
	[ "$(val st_mode)" = "0100640 -rw-r-----" ]
	[ "$(val st_ino)" = "$(stat -c %i f)" ]
	[ "$(val st_dev)" = "$(stat -c %Hd:%Ld f)" ]
	[ "$(val st_nlink)" = 1 ]
	[ "$(val st_uid)" = "$(stat -c '%u (%U)' f)" ]
	[ "$(val st_gid)" = "$(stat -c '%g (%G)' f)" ]
	[ "$(val st_size)" = "6 (6B)" ]
	[ "$(val st_blocks)" = "$(stat -c %b f)" ]
	[ "$(val st_blksize)" = "$(stat -c %o f)" ]
	[ "$(val st_rdev)" = "0:0" ]
	[ "$(val attributes)" = none ]
	# Times in ISO 8601 in the local zone: GNU's "%y" with a T and a colon.
	iso=$(stat -c %y f | sed -E 's/ /T/; s/ //; s/([0-9]{2})([0-9]{2})$/\1:\2/')
	[ "$(val st_mtime)" = "$iso" ]
	[[ "$(val st_mtime)" == *"+05:30" ]]
	if [ "$(stat -c %W f)" != 0 ]; then
		[ "$(val st_birthtime)" = "$(stat -c %w f | sed -E 's/ /T/; s/ //; s/([0-9]{2})([0-9]{2})$/\1:\2/')" ]
	fi
	[ "$(val stx_mnt_id)" = "$(statf -j f | jq .stx_mnt_id)" ]
	[ "${#lines[@]}" -eq 18 ]
}

@test "default report: sizes in human units, device numbers, a symlink's target" {
	head -c 1536 /dev/zero >k
	run -0 statf k
	[[ "$output" == *$'\nst_size       1536 (1.5K)\n'* ]]
	run -0 statf /dev/null
	[[ "$output" == *$'\ntype          character special file\n'* ]]
	[[ "$output" == *$'\nst_rdev       1:3\n'* ]]
	ln -s k link
	run -0 statf link
	[[ "$output" == *$'\ntype          symbolic link\n'* ]]
	[ "${lines[-1]}" = "target        k" ]
}

@test "default report: several files are separated by a blank line" {
	touch f g
	run -0 statf f g
	[ "${lines[0]}" = "file          f" ]
	[ "$(grep -c '^$' <<<"$output")" -eq 1 ]
	[ "$(grep -c '^file ' <<<"$output")" -eq 2 ]
}

@test "the birth time is '-' where the file system keeps none, as GNU stat says" {
	[ "$(stat -c %W /proc/version)" = 0 ] || skip "/proc records birth times here"
	run -0 statf /proc/version
	[[ "$output" == *$'\nst_birthtime  -\n'* ]]
	run -0 statf -j /proc/version
	[ "$(jq -c '[.st_birthtime, .st_birthtime_sec]' <<<"$output")" = "[null,null]" ]
	same_as_stat -c '%w %W' /proc/version
}

@test "without -L a symlink is reported as itself (lstat), with -L its target (stat)" {
	printf 'data\n' >f
	ln -s f l
	run -0 statf -c '%F %s %i' l
	[ "$output" = "symbolic link 1 $(stat -c %i l)" ]
	run -0 statf -L -c '%F %s %i' l
	[ "$output" = "regular file 5 $(stat -c %i f)" ]
	[ "$(statf -j l | jq -r .target)" = f ]
	[ "$(statf -L -j l | jq -r .target)" = null ]
}

@test "-L on a dangling symlink fails with the name and the reason" {
	ln -s nowhere dangling
	run --separate-stderr statf -L -c %n dangling
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "statf: dangling: No such file or directory" ]
}

@test "- reports standard input with fstat: a file, a pipe, a closed descriptor" {
	printf 'x\n' >f
	run -0 bash -c 'statf -c "%n %F %i" - <f'
	[ "$output" = "- regular file $(stat -c %i f)" ]
	run -0 bash -c 'echo hi | statf -c %F -'
	[ "$output" = fifo ]
	run --separate-stderr bash -c 'statf -c %F - <&-'
	[ "$status" -eq 1 ]
	[ "$stderr" = "statf: standard input: Bad file descriptor" ]
	[ "$(statf -c %i - <f)" = "$(stat -c %i - <f)" ]
}

@test "many files, some missing: each missing one reported, the rest printed, exit 1" {
	touch a b c
	run --separate-stderr statf -c %n a nope1 b nope2 c
	[ "$status" -eq 1 ]
	[ "$output" = $'a\nb\nc' ]
	[ "$stderr" = $'statf: nope1: No such file or directory\nstatf: nope2: No such file or directory' ]
}

@test "a directory on the path that cannot be searched: Permission denied, as nobody" {
	require_nobody
	mkdir -p locked
	touch locked/f
	chmod 700 locked
	run --separate-stderr as_nobody statf -c %n locked/f
	[ "$status" -eq 1 ]
	[ "$stderr" = "statf: locked/f: Permission denied" ]
	run -0 as_nobody statf -c %n locked
	[ "$output" = locked ]
}

@test "--files0-from: NUL-separated names from a file or stdin, newlines in names kept" {
	touch 'a b' $'new\nline' c
	printf '%s\0' 'a b' $'new\nline' c >list
	run -0 statf --files0-from=list --printf '[%n]'
	[ "$output" = $'[a b][new\nline][c]' ]
	run -0 bash -c "printf '%s\0' c 'a b' | statf --files0-from=- -c %s"
	[ "$output" = $'0\n0' ]
	# An empty list reports nothing and succeeds, as du does.
	run -0 statf --files0-from=/dev/null
	[ -z "$output" ]
}

@test "--files0-from: '-' in a list is a file of that name; missing names fail, the rest go on" {
	printf 'dash\n' >./-
	printf '%s\0' - nope >list
	run --separate-stderr statf --files0-from=list -c '%n %s'
	[ "$status" -eq 1 ]
	[ "$output" = "- 5" ]
	[ "$stderr" = "statf: nope: No such file or directory" ]
}

@test "--files0-from with operands, or a list that cannot be opened: usage errors" {
	touch f
	run --separate-stderr statf --files0-from=- f
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" == "statf: extra operand 'f'"* ]]
	run --separate-stderr statf --files0-from=nolist
	[ "$status" -eq 2 ]
	[ "$stderr" = "statf: nolist: No such file or directory" ]
}

@test "-s: shell assignments equal to stat's values, safe to eval for a hostile name" {
	name=$'x\'; touch pwned; echo \'\n$(touch pwned2)`touch pwned3`'
	printf 'abc' >"$name"
	run -0 statf -s -- "$name"
	[[ "$output" == "st_dev="* ]]
	for sh in sh bash; do
		got=$("$sh" -c 'eval "$(statf -s -- "$1")" && printf "%s|%s|%s|%s|%s|%s|%s\n" \
		    "$st_dev" "$st_ino" "$st_mode" "$st_size" "$st_mtime" "$st_uid" "$file"' sh "$name")
		mode=$(printf '0%o' "0x$(stat -c %f -- "$name")")
		[ "$got" = "$(stat -c '%d|%i|' -- "$name")$mode|$(stat -c '%s|%Y|%u|' -- "$name")$name" ] ||
			{ echo "$sh: $got"; false; }
	done
	[ ! -e pwned ] && [ ! -e pwned2 ] && [ ! -e pwned3 ]
}

@test "-s: the fields of BSD stat -s, in its order, then the name" {
	touch f
	run -0 statf -s f
	keys=$(tr ' ' '\n' <<<"$output" | cut -d= -f1 | tr '\n' ' ')
	[ "$keys" = "st_dev st_ino st_mode st_nlink st_uid st_gid st_rdev st_size st_atime st_mtime st_ctime st_birthtime st_blksize st_blocks file " ]
}

@test "-j: every field, equal to what stat and /proc/self/mountinfo say" {
	printf 'hello\n' >f
	run -0 statf -j f
	j=$output
	[ "$(jq -r .file <<<"$j")" = f ]
	[ "$(jq -r .type <<<"$j")" = "regular file" ]
	[ "$(jq -r '"\(.st_mode) \(.mode_octal) \(.filemode)"' <<<"$j")" = \
	    "$(( 0x$(stat -c %f f) )) $(printf '%o' "0x$(stat -c %f f)") $(stat -c %A f)" ]
	[ "$(jq -r '"\(.st_ino) \(.st_dev) \(.st_dev_major):\(.st_dev_minor) \(.st_nlink)"' <<<"$j")" = \
	    "$(stat -c '%i %d %Hd:%Ld %h' f)" ]
	[ "$(jq -r '"\(.st_uid) \(.user) \(.st_gid) \(.group) \(.st_size) \(.st_blocks) \(.st_blksize)"' <<<"$j")" = \
	    "$(stat -c '%u %U %g %G %s %b %o' f)" ]
	# Times: the exact seconds, as text, before jq rounds them to a double.
	sec=$(grep -o '"st_mtime_sec":[0-9.]*' <<<"$j" | cut -d: -f2)
	[ "$sec" = "$(stat -c %.9Y f)" ]
	[ "$(jq -r .st_mtime <<<"$j")" = "$(TZ=UTC0 stat -c %y f | sed -E 's/ /T/; s/ \+0000$/Z/')" ]
	# The mount id is the first field of a line of the mount table.
	mnt=$(jq .stx_mnt_id <<<"$j")
	awk -v id="$mnt" '$1 == id { found = 1 } END { exit !found }' /proc/self/mountinfo
	[ "$(jq -c .attributes <<<"$j")" = "[]" ]
	[ "$(jq .target <<<"$j")" = null ]
	[ "$(jq -r 'keys_unsorted | join(" ")' <<<"$j")" = "file type st_mode mode_octal filemode st_ino st_dev st_dev_major st_dev_minor st_nlink st_uid user st_gid group st_size st_blocks st_blksize st_rdev st_rdev_major st_rdev_minor st_atime st_atime_sec st_mtime st_mtime_sec st_ctime st_ctime_sec st_birthtime st_birthtime_sec stx_mnt_id stx_mask stx_attributes stx_attributes_mask attributes attributes_supported target" ]
}

@test "%m: the mount point of the file's mount id, as mountinfo says and GNU stat agrees" {
	touch f
	run -0 statf -c %m f /proc/self/status /
	mnt=$(statf -j f | jq .stx_mnt_id)
	[ "${lines[0]}" = "$(awk -v id="$mnt" '$1 == id { print $5 }' /proc/self/mountinfo)" ]
	[ "${lines[1]}" = /proc ]
	[ "${lines[2]}" = / ]
	# Where no bind mount is on the way, GNU stat says the same.
	for file in / /proc/self/status; do
		same_as_stat -c '[%m][%10m][%-10m]' "$file"
	done
}

@test "%m names a mount point with a space, and a bind mount, where GNU stat says /" {
	require_root
	mkdir 'm p' src dst
	mount -t tmpfs ostour-test 'm p' 2>/dev/null || skip "cannot mount a tmpfs here"
	touch 'm p/f' src/x
	ln -s 'm p/f' link
	if mount --bind src dst 2>/dev/null; then
		bound=yes
	fi
	# Everything read before the mounts go, whatever it says.
	run statf -c %m 'm p/f' link ${bound:+dst/x}
	followed=$(statf -L -c %m link) || true
	umount 'm p'
	[ -z "${bound:-}" ] || umount dst
	[ "$status" -eq 0 ]
	here=$(pwd -P)
	[ "${lines[0]}" = "$here/m p" ]
	[ "$followed" = "$here/m p" ]
	[ "${lines[1]}" = "$(statf -c %m .)" ]
	[ -z "${bound:-}" ] || [ "${lines[2]}" = "$here/dst" ]
}

@test "-j: a name that is not UTF-8 comes back byte for byte through Python" {
	require_cmd python3
	touch $'bad\xff\n'
	statf -j $'bad\xff\n' >out.json
	run -0 python3 -c 'import json, os, sys; print(os.fsencode(json.load(open("out.json"))["file"]) == b"bad\xff\n")'
	[ "$output" = True ]
}

@test "-j: attributes set with chattr are named" {
	require_root
	require_cmd chattr
	touch f
	chattr +a f 2>/dev/null || skip "this file system has no append-only attribute"
	run statf -j f
	chattr -a f
	[ "$status" -eq 0 ]
	[ "$(jq -c .attributes <<<"$output")" = '["append"]' ]
	[ "$(jq '.attributes_supported | index("append") != null' <<<"$output")" = true ]
}

@test "a group name with control characters is escaped on a terminal, in the report and in %G" {
	require_cmd script
	touch f
	chgrp 4242 f
	run -0 with_hostile_group script -qec "statf -c '[%G]' f; statf f" /dev/null
	[[ "$output" == *'[ev\033[31mil]'* ]]
	[[ "$output" == *'4242 (ev\033[31mil)'* ]]
	[[ "$output" != *$'\033'* ]]
	# Into a pipe, as it is.
	run -0 with_hostile_group statf -c '%G' f
	[ "$output" = $'ev\033[31mil' ]
}

@test "on a terminal, control characters in names are escaped; into a pipe they are not" {
	require_cmd script
	touch $'red\033[31m'
	run -0 script -qec "statf -c '[%n]' $'red\033[31m'" /dev/null
	[ "${output%$'\r'}" = '[red\033[31m]' ]
	[ "$(statf -c '[%n]' $'red\033[31m' | od -An -c | tr -s ' ')" = " [ r e d 033 [ 3 1 m ] \n" ]
}

@test "no operand, or a format with -j or -s: usage errors" {
	run --separate-stderr statf
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "statf: missing operand" ]
	for opts in "-c %n -j" "-j -s" "--printf=%n -s" "-t -j" "-s -t"; do
		run --separate-stderr statf $opts f
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "statf: -j, -s and a format (-c, --printf, -t) cannot be combined" ]
	done
}
