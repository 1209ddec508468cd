#!/bin/sh
# setids against its anchors, side by side in one run: start-up (one block
# of ids, against id), and running a command as nobody (against setpriv,
# which needs root).  Prints tool, anchor, ratio and syscalls per run.
set -eu

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-setids.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
runs=${RUNS:-300}

# Mean wall time of one run, in milliseconds.
mean_ms() {
	if command -v hyperfine >/dev/null; then
		hyperfine -N --warmup 20 --runs "$runs" --export-csv "$tmp/h.csv" \
		    "$1" >/dev/null 2>&1
		awk -F, 'NR == 2 { printf "%.3f", $2 * 1000 }' "$tmp/h.csv"
	else
		start=$(date +%s%N)
		i=0
		while [ "$i" -lt "$runs" ]; do
			$1 >/dev/null
			i=$((i + 1))
		done
		end=$(date +%s%N)
		awk -v ns="$((end - start))" -v n="$runs" 'BEGIN { printf "%.3f", ns / n / 1e6 }'
	fi
}

# System calls made by one run, children included.
syscalls() {
	if command -v strace >/dev/null &&
	    strace -f -c -o "$tmp/s" $1 >/dev/null 2>&1; then
		awk '$NF == "total" { print $(NF - 2) }' "$tmp/s"
	else
		echo "-"
	fi
}

row() {
	t=$(mean_ms "$2")
	a=$(mean_ms "$3")
	printf '%-28s %9s %9s %7s %9s %9s\n' "$1" "$t" "$a" \
	    "$(awk -v t="$t" -v a="$a" 'BEGIN { printf "%.2f", t / a }')" \
	    "$(syscalls "$2")" "$(syscalls "$3")"
}

echo "setids: mean ms per run (ratio = tool / anchor), system calls per run"
printf '%-28s %9s %9s %7s %9s %9s\n' workload tool anchor ratio sys-tool sys-anch
row "start-up: one block vs id" "setids" "id"
if [ "$(id -u)" -eq 0 ]; then
	row "run true as nobody" "setids -u 65534 -C true" \
	    "setpriv --reuid=65534 --regid=65534 --clear-groups true"
else
	echo "(not root: the run-as-nobody row against setpriv needs root)"
fi
