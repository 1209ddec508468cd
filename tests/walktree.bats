#!/usr/bin/env bats
# walktree: the walk compared with find(1) on the same trees (the same set
# of paths), the exact output of each format on a small tree, and the hard
# cases: symbolic links and loops, hostile names, unreadable directories,
# a mount point, a tree far deeper than PATH_MAX.

load helpers

# The 5000-deep tree goes on tmpfs where there is one: 5000 mkdirs take
# seconds on a journalled file system and milliseconds on tmpfs.  The
# scratch directory's teardown stays as helpers.bash defines it.
eval "scratch_$(declare -f teardown)"
teardown() {
	[ -z "${DEEP:-}" ] || rm -rf "$DEEP"
	scratch_teardown
}

# A tree with files, directories, links to a file, a directory and an
# ancestor (a loop), a dangling link, and names with a space, a newline
# and a byte that is not UTF-8.
make_tree() {
	mkdir -p t/a/b t/c 't/sp ace' "t/new
line"
	touch t/f t/a/g t/a/b/h 't/sp ace/i' "t/new
line/j" "t/bad$(printf '\377')name"
	ln -s f t/lf
	ln -s a t/ld
	ln -s .. t/a/loop
	ln -s nowhere t/dangling
}

# A small tree whose every output can be written out in full.
make_small() {
	mkdir -p s/a/x s/b
	touch s/a/x/1 s/c s/b/2
}

# The set of paths a command prints with -0 / -print0, one per line
# (od-safe: sorted NUL-terminated records, shown as octal).
paths0() {
	"$@" | sort -z | od -An -c
}

@test "-p gives the same set of paths as find" {
	make_tree
	[ "$(paths0 walktree -0 -p t)" = "$(paths0 find t -print0)" ]
	[ "$(paths0 walktree -0 -p t/)" = "$(paths0 find t/ -print0)" ]
}

@test "-p -U gives the same set of paths as find" {
	make_tree
	[ "$(paths0 walktree -0 -p -U t)" = "$(paths0 find t -print0)" ]
	[ "$(paths0 walktree -0 -p -U -d t)" = "$(paths0 find t -print0)" ]
}

@test "-p is sorted, each directory followed by what is below it" {
	make_small
	run -0 walktree -p s
	[ "$output" = "$(printf 's\ns/a\ns/a/x\ns/a/x/1\ns/b\ns/b/2\ns/c')" ]
}

@test "-p -d is bottom-up: each directory after everything below it" {
	make_small
	run -0 walktree -p -d s
	[ "$output" = "$(printf 's/a/x/1\ns/a/x\ns/a\ns/b/2\ns/b\ns/c\ns')" ]
}

@test "-p -d on the big tree: every directory comes after its contents" {
	make_tree
	run -0 walktree -p -d -U t
	# Remember each path's line; a parent's line must be later.
	awk '{ line[$0] = NR } END {
		for (p in line) {
			q = p; sub("/[^/]*$", "", q)
			if (q != p && q in line && line[q] < line[p]) { print p; bad = 1 }
		}
		exit bad }' <<<"$output"
	[ "${lines[${#lines[@]} - 1]}" = t ]
}

@test "-0 writes each path exactly, newlines and invalid UTF-8 included" {
	make_tree
	walktree -0 -p t/"new
line" >out
	[ "$(od -An -c out)" = "$(printf 't/new\nline\0t/new\nline/j\0' | od -An -c)" ]
	walktree -0 -p -m 1 t | grep -zqx "t/bad$(printf '\377')name"
}

@test "the default listing: path, dirnames with a slash, filenames" {
	make_small
	run -0 walktree s
	[ "$output" = "$(printf 's:\n  a/\n  b/\n  c\n\ns/a:\n  x/\n\ns/a/x:\n  1\n\ns/b:\n  2')" ]
}

@test "-D leaves out the filenames: the listing and -p" {
	make_small
	run -0 walktree -D s/a
	[ "$output" = "$(printf 's/a:\n  x/\n\ns/a/x:')" ]
	make_tree
	[ "$(paths0 walktree -0 -p -D t)" = "$(paths0 find t \( -type d -o -xtype d \) -print0)" ]
}

