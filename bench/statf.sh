#!/bin/sh
# statf against GNU stat on 100,000 listed files: the names come as a NUL
# list on standard input, as walktree -0 or find -print0 would give them.
# Anchor: xargs -0 stat --printf=FORMAT.  Target (PERFORMANCE.md): <= 0.70x;
# a bare fstatat loop reaches 0.61x.  Run by "make bench", or alone with
# the built tools first in PATH.
set -eu

N=${STATF_BENCH_FILES:-100000}
FORMAT='%n %s %a %U %Y'
command -v statf >/dev/null || { echo "statf.sh: statf is not in PATH" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/statf-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The files: 100 directories of 1,000 files each, created by one process.
mkdir "$tmp/tree"
awk -v n="$N" -v dir="$tmp/tree" 'BEGIN {
	for (i = 0; i < n; i++) {
		if (i % 1000 == 0)
			system("mkdir " dir "/d" i / 1000)
		f = sprintf("%s/d%d/file%06d", dir, int(i / 1000), i)
		printf "" > f
		close(f)
	}
}'
find "$tmp/tree" -type f -print0 >"$tmp/list"

# Two formats: numbers only, which is the stat calls and the printing, and
# with owner names, where the user and group databases come in too.
NUMERIC='%n %s %a %u %g %i %Y'
NAMES='%n %U %G'

# Both tools must print the same bytes before their times mean anything.
for fmt in "$NUMERIC" "$NAMES"; do
	statf --files0-from=- -c "$fmt" <"$tmp/list" >"$tmp/out.statf"
	xargs -0 stat --printf="$fmt\n" <"$tmp/list" >"$tmp/out.stat"
	cmp -s "$tmp/out.statf" "$tmp/out.stat" ||
		{ echo "statf.sh: statf and stat print different output for '$fmt'" >&2; exit 1; }
done

# measure NAME FORMAT: the mean seconds of statf and of the anchor.
measure() {
	tool="statf --files0-from=- -c '$2' <$tmp/list >/dev/null"
	anchor="xargs -0 stat --printf='$2\n' <$tmp/list >/dev/null"
	if command -v hyperfine >/dev/null; then
		hyperfine --style none --warmup 1 --runs 5 --export-json "$tmp/t.json" \
		    -n statf "$tool" -n anchor "$anchor" >/dev/null 2>"$tmp/hyperfine.err"
		python3 - "$tmp/t.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
print(r["statf"], r["anchor"])
PY
	else
		# Without hyperfine: the best of five runs each.
		for cmd in "$tool" "$anchor"; do
			best=
			for _ in 1 2 3 4 5; do
				s=$(date +%s%N); sh -c "$cmd"; e=$(date +%s%N)
				t=$((e - s))
				if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
			done
			printf '%s ' "$(awk -v t="$best" 'BEGIN { print t / 1e9 }')"
		done
		echo
	fi
}

echo "== statf: stat $N files listed on standard input (target <= 0.70x the anchor)"
printf '%-28s %12s %12s %8s\n' "format" "statf ms" "anchor ms" "ratio"
for fmt in "$NUMERIC" "$NAMES"; do
	measure "$fmt" "$fmt" | awk -v f="$fmt" '{
		printf "%-28s %12.1f %12.1f %7.2fx\n", f, $1 * 1e3, $2 * 1e3, $1 / $2 }'
done
echo "(anchor: xargs -0 stat --printf=FORMAT; statf: statf --files0-from=- -c FORMAT)"

# System calls per file over 2,000 of the files, every process counted.
if command -v strace >/dev/null; then
	head -z -n 2000 "$tmp/list" >"$tmp/sublist"
	count() {
		strace -f -c -o "$tmp/strace.out" sh -c "$1" >/dev/null 2>&1 || true
		awk '$NF == "total" { print $4 }' "$tmp/strace.out"
	}
	ts=$(count "statf --files0-from=- -c '$NUMERIC' <$tmp/sublist >/dev/null")
	as=$(count "xargs -0 stat --printf='$NUMERIC\n' <$tmp/sublist >/dev/null")
	tn=$(count "statf --files0-from=- -c '$NAMES' <$tmp/sublist >/dev/null")
	an=$(count "xargs -0 stat --printf='$NAMES\n' <$tmp/sublist >/dev/null")
	printf '%-28s %12s %12s\n' "syscalls per file" "statf" "anchor"
	awk -v ts="$ts" -v as="$as" -v tn="$tn" -v an="$an" 'BEGIN {
		printf "%-28s %12.2f %12.2f\n", "numbers", ts / 2000, as / 2000
		printf "%-28s %12.2f %12.2f\n", "names", tn / 2000, an / 2000
	}'
fi
