#!/bin/sh
# Start-up cost: showids -u against id -u, side by side in one run.
# PERFORMANCE.md: every tool's common path should cost <= 0.70x id.
set -eu
. "$(dirname "$0")/lib.sh"

bench_header "showids: start-up (anchor: id -u)"
bench_pair "showids -u" "id -u"
bench_pair "showids" "id"
bench_syscalls "showids -u" "id -u"
