#!/bin/sh
# walktree against find on a tree of 200,000 entries, warm cache, in one
# run: "walktree -p -U" against "find DIR" (and fdfind -uu), "walktree -p"
# against "find DIR | sort", and the system calls per entry of each.
# Targets (PERFORMANCE.md): -p -U <= 0.60 x find and <= 0.5 system calls
# per entry, faster than fdfind; -p <= 0.80 x find | sort.
set -eu
. "$(dirname "$0")/lib/compare.sh"
bench_need walktree mktree find sort
export LC_ALL=C

bench_workdir walktree

# Five subdirectories and nine files in every directory, six levels deep,
# and more files at the top up to 200,000 paths in all (the root is one):
# a directory for every ten entries, as in a source tree.
printf 'building a tree of 200000 entries in %s\n' "$work"
awk 'function mk(p, d,   i) {
		for (i = 0; i < 9; i++)
			print p "/file" i ".txt" > "files"
		if (d == 6)
			return
		for (i = 0; i < 5; i++) {
			print p "/dir" i > "dirs"
			mk(p "/dir" i, d + 1)
		}
	}
	BEGIN {
		print "t" > "dirs"
		mk("t", 0)
		for (i = 0; i < 4690; i++)
			print "t/extra" i ".txt" > "files"
	}'
tr '\n' '\0' <dirs | mktree -p --files0-from=-
# awk makes the files itself: touch(1) costs far more per file.
awk '{ printf "" >$0; close($0) }' files
entries=$(find t | wc -l)
[ "$entries" -eq 200000 ] || { echo "bench: the tree has $entries entries" >&2; exit 1; }
# Warm the cache.
find t >/dev/null

fd=
command -v fdfind >/dev/null 2>&1 && fd="fdfind -uu . t"
bench_compare "walk 200,000 entries, unsorted paths" exec \
	"find t" "walktree -p -U t" ${fd:+"$fd"}
bench_compare "walk 200,000 entries, sorted paths" sh \
	"find t | sort" "walktree -p t"

bench_syscalls_header entry
bench_syscalls "$entries" "find t"
bench_syscalls "$entries" "walktree -p -U t"
bench_syscalls "$entries" "walktree -p t"
[ -z "$fd" ] || bench_syscalls "$entries" "$fd"