@test "-t draws the tree, with the counts" {
	make_small
	run -0 walktree -t s
	[ "$output" = "s
├── a
│   └── x
│       └── 1
├── b
│   └── 2
└── c

3 directories, 3 files" ]
	run -0 walktree -t -D s
	[ "$output" = "s
├── a
│   └── x
└── b

3 directories" ]
}

@test "-t draws a symbolic link with its target, as tree does" {
	mkdir s
	ln -s nowhere s/dangling
	ln -s . s/here
	ln -s $'\e[31m' s/odd
	run -0 walktree -t s
	[ "$output" = "s
├── dangling -> nowhere
├── here -> .
└── odd -> "$'\e[31m'"

1 directory, 2 files" ]
	# On a terminal the target is escaped too.
	require_cmd script
	run -0 script -qec 'walktree -t s' /dev/null
	[[ "$output" == *'odd -> \033[31m'* ]]
	[[ "$output" != *$'\e'* ]]
}

@test "-j prints os.walk's triples, links to directories among the dirnames" {
	make_small
	ln -s a s/la
	ln -s c s/lc
	run -0 walktree -j s
	[ "${lines[0]}" = '{"dirpath":"s","dirnames":["a","b","la"],"filenames":["c","lc"]}' ]
	[ "${lines[1]}" = '{"dirpath":"s/a","dirnames":["x"],"filenames":[]}' ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "-j -d: each directory's record after those of its subdirectories" {
	make_small
	run -0 walktree -j -d s
	[ "$(jq -r .dirpath <<<"$output" | tr '\n' ' ')" = "s/a/x s/a s/b s " ]
}

@test "-j parses and reassembles the same set of paths as find, byte for byte" {
	require_cmd python3
	make_tree
	walktree -j t >out.json
	jq -c . out.json >/dev/null
	python3 -c '
import json, os, sys
paths = set()
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    d = os.fsencode(r["dirpath"])
    paths.add(d)
    for n in r["dirnames"] + r["filenames"]:
        paths.add(d + b"/" + os.fsencode(n))
sys.stdout.buffer.write(b"".join(p + b"\0" for p in sorted(paths)))
' out.json | od -An -c >got
	[ "$(cat got)" = "$(paths0 find t -print0)" ]
}

@test "-m DEPTH descends at most DEPTH levels, as find -maxdepth" {
	make_tree
	for d in 0 1 2; do
		[ "$(paths0 walktree -0 -p -m "$d" t)" = "$(paths0 find t -maxdepth "$d" -print0)" ] ||
			{ echo "depth $d"; false; }
	done
	run -0 walktree -j -m 1 t
	[ "${#lines[@]}" -eq 1 ]
	run -0 walktree -m 0 t
	[ -z "$output" ]
}

@test "where d_type says nothing (ext2 without filetype), fstatat tells" {
	require_root
	require_cmd mkfs.ext2
	require_cmd unshare
	truncate -s 4M img
	mkfs.ext2 -q -O ^filetype img
	mkdir mnt
	run unshare -m sh -ec 'mount -o loop img mnt 2>/dev/null || exit 9
		cd mnt; rmdir lost+found; mkdir -p a/b; touch a/f; ln -s a la
		walktree -j .
		walktree -p -L -U . | sort >../walked; find -L . | sort >../found'
	[ "$status" -ne 9 ] || skip "cannot mount a loop device here"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"dirpath":".","dirnames":["a","la"],"filenames":[]}' ]
	[ "${lines[1]}" = '{"dirpath":"./a","dirnames":["b"],"filenames":["f"]}' ]
	[ "$(cat walked)" = "$(cat found)" ]
	[ "$(wc -l <walked)" -eq 7 ]
}

@test "-L follows links to directories; a loop is reported, not followed" {
	make_tree
	run --separate-stderr walktree -L -p t
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "walktree: t/a/loop: File system loop detected: not followed" ]
	[ "${stderr_lines[1]}" = "walktree: t/ld/loop: File system loop detected: not followed" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	# find -L leaves the looping links out; walktree lists them.
	[ "$(walktree -0 -L -p t 2>/dev/null | grep -azv '/loop$' | sort -z | od -An -c)" = \
	    "$(paths0 find -L t -print0 2>/dev/null)" ]
	grep -qx t/ld/b/h <<<"$output"
}

@test "-L: a loop of links is reported as find -L reports it; a dangling link is not" {
	mkdir t
	ln -s b t/a
	ln -s a t/b
	ln -s nowhere t/c
	run --separate-stderr walktree -L -p t
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 't\nt/a\nt/b\nt/c')" ]
	[ "$stderr" = "walktree: t/a: Too many levels of symbolic links
walktree: t/b: Too many levels of symbolic links" ]
	# Without -L no link is followed, so none is a loop.
	run -0 --separate-stderr walktree -p t
	[ -z "$stderr" ]
}

@test "without -L, links are listed and not followed" {
	make_tree
	run -0 walktree -p t
	grep -qx t/ld <<<"$output"
	! grep -q '^t/ld/' <<<"$output"
}

@test "-x stays on the root's file system (a tmpfs mounted in a private namespace)" {
	require_root
	require_cmd unshare
	make_tree
	unshare -m true 2>/dev/null || skip "cannot make a mount namespace here"
	run unshare -m sh -c 'mount -t tmpfs none t/c || exit 9
		touch t/c/inner; walktree -p -x t; echo --; walktree -p t'
	[ "$status" -ne 9 ] || skip "cannot mount a tmpfs here"
	[ "$status" -eq 0 ]
	before=${output%%--*}
	after=${output#*--}
	grep -qx t/c <<<"$before"
	! grep -q t/c/inner <<<"$before"
	grep -qx t/c/inner <<<"$after"
}

@test "an unreadable directory is reported, the walk goes on, exit 1" {
	require_nobody
	make_tree
	chmod 700 t/a
	run --separate-stderr as_nobody walktree -p t
	[ "$status" -eq 1 ]
	[ "$stderr" = "walktree: t/a: Permission denied" ]
	grep -qx t/a <<<"$output"
	! grep -q '^t/a/' <<<"$output"
	[ "$(printf '%s\n' "$output" | wc -l)" -eq "$(find t | grep -av '^t/a/' | wc -l)" ]
}

@test "a tree 5000 levels deep, paths far past PATH_MAX, with 16 descriptors" {
	require_cmd python3
	DEEP=$(mktemp -d /dev/shm/ostour-deep.XXXXXX 2>/dev/null) || DEEP=
	cd "${DEEP:-$SCRATCH}"
	python3 -c '
import os
fd = os.open(".", os.O_RDONLY)
for i in range(5000):
    os.mkdir("deep_directory", dir_fd=fd)
    n = os.open("deep_directory", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = n
os.close(os.open("leaf", os.O_CREAT | os.O_WRONLY, dir_fd=fd))
'
	run --separate-stderr bash -c 'set -o pipefail; ulimit -n 16
		walktree -p deep_directory | wc -l'
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" -eq 5001 ]
	run --separate-stderr bash -c 'set -o pipefail; ulimit -n 16
		walktree -d -j deep_directory | tail -1 | jq -r .dirpath'
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = deep_directory ]
	# Bottom-up, the leaf comes first: 5000 components of 14 bytes and a
	# slash each, then "leaf".
	run -0 bash -c 'walktree -p -d deep_directory | head -1 | wc -c'
	[ "$output" -eq $((5000 * 15 + 4 + 1)) ]
}

@test "a missing root is an error; the other roots are still walked" {
	make_small
	run --separate-stderr walktree -p nope s/b
	[ "$status" -eq 1 ]
	[ "$stderr" = "walktree: nope: No such file or directory" ]
	[ "$output" = "$(printf 's/b\ns/b/2')" ]
}

@test "a root that is a file: -p prints it as find does; the listing says no" {
	touch f
	run -0 walktree -p f
	[ "$output" = f ]
	run --separate-stderr walktree f
	[ "$status" -eq 1 ]
	[ "$stderr" = "walktree: f: Not a directory" ]
}

@test "a root that is a dangling symbolic link: -p prints it as find does" {
	ln -s nowhere dl
	run -0 walktree -p dl
	[ "$output" = "$(find dl)" ]
	run -0 walktree -p -m 0 dl
	[ "$output" = dl ]
	run -0 walktree -p -D dl
	[ -z "$output" ]
	run --separate-stderr walktree -j dl
	[ "$status" -eq 1 ]
	[ "$stderr" = "walktree: dl: No such file or directory" ]
}

@test "with no operand the root is ." {
	make_small
	cd s
	run -0 walktree -p
	[ "$output" = "$(printf '.\n./a\n./a/x\n./a/x/1\n./b\n./b/2\n./c')" ]
}

@test "--files0-from gives the roots" {
	make_small
	printf 's/a/x\0s/b' >roots
	run -0 walktree -p --files0-from=roots
	[ "$output" = "$(printf 's/a/x\ns/a/x/1\ns/b\ns/b/2')" ]
}

@test "on a terminal, control characters in names are escaped; into a pipe not" {
	require_cmd script
	mkdir e
	touch "e/$(printf 'x\033[31my')"
	run -0 script -qec 'walktree -p e' /dev/null
	[ "$(tr -d '\r' <<<"$output")" = "$(printf 'e\ne/x\\033[31my')" ]
	run -0 walktree -p e
	[ "$output" = "$(printf 'e\ne/x\033[31my')" ]
	# The listing and the drawing escape names too, roots included.
	mkdir "e/d$(printf '\033')z"
	run -0 script -qec 'walktree e; walktree -t e' /dev/null
	[ "$(tr -d '\r' <<<"$output")" = "$(printf '%s\n' 'e:' '  d\033z/' '  x\033[31my' '' 'e/d\033z:' \
	    e '├── d\033z' '└── x\033[31my' '' '1 directory, 1 file')" ]
	rmdir "e/d$(printf '\033')z"
	# -0 carries the data: exact even on a terminal.
	script -qec 'walktree -0 -p e' /dev/null >out
	[ "$(od -An -c out)" = "$(printf 'e\0e/x\033[31my\0' | od -An -c)" ]
}

@test "options that do not go together are usage errors" {
	for args in "-p -t" "-p -j" "-t -j" "-0" "-0 -t" "-t -d" "-j -D" "-m -1" "-m x"; do
		run --separate-stderr walktree $args .
		[ "$status" -eq 2 ] || { echo "$args: $status"; false; }
		[ -z "$output" ]
		[[ "${stderr_lines[1]}" == "usage: walktree "* ]] || { echo "$args: $stderr"; false; }
	done
}
