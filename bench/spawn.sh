#!/bin/sh
# spawn: children started per second by a small and by a 1 GiB parent,
# with fork+exec and with posix_spawn side by side (bench/spawnrate.c,
# built here), then the spawn tool itself against env(1).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-spawn.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

command -v spawn >/dev/null || { echo "bench/spawn.sh: spawn is not built" >&2; exit 1; }
${CC:-cc} -O2 -o "$tmp/spawnrate" "$here/spawnrate.c"
prog=$(command -v true)
case $prog in /*) ;; *) prog=/bin/true ;; esac

# The best of three runs: on a shared machine the slow runs measure the
# other users.
best() {
	b=0
	for i in 1 2 3; do
		r=$("$tmp/spawnrate" "$@")
		if [ "$r" -gt "$b" ]; then b=$r; fi
	done
	echo "$b"
}

echo "spawn: children started and waited for per second, best of 3 (program: $prog)"
printf '%-10s %14s %14s %12s\n' parent fork+exec/s posix_spawn/s spawn/fork
for size in 0 1024; do
	# A fork from 1 GiB costs tens of milliseconds: fewer of them.
	if [ "$size" -eq 0 ]; then nfork=1000; label=small; else nfork=40; label="1 GiB"; fi
	f=$(best fork "$nfork" "$size" "$prog")
	s=$(best spawn 1000 "$size" "$prog")
	printf '%-10s %14s %14s %11.1fx\n' "$label" "$f" "$s" \
	    "$(echo "$s $f" | awk '{ print $1 / $2 }')"
done

echo
echo "spawn (the tool) against env, both running true: one command's cost"
if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 20 --runs 300 --export-json "$tmp/h.json" \
	    "spawn $prog" "env $prog" >/dev/null 2>&1
	jq -r '.results | "\(.[0].mean * 1000) \(.[1].mean * 1000)"' "$tmp/h.json" |
	    awk '{ printf "%-22s %8.2f ms\n%-22s %8.2f ms\nratio %27.2f\n",
		"spawn true", $1, "env true (anchor)", $2, $1 / $2 }'
else
	for cmd in spawn env; do
		start=$(date +%s%N)
		i=0
		while [ $i -lt 300 ]; do "$cmd" "$prog"; i=$((i + 1)); done
		end=$(date +%s%N)
		echo "$cmd true: $(( (end - start) / 300000 )) us"
	done
fi
