#!/bin/sh
# forkdemo against its anchors, side by side in one run.
#  1. Start-up: a fork, one signal and a wait, against id (PERFORMANCE.md:
#     every tool's common path <= 0.70x id), with the floor of a bare C
#     fork + waitpid when a C compiler is at hand.
#  2. The signal round trip (kill, handler, line, acknowledgement), per
#     signal, against the same demonstration written with Python's os and
#     signal modules (os.fork, os.kill, signal.sigwaitinfo, os.pipe).
# Prints median times (means without hyperfine), ratios, and the system
# calls counted by strace -c -f.
set -eu

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-forkdemo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
runs=${RUNS:-300}
signals=${SIGNALS:-50000}

# time_ms RUNS CMD...: the median wall time of each command, in ms, one
# per line, all measured in the same run (after a tenth as many warm-up runs).
time_ms() {
	n=$1
	shift
	if command -v hyperfine >/dev/null; then
		hyperfine -N --warmup "$((n / 10 + 1))" --runs "$n" --export-csv "$tmp/h.csv" \
		    "$@" >/dev/null 2>&1
		awk -F, 'NR > 1 { printf "%.4f\n", $4 * 1000 }' "$tmp/h.csv"
		return
	fi
	for cmd; do
		start=$(date +%s%N)
		i=0
		while [ "$i" -lt "$n" ]; do
			$cmd >/dev/null
			i=$((i + 1))
		done
		end=$(date +%s%N)
		awk -v ns="$((end - start))" -v n="$n" 'BEGIN { printf "%.4f\n", ns / n / 1e6 }'
	done
}

# The system calls of one run, children included ("-" without strace).
syscalls() {
	if command -v strace >/dev/null &&
	    strace -f -c -o "$tmp/s" "$@" >/dev/null 2>&1; then
		awk '$NF == "total" { print $4 }' "$tmp/s"
	else
		echo "-"
	fi
}

ratio() {
	awk -v t="$1" -v a="$2" 'BEGIN { printf "%.2f", t / a }'
}

# The Python counterpart of forkdemo -n N: the same lines, the same
# acknowledgement on a pipe.
cat >"$tmp/pyfork.py" <<'EOF'
import os, signal, sys
n = int(sys.argv[1])
sig = signal.SIGUSR1
signal.pthread_sigmask(signal.SIG_BLOCK, {sig})
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    me = os.getpid()
    for i in range(1, n + 1):
        si = signal.sigwaitinfo({sig})
        os.write(1, f"child {me}: received SIGUSR1 ({i} of {n}) from pid "
                    f"{si.si_pid}, uid {si.si_uid}\n".encode())
        os.write(w, b"k")
    os._exit(0)
os.close(w)
me = os.getpid()
for i in range(1, n + 1):
    os.write(1, f"parent {me}: sending SIGUSR1 ({i} of {n}) to child {pid}\n".encode())
    os.kill(pid, sig)
    os.read(r, 1)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
EOF

# The floor: fork, _exit in the child, waitpid in the parent.
floor=
cc=${CC:-cc}
if command -v "$cc" >/dev/null; then
	printf '%s\n' '#include <sys/wait.h>' '#include <unistd.h>' \
	    'int main(void) { int s; pid_t p = fork();' \
	    'if (p == 0) _exit(0); return waitpid(p, &s, 0) == p ? 0 : 1; }' \
	    >"$tmp/forkwait.c"
	"$cc" -O2 -o "$tmp/forkwait" "$tmp/forkwait.c" 2>/dev/null &&
	    floor=$tmp/forkwait
fi

echo "forkdemo: start-up, median ms per run, ratio to id ($runs runs each)"
printf '%-34s %9s %7s %9s\n' command ms ratio syscalls
set -- id "forkdemo -n 0" forkdemo ${floor:+"$floor"}
time_ms "$runs" "$@" >"$tmp/start"
anchor=$(sed -n 1p "$tmp/start")
i=0
for cmd; do
	i=$((i + 1))
	t=$(sed -n "${i}p" "$tmp/start")
	label=$cmd
	[ "$cmd" = "$floor" ] && label="(floor: C fork + waitpid)"
	printf '%-34s %9s %7s %9s\n' "$label" "$t" "$(ratio "$t" "$anchor")" \
	    "$(syscalls $cmd)"
done

echo
echo "forkdemo: signal round trip, us per signal ($signals signals, 5 runs)"
if command -v python3 >/dev/null; then
	time_ms 5 "forkdemo -n 0" "forkdemo -n $signals" \
	    "python3 $tmp/pyfork.py 0" "python3 $tmp/pyfork.py $signals" >"$tmp/rt"
	per() {
		awk -v a="$1" -v b="$2" -v n="$signals" 'BEGIN { printf "%.2f", (b - a) * 1000 / n }'
	}
	t=$(per "$(sed -n 1p "$tmp/rt")" "$(sed -n 2p "$tmp/rt")")
	a=$(per "$(sed -n 3p "$tmp/rt")" "$(sed -n 4p "$tmp/rt")")
	calls() {
		c0=$(syscalls "$@" 0)
		c1=$(syscalls "$@" 1000)
		if [ "$c0" = - ] || [ "$c1" = - ]; then
			echo -
		else
			awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.1f", (b - a) / 1000 }'
		fi
	}
	printf '%-34s %9s %9s %7s\n' workload forkdemo python ratio
	printf '%-34s %9s %9s %7s\n' "us per signal" "$t" "$a" "$(ratio "$t" "$a")"
	printf '%-34s %9s %9s\n' "syscalls per signal" \
	    "$(calls forkdemo -n)" "$(calls python3 "$tmp/pyfork.py")"
else
	echo "(python3 is not installed: no anchor for the round trip)"
fi
