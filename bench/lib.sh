# Shared by the bench scripts: time a tool and its anchor side by side in
# one run and print the ratio.  With hyperfine, its mean over many runs;
# without it, the best of repeated timed loops.

RUNS=${BENCH_RUNS:-300}

bench_header() {
	printf '\n%s\n' "$1"
	printf '%-44s %-30s %12s %12s %7s\n' tool anchor "tool" "anchor" ratio
}

# The mean wall time in milliseconds of each command, via hyperfine's JSON
# export (no shell in between: -N).
_hyperfine_means() {
	out=$(mktemp)
	hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$out" \
		"$1" "$2" >/dev/null 2>&1 || { rm -f "$out"; return 1; }
	python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))["results"]
print(" ".join("%.4f" % (x["mean"]*1000) for x in r))' "$out"
	rm -f "$out"
}

# Without hyperfine: milliseconds per run over RUNS runs, best of three.
_loop_ms() {
	best=
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		i=0
		while [ "$i" -lt "$RUNS" ]; do
			sh -c "exec $1" >/dev/null
			i=$((i + 1))
		done
		t1=$(date +%s%N)
		ms=$(( (t1 - t0) / RUNS ))
		[ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
	done
	awk -v ns="$best" 'BEGIN { printf "%.4f", ns / 1e6 }'
}

# bench_pair "tool command" "anchor command": one row of the table.
bench_pair() {
	if command -v hyperfine >/dev/null 2>&1 &&
	    means=$(_hyperfine_means "$1" "$2"); then
		set -- "$1" "$2" $means
	else
		set -- "$1" "$2" "$(_loop_ms "$1")" "$(_loop_ms "$2")"
	fi
	awk -v a="$1" -v b="$2" -v t="$3" -v r="$4" 'BEGIN {
		printf "%-44s %-30s %9.3f ms %9.3f ms %6.2fx\n", a, b, t, r, t / r }'
}

# bench_syscalls "tool command" "anchor command": system calls of each
# (the commands are split on blanks; no shell runs in between).
bench_syscalls() {
	command -v strace >/dev/null 2>&1 || { echo "(strace is not installed)"; return 0; }
	for c in "$1" "$2"; do
		n=$(strace -f -qq -c -o /dev/stderr $c 2>&1 >/dev/null |
			awk '$NF == "total" { print $(NF-2) }')
		printf '%-44s %s system calls\n' "$c" "$n"
	done
}
