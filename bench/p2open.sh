#!/bin/sh
# Throughput: 1 GiB through "p2open -m 2 cat" against a plain "cat FILE | cat",
# side by side in one run.  PERFORMANCE.md: p2open >= 1.2x the plain pipe.
# The data lives in a temporary directory (on tmpfs when /dev/shm has room),
# removed at exit.  BENCH_SIZE_MB and BENCH_RUNS change the workload.
# Absolute times drift with the machine's load; the ratio is what counts.
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

# One run of a command: its wall time and the CPU time (user + system) of
# all its processes, in microseconds.  Under load the CPU time tells more
# than the wall time, which depends on what else the machine runs.
run_once() {
	(
		t0=$(date +%s%N)
		sh -c "$1" >/dev/null
		t1=$(date +%s%N)
		echo "$(( (t1 - t0) / 1000 ))"
		times
	) | awk 'function sec(s) { split(s, p, "m"); sub("s", "", p[2]); return p[1] * 60 + p[2] }
	    NR == 1 { wall = $1 }
	    NR == 3 { printf "%d %d\n", wall, (sec($1) + sec($2)) * 1e6 }'
}

# Each command RUNS times, alternating, after one warm-up run each, so that
# a busy neighbour slows both alike; hyperfine would time all the runs of
# one before the other.
: >"$dir/t.tool"
: >"$dir/t.anchor"
i=-1
while [ "$i" -lt "$RUNS" ]; do
	for which in tool anchor; do
		if [ "$which" = tool ]; then cmd=$tool; else cmd=$anchor; fi
		t=$(run_once "$cmd")
		[ "$i" -lt 0 ] || echo "$t" >>"$dir/t.$which"
	done
	i=$((i + 1))
done

# The median wall time, the best, and the median CPU time, in seconds.
stats() {
	sort -n "$1" | awk '{ w[NR] = $1 }
	    END { m = int((NR + 1) / 2); printf "%.4f %.4f ", w[m] / 1e6, w[1] / 1e6 }'
	sort -n -k 2 "$1" | awk '{ c[NR] = $2 }
	    END { printf "%.4f\n", c[int((NR + 1) / 2)] / 1e6 }'
}
set -- $(stats "$dir/t.tool") $(stats "$dir/t.anchor")

printf '\np2open: %d MiB through a cat child (anchor: a plain cat pipe; %d runs each, alternating)\n' \
    "$SIZE_MB" "$RUNS"
printf '%-21s %-12s %7s %7s %9s %6s %6s %8s %8s\n' tool anchor \
    "tool s" "anch s" "tool MB/s" ratio best "tool cpu" "anch cpu"
awk -v t="$1" -v tb="$2" -v tc="$3" -v a="$4" -v ab="$5" -v ac="$6" \
    -v mb="$SIZE_MB" 'BEGIN {
	printf "%-21s %-12s %7.3f %7.3f %9.0f %5.2fx %5.2fx %8.3f %8.3f\n",
	    "p2open -m 2 -i F cat", "cat F | cat", t, a, mb / t,
	    a / t, ab / tb, tc, ac }'
echo "(medians; ratio: p2open's throughput over the plain pipe's, for the" \
    "median and the best run; cpu: user + system seconds of all processes)"

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
