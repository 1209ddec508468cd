# Side-by-side timing for the bench/*.sh scripts: a tool and its anchor
# measured in turn, in one run, in an environment given in full.  A script
# sets $tmp (a scratch directory of its own), sources this file and calls
#	bench_header TITLE
#	bench_row LABEL TOOL-COMMAND ANCHOR-COMMAND TARGET [NAME=VALUE ...]
# Commands are split at spaces and run without a shell; they run in the
# script's working directory with exactly the NAME=VALUE environment.

bench_runs=${RUNS:-100}
bench_rounds=${ROUNDS:-5}

# The fastest run of one round of runs of one command, in milliseconds.
bench_fastest_ms() {
	c=$1
	shift
	if command -v hyperfine >/dev/null; then
		env -i "$@" hyperfine -N --warmup 10 --runs "$bench_runs" \
		    --export-csv "$tmp/h.csv" "$c" >/dev/null 2>&1
		awk -F, 'NR == 2 { printf "%.3f\n", $7 * 1000 }' "$tmp/h.csv"
		return
	fi
	# Without hyperfine: the mean of a timed loop.
	start=$(date +%s%N)
	n=0
	while [ "$n" -lt "$bench_runs" ]; do
		env -i "$@" $c >/dev/null
		n=$((n + 1))
	done
	end=$(date +%s%N)
	awk -v ns="$((end - start))" -v n="$bench_runs" \
	    'BEGIN { printf "%.3f\n", ns / n / 1e6 }'
}

# Milliseconds per run of the tool and of the anchor, one per line.  On a
# shared machine other work stretches some runs by several times, so each
# round takes the fastest run (the cost without interference), the two
# commands are measured in turn, and each figure is the median of the
# rounds: a burst of load from elsewhere moves one round, not the result.
bench_measure() {
	tool_cmd=$1 anchor_cmd=$2
	shift 2
	: >"$tmp/rounds"
	r=0
	while [ "$r" -lt "$bench_rounds" ]; do
		for c in "$tool_cmd" "$anchor_cmd"; do
			printf '%s\t%s\n' "$c" "$(bench_fastest_ms "$c" "$@")" \
			    >>"$tmp/rounds"
		done
		r=$((r + 1))
	done
	for c in "$tool_cmd" "$anchor_cmd"; do
		awk -F '\t' -v c="$c" '$1 == c { print $2 }' "$tmp/rounds" |
		    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
	done
}

# System calls made by one run, children included (the "calls" column of
# strace's total line), or "-" without strace.
bench_syscalls() {
	cmd=$1
	shift
	if command -v strace >/dev/null &&
	    env -i "$@" strace -f -c -o "$tmp/s" $cmd >/dev/null 2>&1; then
		awk '$NF == "total" { print $4 }' "$tmp/s"
	else
		echo -
	fi
}

bench_line() {
	printf '%-22s %-16s %-14s %8s %8s %6s %7s %6s %6s\n' "$@"
}

bench_header() {
	echo "$1: ms per run (median of $bench_rounds rounds' fastest)," \
	    "ratio = tool / anchor, system calls per run"
	bench_line workload tool anchor tool-ms anch-ms ratio target sys-t sys-a
}

bench_row() {
	label=$1 tool=$2 anchor=$3 target=$4
	shift 4
	bench_measure "$tool" "$anchor" "$@" >"$tmp/m"
	t=$(sed -n 1p "$tmp/m")
	a=$(sed -n 2p "$tmp/m")
	bench_line "$label" "$tool" "$anchor" "$t" "$a" \
	    "$(awk -v t="$t" -v a="$a" 'BEGIN { printf "%.2f", t / a }')" \
	    "$target" "$(bench_syscalls "$tool" "$@")" \
	    "$(bench_syscalls "$anchor" "$@")"
}
