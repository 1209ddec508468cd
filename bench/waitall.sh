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

echo "waitall: 1000 runs of true, 2 at a time"
if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 2 --runs 10 --export-json "$tmp/h.json" \
	    "$tool" "$anchor" >/dev/null 2>&1
	jq -r '.results | "\(.[0].mean * 1000) \(.[0].stddev * 1000) \(.[1].mean * 1000) \(.[1].stddev * 1000)"' \
	    "$tmp/h.json" | awk '{
		printf "%-34s %8.1f ms ± %.1f\n", "waitall -P 2 -f list", $1, $2
		printf "%-34s %8.1f ms ± %.1f\n", "seq 1000 | xargs -P2 -I{} true", $3, $4
		printf "%-34s %8.2f   (target <= 0.90)\n", "ratio", $1 / $3 }'
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
