#!/bin/sh
# pwdwalk against its anchors, side by side in one run: start-up from a
# directory three levels below the temporary directory (id: the suite asks
# every tool's common path for at most 0.70x of it), against pwd -P for
# the same directory, and with -l (owner and group names looked up).
set -eu

command -v pwdwalk >/dev/null || { echo "bench/pwdwalk.sh: pwdwalk is not in PATH" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-pwdwalk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/sidebyside.sh"

mkdir -p "$tmp/a/b/c"
cd "$tmp/a/b/c"
set -- PATH="$PATH" HOME=/root LANG=C.UTF-8

bench_header pwdwalk
bench_row "start-up" pwdwalk id "<=0.70" "$@"
bench_row "the path" pwdwalk /bin/pwd "-" "$@"
bench_row "long format" "pwdwalk -l" "ls -ld ." "-" "$@"
