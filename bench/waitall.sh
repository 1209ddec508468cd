#!/bin/sh
# waitall against xargs: 1000 runs of true, two at a time, side by side;
# the system calls each makes; and 10,000 commands with -P 2 checked for
# descriptor and zombie growth.
set -eu

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-waitall.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

command -v waitall >/dev/null || { echo "bench/waitall.sh: waitall is not built" >&2; exit 1; }
seq 1000 > "$tmp/nums"
yes true | head -n 1000 > "$tmp/trues"
tool="waitall -P 2 -f $tmp/trues"
anchor="xargs -a $tmp/nums -P2 -I{} true"

echo "waitall: 1000 runs of true, 2 at a time (15 runs each)"
if command -v hyperfine >/dev/null; then
	# The machine is shared: three rounds, the order changed in the
	# second, so that a burst of load does not fall on one side only.
	hyperfine -N --warmup 1 --runs 5 --export-json "$tmp/h1.json" \
	    "$tool" "$anchor" >/dev/null 2>&1
	hyperfine -N --warmup 1 --runs 5 --export-json "$tmp/h2.json" \
	    "$anchor" "$tool" >/dev/null 2>&1
	hyperfine -N --warmup 1 --runs 5 --export-json "$tmp/h3.json" \
	    "$tool" "$anchor" >/dev/null 2>&1
	# Wall time, median and fastest; and processor time (user + system,
	# children included), which a busy machine disturbs less.
	jq -s -r --arg tool "$tool" '
	    def median: sort | .[length / 2 | floor];
	    [.[].results[]] | group_by(.command != $tool) |
	    map([(map(.times) | add | median, min) * 1000,
		(map(.user + .system) | add / length * 1000)]) |
	    "\(.[0] | join(" ")) \(.[1] | join(" "))"' \
	    "$tmp/h1.json" "$tmp/h2.json" "$tmp/h3.json" | awk '{
		printf "%-32s %10s %10s %10s\n", "", "median", "fastest", "cpu"
		printf "%-32s %7.1f ms %7.1f ms %7.1f ms\n", "waitall -P 2 -f list", $1, $2, $3
		printf "%-32s %7.1f ms %7.1f ms %7.1f ms\n", "seq 1000 | xargs -P2 -I{} true", $4, $5, $6
		printf "%-32s %10.2f %10.2f %10.2f   (target <= 0.90)\n", "ratio", $1 / $4, $2 / $5, $3 / $6 }'
else
	for cmd in "$tool" "$anchor"; do
		start=$(date +%s%N)
		for i in 1 2 3 4 5; do $cmd >/dev/null; done
		end=$(date +%s%N)
		echo "$cmd: $(( (end - start) / 5000000 )) ms"
	done
fi

# Tracing is slow: 200 commands give the same count per command.
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	echo
	echo "system calls per command, children included (strace -c -f)"
	head -n 200 "$tmp/trues" > "$tmp/trues200"
	head -n 200 "$tmp/nums" > "$tmp/nums200"
	strace -f -c -o "$tmp/st1" waitall -P 2 -f "$tmp/trues200" >/dev/null
	strace -f -c -o "$tmp/st2" xargs -a "$tmp/nums200" -P2 -I{} true
	awk '$NF == "total" { n++; printf "%-10s %8.1f\n", n == 1 ? "waitall" : "xargs", $(NF - 2) / 200 }' \
	    "$tmp/st1" "$tmp/st2"
fi

# The first and the last of 10,000 commands count waitall's descriptors
# and its children (themselves included) while it runs.  The probe is a
# script, started directly, so that its parent is waitall.
echo
echo "10,000 commands with -P 2: waitall's descriptors and children"
cat > "$tmp/probe" <<'PROBE'
#!/bin/sh
echo fds $(ls /proc/$PPID/fd | wc -l) children $(ps -o pid= --ppid $PPID | wc -l)
PROBE
chmod +x "$tmp/probe"
{
	echo "$tmp/probe"
	yes true | head -n 9998
	echo "$tmp/probe"
} > "$tmp/list"
start=$(date +%s%N)
waitall -P 2 -f "$tmp/list" > "$tmp/out"
end=$(date +%s%N)
grep '^fds' "$tmp/out" | sed -e '1s/^/first: /' -e '2s/^/last:  /'
echo "exited 0: $(grep -c '  exited 0  ' "$tmp/out") of 10000, in $(( (end - start) / 1000000 )) ms"
