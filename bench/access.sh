#!/bin/sh
# Start-up of access and togglex against id(1), the suite's start-up anchor
# (PERFORMANCE.md: every tool's common path <= 0.70x id), measured side by
# side in one run, with the system calls each makes.  Run by "make bench"
# with the built tools first in PATH.
set -eu

for t in access togglex id; do
	command -v "$t" >/dev/null || { echo "bench/access.sh: $t not found" >&2; exit 1; }
done
dir=$(mktemp -d "${TMPDIR:-/tmp}/ostour-bench-access.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM
cd "$dir"
: >f
chmod 644 f

# togglex -n does the whole check but changes nothing, so every run is the
# same; "access f" is the full report, "access -q -r f" the test.
set -- "id" "access f" "access -q -r f" "togglex -n f"

# "median min" seconds per run of each command, one line each, in order.
# The machine is shared and its load drifts, so the commands take turns:
# eight rounds of 60 runs each, the median and the minimum over all rounds
# (the minimum is the cost with the least interference).
measure() {
	if command -v hyperfine >/dev/null && command -v jq >/dev/null; then
		for r in 1 2 3 4 5 6 7 8; do
			hyperfine -N --warmup 10 --runs 60 --style none \
			    --export-json "round$r.json" "$@" >/dev/null 2>&1
		done
		jq -s -r '[.[].results] | transpose[] |
		    [.[].times[]] | sort | "\(.[length / 2 | floor]) \(.[0])"' \
		    round*.json
		return
	fi
	# Without hyperfine: 500 runs each in a shell loop, timed by date.
	for cmd in "$@"; do
		start=$(date +%s%N)
		i=0
		while [ $i -lt 500 ]; do
			$cmd >/dev/null
			i=$((i + 1))
		done
		end=$(date +%s%N)
		echo "$end $start" |
		    awk '{ t = ($1 - $2) / 500 / 1e9; printf "%.9f %.9f\n", t, t }'
	done
}

syscalls() {
	if command -v strace >/dev/null; then
		# shellcheck disable=SC2086
		strace -c -f -o sc.txt $1 >/dev/null 2>&1 &&
			awk '$NF == "total" { print $(NF-2) }' sc.txt
	else
		echo "-"
	fi
}

measure "$@" >times.txt
anchor=$(head -1 times.txt)
printf '%-16s %9s %9s %7s %7s %9s\n' "start-up" "median" "min" \
    "ratio" "(min)" "syscalls"
i=1
for cmd in "$@"; do
	printf '%-16s %s %s %9s\n' "$cmd" \
	    "$(sed -n "${i}p" times.txt | awk '{ printf "%7.2fms %7.2fms", $1 * 1e3, $2 * 1e3 }')" \
	    "$(echo "$(sed -n "${i}p" times.txt) $anchor" |
	        awk '{ printf "%6.2fx %6.2fx", $1 / $3, $2 / $4 }')" \
	    "$(syscalls "$cmd")"
	i=$((i + 1))
done
echo "target: each tool <= 0.70x id"
