#!/bin/sh
# Throughput: 1 GiB through "p2open -m 2 cat" against a plain "cat FILE | cat",
# side by side in one run.  PERFORMANCE.md: p2open >= 1.2x the plain pipe.
# The data lives in a temporary directory (on tmpfs when /dev/shm has room),
# removed at exit.  BENCH_SIZE_MB and BENCH_RUNS change the workload.
set -eu

SIZE_MB=${BENCH_SIZE_MB:-1024}
RUNS=${BENCH_RUNS:-10}

base=${TMPDIR:-/tmp}
if [ -d /dev/shm ] && [ -w /dev/shm ] &&
    [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt $((SIZE_MB * 1024 * 2)) ]; then
	base=/dev/shm
fi
dir=$(mktemp -d "$base/p2open-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM
file=$dir/data
head -c "$((SIZE_MB * 1024 * 1024))" /dev/zero >"$file"
cat "$file" >/dev/null	# warm the cache

tool="p2open -m 2 -i $file cat"
anchor="cat $file | cat"

# Seconds per run of each command, median of RUNS, measured alternately so
# that a busy neighbour slows both alike.
_hyperfine_medians() {
	out=$dir/hyperfine.json
	hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$out" \
	    "$tool" "sh -c '$anchor >/dev/null'" >/dev/null 2>&1 || return 1
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(" ".join("%.4f" % x["median"] for x in r))' "$out"
}

_loop_medians() {
	i=0
	: >"$dir/t.tool"
	: >"$dir/t.anchor"
	while [ "$i" -lt "$RUNS" ]; do
		for which in tool anchor; do
			if [ "$which" = tool ]; then cmd=$tool; else cmd=$anchor; fi
			t0=$(date +%s%N)
			sh -c "$cmd" >/dev/null
			t1=$(date +%s%N)
			echo "$(( (t1 - t0) / 1000 ))" >>"$dir/t.$which"
		done
		i=$((i + 1))
	done
	for which in tool anchor; do
		sort -n "$dir/t.$which" | awk '{ t[NR] = $1 }
		    END { printf "%.4f ", t[int((NR + 1) / 2)] / 1e6 }'
	done
	echo
}

if command -v hyperfine >/dev/null 2>&1 && medians=$(_hyperfine_medians); then
	how="hyperfine, median of $RUNS"
else
	medians=$(_loop_medians)
	how="timed loop, median of $RUNS"
fi
set -- $medians

printf '\np2open: %d MiB through a cat child (anchor: a plain cat pipe; %s)\n' \
    "$SIZE_MB" "$how"
printf '%-24s %-20s %10s %10s %10s %10s %7s\n' tool anchor "tool s" "anchor s" \
    "tool MB/s" "anch MB/s" ratio
awk -v t="$1" -v a="$2" -v mb="$SIZE_MB" 'BEGIN {
	printf "%-24s %-20s %10.3f %10.3f %10.0f %10.0f %6.2fx\n",
	    "p2open -m 2 -i F cat", "cat F | cat", t, a, mb / t, mb / a, a / t }'

# Where p2open's own time goes: its system calls for the whole run (the
# child's are cat's business and the same as in the plain pipe).
if command -v strace >/dev/null 2>&1; then
	strace -c -o "$dir/strace" p2open -m 2 -i "$file" cat >/dev/null
	awk '$NF == "total" { total = $4 }
	    $NF ~ /^(splice|poll|read|write)$/ { n[$NF] = $4 }
	    END {
		printf "p2open itself: %d system calls", total
		for (c in n) printf ", %s %d", c, n[c]
		print ""
	    }' "$dir/strace"
fi
