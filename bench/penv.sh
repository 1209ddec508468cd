#!/bin/sh
# penv against its anchors, side by side in one run, in a fixed environment
# of 40 variables: printing the environment (env), start-up (id: the suite
# asks every tool's common path for at most 0.70x of it), one value
# (printenv) and running a command (env true).  Prints the time per run,
# the ratio tool / anchor and the system calls per run.
set -eu

command -v penv >/dev/null || { echo "bench/penv.sh: penv is not in PATH" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-penv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
runs=${RUNS:-100}
rounds=${ROUNDS:-5}

# The environment every command runs in: the size of a desktop session's,
# so that the figures do not depend on whoever runs the script.
i=0
set -- PATH="$PATH" HOME=/root LANG=C.UTF-8 TERM=xterm-256color SHELL=/bin/sh
while [ "$i" -lt 35 ]; do
	set -- "$@" "OSTOUR_BENCH_VAR_$i=/usr/local/share/ostour/value/number/$i"
	i=$((i + 1))
done

# Milliseconds per run of the tool and of the anchor, one per line.  On a
# shared machine other work stretches some runs by several times, so each
# round takes the fastest run (the cost without interference), the two
# commands are measured in turn, and each figure is the median of the
# rounds: a burst of load from elsewhere moves one round, not the result.
measure() {
	: >"$tmp/rounds"
	r=0
	while [ "$r" -lt "$rounds" ]; do
		for c in "$penv_cmd" "$anchor_cmd"; do
			printf '%s\t%s\n' "$c" "$(fastest_ms "$c" "$@")" >>"$tmp/rounds"
		done
		r=$((r + 1))
	done
	for c in "$penv_cmd" "$anchor_cmd"; do
		awk -F '\t' -v c="$c" '$1 == c { print $2 }' "$tmp/rounds" |
		    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
	done
}

# The fastest run of one round of runs of one command, in milliseconds.
fastest_ms() {
	c=$1
	shift
	if command -v hyperfine >/dev/null; then
		env -i "$@" hyperfine -N --warmup 10 --runs "$runs" \
		    --export-csv "$tmp/h.csv" "$c" >/dev/null 2>&1
		awk -F, 'NR == 2 { printf "%.3f\n", $7 * 1000 }' "$tmp/h.csv"
		return
	fi
	# Without hyperfine: the mean of a timed loop.
	start=$(date +%s%N)
	n=0
	while [ "$n" -lt "$runs" ]; do
		env -i "$@" $c >/dev/null
		n=$((n + 1))
	done
	end=$(date +%s%N)
	awk -v ns="$((end - start))" -v n="$runs" \
	    'BEGIN { printf "%.3f\n", ns / n / 1e6 }'
}

# System calls made by one run, children included (the "calls" column of
# strace's total line).
syscalls() {
	cmd=$1
	shift
	if command -v strace >/dev/null &&
	    env -i "$@" strace -f -c -o "$tmp/s" $cmd >/dev/null 2>&1; then
		awk '$NF == "total" { print $4 }' "$tmp/s"
	else
		echo -
	fi
}

row() {
	label=$1 penv_cmd=$2 anchor_cmd=$3 target=$4
	shift 4
	measure "$@" >"$tmp/m"
	t=$(sed -n 1p "$tmp/m")
	a=$(sed -n 2p "$tmp/m")
	printf '%-22s %-14s %-14s %8s %8s %6s %7s %6s %6s\n' "$label" \
	    "$penv_cmd" "$anchor_cmd" "$t" "$a" \
	    "$(awk -v t="$t" -v a="$a" 'BEGIN { printf "%.2f", t / a }')" \
	    "$target" "$(syscalls "$penv_cmd" "$@")" \
	    "$(syscalls "$anchor_cmd" "$@")"
}

echo "penv: ms per run (median of $rounds rounds' fastest), ratio = tool / anchor, system calls per run"
printf '%-22s %-14s %-14s %8s %8s %6s %7s %6s %6s\n' workload tool anchor \
    tool-ms anch-ms ratio target sys-t sys-a
row "print the environment" penv env "-" "$@"
row "start-up" penv id "<=0.70" "$@"
row "one value" "penv -g HOME" "printenv HOME" "-" "$@"
row "run a command" "penv true" "env true" "-" "$@"
