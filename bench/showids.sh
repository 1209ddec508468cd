#!/bin/sh
# showids against id, side by side in one run: start-up of one field
# (showids -u vs id -u) and of the whole report.  PERFORMANCE.md asks every
# tool's common path for at most 0.70x of id's start-up.
set -eu

command -v showids >/dev/null || { echo "bench/showids.sh: showids is not in PATH" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-showids.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib/sidebyside.sh"

set -- PATH="$PATH" HOME=/root LANG=C.UTF-8

bench_header showids
bench_row "one id" "showids -u" "id -u" "<=0.70" "$@"
bench_row "names" "showids -un" "id -un" "<=0.70" "$@"
bench_row "whole report" showids id "<=0.70" "$@"
