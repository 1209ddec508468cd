#!/bin/sh
# mktree against xargs mkdir -p: 50,000 directories made from a list of
# names, parents first, on tmpfs when /dev/shm is there, in one run, and
# the system calls per directory of each.
# Target (PERFORMANCE.md): mktree -p --files0-from=- <= 0.55 x.
set -eu
. "$(dirname "$0")/lib/compare.sh"
bench_need mktree xargs mkdir
export LC_ALL=C

bench_workdir mktree

# 50 directories of 999 each: 50,000 names, each parent before its
# children, as walktree -0 -p -D lists a tree to mirror.
printf 'making 50000 directories from a list in %s\n' "$work"
awk 'BEGIN { for (i = 0; i < 50; i++) { print "m/" i
		for (j = 0; j < 999; j++) print "m/" i "/" j } }' | tr '\n' '\0' >list
[ "$(tr -cd '\0' <list | wc -c)" -eq 50000 ]

export BENCH_PREPARE="rm -rf $work/m"
bench_compare "make 50,000 directories from a list" exec \
	"xargs -0 -a list mkdir -p" "mktree -p --files0-from=list"

bench_syscalls_header dir
bench_syscalls 50000 "xargs -0 -a list mkdir -p"
bench_syscalls 50000 "mktree -p --files0-from=list"
