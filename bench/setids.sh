#!/bin/sh
# setids against its anchors, side by side in one run: start-up (one block
# of ids, against id), and running a command as nobody (against setpriv,
# which needs root).  Prints tool, anchor, ratio and system calls per run.
# The machine is shared: tool and anchor are timed in alternating rounds,
# and each keeps its best round's median.
set -eu

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-setids.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rounds=${ROUNDS:-5}
runs=${RUNS:-200}

# Best median, in milliseconds, of the tool ($1) and the anchor ($2).
medians_ms() {
	: >"$tmp/all.csv"
	r=0
	while [ "$r" -lt "$rounds" ]; do
		if command -v hyperfine >/dev/null; then
			hyperfine -N --warmup 10 --runs "$runs" \
			    --export-csv "$tmp/h.csv" "$1" "$2" >/dev/null 2>&1
			awk -F, 'NR > 1 { print NR - 1, $4 }' "$tmp/h.csv" >>"$tmp/all.csv"
		else
			for which in 1 2; do
				[ "$which" = 1 ] && cmd=$1 || cmd=$2
				start=$(date +%s%N)
				i=0
				while [ "$i" -lt "$runs" ]; do
					$cmd >/dev/null
					i=$((i + 1))
				done
				end=$(date +%s%N)
				echo "$which $(((end - start) / runs))e-9" >>"$tmp/all.csv"
			done
		fi
		r=$((r + 1))
	done
	awk '!($1 in best) || $2 < best[$1] { best[$1] = $2 }
	    END { printf "%.3f %.3f\n", best[1] * 1000, best[2] * 1000 }' "$tmp/all.csv"
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
	set -- "$1" "$2" "$3" $(medians_ms "$2" "$3")
	printf '%-26s %9s %9s %7s %9s %9s\n' "$1" "$4" "$5" \
	    "$(awk -v t="$4" -v a="$5" 'BEGIN { printf "%.2f", t / a }')" \
	    "$(syscalls "$2")" "$(syscalls "$3")"
}

echo "setids: best median ms per run (ratio = tool / anchor), system calls per run"
printf '%-26s %9s %9s %7s %9s %9s\n' workload tool anchor ratio sys-tool sys-anch
row "start-up: one block vs id" "setids" "id"
if [ "$(id -u)" -eq 0 ]; then
	row "run true as nobody" "setids -u 65534 -C true" \
	    "setpriv --reuid=65534 --regid=65534 --clear-groups true"
else
	echo "(not root: the run-as-nobody row against setpriv needs root)"
fi
