#!/bin/sh
# penv against its anchors, side by side in one run, in a fixed environment
# of 40 variables: printing the environment (env), start-up (id: the suite
# asks every tool's common path for at most 0.70x of it), one value
# (printenv) and running a command (env true).
set -eu

command -v penv >/dev/null || { echo "bench/penv.sh: penv is not in PATH" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-penv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/sidebyside.sh"

# The environment every command runs in: the size of a desktop session's,
# so that the figures do not depend on whoever runs the script.
i=0
set -- PATH="$PATH" HOME=/root LANG=C.UTF-8 TERM=xterm-256color SHELL=/bin/sh
while [ "$i" -lt 35 ]; do
	set -- "$@" "OSTOUR_BENCH_VAR_$i=/usr/local/share/ostour/value/number/$i"
	i=$((i + 1))
done

bench_header penv
bench_row "print the environment" penv env "-" "$@"
bench_row "start-up" penv id "<=0.70" "$@"
bench_row "one value" "penv -g HOME" "printenv HOME" "-" "$@"
bench_row "run a command" "penv true" "env true" "-" "$@"
