# Helpers for the bench/*.sh scripts that compare several commands on one
# workload: the commands timed side by side in one run (hyperfine when it
# is installed), and their system calls counted with strace -c -f.

# bench_compare TITLE MODE ANCHOR COMMAND...: time the anchor and each
# command in one run and print a table of mean wall-clock times and their
# ratios to the anchor's, with the CPU time (user + system) beside them,
# which a busy machine disturbs less.  MODE is "exec" to run the commands
# without a shell, "sh" for pipelines.  BENCH_PREPARE, if set, runs before
# each timed run.
bench_compare() {
	_title=$1 _mode=$2
	shift 2
	printf '\n%s\n' "$_title"
	printf '  %-40s %9s %6s %9s %6s\n' command "wall ms" ratio "cpu ms" ratio
	bench_means "$_mode" "$@" | {
		_wall0= _cpu0=
		for _cmd in "$@"; do
			read -r _wall _cpu
			_wall0=${_wall0:-$_wall} _cpu0=${_cpu0:-$_cpu}
			awk -v c="$_cmd" -v w="$_wall" -v u="$_cpu" -v w0="$_wall0" \
			    -v u0="$_cpu0" 'BEGIN {
				printf "  %-40s %9.1f %6.2f", c, w, w / w0
				if (u == "-") printf " %9s %6s\n", "-", "-"
				else printf " %9.1f %6.2f\n", u, u / u0 }'
		done
	}
}

# The mean wall-clock and CPU times of each command in milliseconds, one
# command a line.
bench_means() {
	_mode=$1
	shift
	if command -v hyperfine >/dev/null 2>&1; then
		_csv=$(mktemp)
		set -- --warmup 2 --runs "${BENCH_RUNS:-10}" --style none \
		    --export-csv "$_csv" "$@"
		[ "$_mode" = exec ] && set -- -N "$@"
		[ -n "${BENCH_PREPARE:-}" ] && set -- --prepare "$BENCH_PREPARE" "$@"
		hyperfine "$@" >/dev/null 2>&1
		# command,mean,stddev,median,user,system,...: no commas in commands.
		awk -F, 'NR > 1 { printf "%.3f %.3f\n", $2 * 1000, ($5 + $6) * 1000 }' "$_csv"
		rm -f "$_csv"
		return
	fi
	# Without hyperfine: the mean of five runs of each, after one warm-up.
	for _cmd in "$@"; do
		_total=0
		for _run in 0 1 2 3 4 5; do
			[ -n "${BENCH_PREPARE:-}" ] && sh -c "$BENCH_PREPARE"
			_t0=$(date +%s%N)
			sh -c "$_cmd" >/dev/null
			_t1=$(date +%s%N)
			[ "$_run" -gt 0 ] && _total=$((_total + _t1 - _t0))
		done
		awk -v t="$_total" 'BEGIN { printf "%.3f -\n", t / 5 / 1e6 }'
	done
}

# bench_syscalls UNITS COMMAND: print the command's system calls in total
# and per unit (entry walked, directory made), from strace -c -f.
bench_syscalls() {
	_units=$1 _cmd=$2
	if ! command -v strace >/dev/null 2>&1; then
		printf '  %-40s (strace is not installed)\n' "$_cmd"
		return
	fi
	[ -n "${BENCH_PREPARE:-}" ] && sh -c "$BENCH_PREPARE"
	_out=$(mktemp)
	strace -c -f -o "$_out" sh -c "exec $_cmd" >/dev/null
	awk -v n="$_units" -v cmd="$_cmd" '
		$NF == "total" { printf "  %-40s %9d %6.2f\n", cmd, $4, $4 / n }
	' "$_out"
	rm -f "$_out"
}

# bench_syscalls_header UNIT: the heading of a table of system calls.
bench_syscalls_header() {
	printf '\n%s\n  %-40s %9s %6s\n' "system calls (strace -c -f)" command \
	    calls "/$1"
}

# bench_workdir NAME: make a scratch directory and cd into it, as $work;
# it is removed at exit.  It is on tmpfs when /dev/shm is there, so that
# the figures are the tool's, not the disk's, and data is made quickly.
bench_workdir() {
	_base=${TMPDIR:-/tmp}
	[ -d /dev/shm ] && [ -w /dev/shm ] && _base=/dev/shm
	work=$(mktemp -d "$_base/ostour-bench-$1.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	trap 'exit 130' INT TERM
	cd "$work"
}

# bench_need COMMAND...: leave quietly (status 0) if one is missing, so
# that make bench runs whatever can run here.
bench_need() {
	for _c; do
		if ! command -v "$_c" >/dev/null 2>&1; then
			echo "bench: $_c is not installed: skipped" >&2
			exit 0
		fi
	done
}
