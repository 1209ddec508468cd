#!/usr/bin/env bats
# The conventions (CONVENTIONS.md) checked for every tool that is built:
# --help, --version, a bad option, a write error, the man page, JSON.
# Each check loops over $OSTOUR_TOOLS, so a new tool is covered the moment
# it is added to Makefile.am.

load helpers

# Tools that run a command report their own usage errors with 125, as
# env(1) does, so a caller can tell them from the command's status.
RUNNERS=" setids penv p2open spawn "

# For each tool, arguments that make it print something (run in a scratch
# directory holding a file "f"), and whether it takes -j.
sample_args() {
	case $1 in
	access)		echo "f" ;;
	forkdemo)	echo "" ;;
	mktree)		echo "-v newdir" ;;
	p2open)		echo "-s hello cat" ;;
	penv)		echo "" ;;
	pwdwalk)	echo "" ;;
	setids)		echo "" ;;
	showids)	echo "" ;;
	spawn)		echo "-n true" ;;
	statf)		echo "f" ;;
	togglex)	echo "-n -v f" ;;
	waitall)	echo "true" ;;
	walktree)	echo "." ;;
	*)		echo "" ;;
	esac
}

# spawn prints one pid at most (-n): no record to put in JSON.
has_json() {
	case $1 in
	spawn) return 1 ;;
	*) return 0 ;;
	esac
}

tools() {
	echo "${OSTOUR_TOOLS:?make check sets OSTOUR_TOOLS}"
}

@test "every tool: --help prints the usage on stdout and exits 0" {
	for t in $(tools); do
		for opt in --help -h; do
			run --separate-stderr "$t" "$opt"
			[ "$status" -eq 0 ] || { echo "$t $opt: status $status"; false; }
			[[ "$output" == "usage: $t "* ]] || { echo "$t $opt: $output"; false; }
			[ -z "$stderr" ] || { echo "$t $opt: stderr: $stderr"; false; }
		done
	done
}

@test "every tool: --version prints NAME (ostour) VERSION" {
	for t in $(tools); do
		run --separate-stderr "$t" --version
		[ "$status" -eq 0 ]
		[[ "$output" =~ ^$t\ \(ostour\)\ [0-9]+\.[0-9]+\.[0-9]+$ ]] ||
			{ echo "$t: $output"; false; }
		[ -z "$stderr" ] || { echo "$t: stderr: $stderr"; false; }
	done
}

@test "every tool: an unknown option is a usage error (2, or 125 for runners)" {
	for t in $(tools); do
		want=2
		[[ "$RUNNERS" == *" $t "* ]] && want=125
		# By its path: getopt's message still names it "$t:".
		run --separate-stderr "$(command -v "$t")" --no-such-option
		[ "$status" -eq "$want" ] || { echo "$t: status $status"; false; }
		[ -z "$output" ] || { echo "$t: stdout: $output"; false; }
		[[ "$stderr" == "$t: "*"no-such-option"* ]] || { echo "$t: $stderr"; false; }
		[[ "$stderr" == *"usage: $t "* ]] || { echo "$t: $stderr"; false; }
	done
}

@test "every tool: a write error on stdout is reported and fails" {
	for t in $(tools); do
		touch f
		run --separate-stderr bash -c '"$0" "$@" >/dev/full' "$t" $(sample_args "$t")
		[ "$status" -ne 0 ] || { echo "$t: status 0"; false; }
		[[ "$stderr" == *"$t: write error: No space left on device"* ]] ||
			{ echo "$t: $stderr"; false; }
		rm -rf f newdir
	done
}

@test "every tool: the man page exists and mandoc -Tlint is clean" {
	for t in $(tools); do
		page=$OSTOUR_MANDIR/$t.1
		[ -f "$page" ] || { echo "no $page"; false; }
		run "${MANDOC:-mandoc}" -Tlint -Wwarning "$page"
		[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$output"; false; }
	done
	run "${MANDOC:-mandoc}" -Tlint -Wwarning "$OSTOUR_MANDIR/ostour.7"
	[ "$status" -eq 0 ] && [ -z "$output" ]
}

# At mandoc's style level, two messages depend on the machine, not on the
# page: a cross-reference to a page this machine has not installed (the
# suite's own pages among them, before make install), and a stale mandoc.db.
# Every other style message is the page's fault.
@test "every page: no style message that is the page's own" {
	local own
	# The messages on the pages come on stdout; the one on mandoc.db on
	# stderr, kept apart, since it can land in the middle of a line.
	run --separate-stderr "${MANDOC:-mandoc}" -Tlint -Wstyle \
	    "$OSTOUR_MANDIR"/*.1 "$OSTOUR_MANDIR/ostour.7"
	own=$(grep -v -e 'STYLE: referenced manual not found' <<<"$output") ||
		true
	[ -z "$own" ] || { echo "$own"; false; }
}

@test "every page: a reference to a page of the suite names one that exists" {
	local t sec names
	# "ostour|access|forkdemo|...": section 1 or 7 only, since access(2)
	# is the system call's page.
	names=$( { echo ostour; tools | tr ' ' '\n'; } | grep . | paste -sd'|')
	for page in "$OSTOUR_MANDIR"/*.1 "$OSTOUR_MANDIR/ostour.7"; do
		while read -r _ t sec _; do
			[ -f "$OSTOUR_MANDIR/$t.$sec" ] ||
				{ echo "$page: Xr $t $sec: no such page"; false; }
		done < <(grep -hE "^\.Xr ($names) [0-9]" "$page" | grep -vE '^\.Xr [a-z0-9]+ [2-6]')
	done
}

# The synopsis as words: the usage text and the page's SYNOPSIS section
# must say the same thing.
usage_words() {
	"$1" --help | tr -s ' \t\n' '\n' | grep -v -x -e 'usage:' -e "$1"
}

synopsis_words() {
	"${MANDOC:-mandoc}" -Tascii -Owidth=300 "$OSTOUR_MANDIR/$1.1" | col -bx |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' |
		tr -s ' \t\n' '\n' | grep -v -x -e '' -e "$1"
}

@test "every tool: usage says what the man page's SYNOPSIS says" {
	for t in $(tools); do
		diff <(usage_words "$t") <(synopsis_words "$t") ||
			{ echo "$t: usage and SYNOPSIS differ"; false; }
	done
}

@test "every tool: ostour.7 names it" {
	for t in $(tools); do
		grep -q "Xr $t 1" "$OSTOUR_MANDIR/ostour.7" ||
			{ echo "$t missing from ostour.7"; false; }
	done
}

@test "every tool with -j: every line of the output parses as JSON" {
	for t in $(tools); do
		has_json "$t" || continue
		touch f
		run --separate-stderr bash -c \
		    "set -o pipefail; $t -j $(sample_args "$t") | ${JQ:-jq} -c ."
		[ "$status" -eq 0 ] || { echo "$t: $stderr"; false; }
		[ -n "$output" ] || { echo "$t: no output"; false; }
		rm -rf f newdir
	done
}

# Run a command with stdout on a pipe whose reader is already gone, so
# that its first write fails for sure ("tool | true" is a race: true may
# still be there).  Prints how it ended: a status, or -N for signal N.
closed_pipe() {
	python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
# restore_signals: the child gets SIGPIPE at its default, as from a shell.
p = subprocess.run(sys.argv[1:], stdout=w, stdin=subprocess.DEVNULL)
print(p.returncode)' "$@"
}

@test "every tool: SIGPIPE ends it quietly in a pipeline" {
	require_cmd python3
	for t in $(tools); do
		touch f
		run --separate-stderr closed_pipe "$t" $(sample_args "$t")
		[ "$output" = -13 ] || { echo "$t: ended $output: $stderr"; false; }
		[ -z "$stderr" ] || { echo "$t: $stderr"; false; }
		rm -rf f newdir
	done
}

# The tools whose operands are paths, and so take --files0-from.
PATH_TOOLS=" access mktree statf togglex walktree "

@test "every tool with --files0-from: an empty name is reported and fails, as in du" {
	for t in $(tools); do
		"$t" --help | grep -q -e '--files0-from' ||
			{ [[ "$PATH_TOOLS" != *" $t "* ]] || { echo "$t: no --files0-from"; false; }; continue; }
		run --separate-stderr bash -c "printf '\\0' | $t --files0-from=-"
		[ "$status" -eq 1 ] || { echo "$t: status $status"; false; }
		[ "$stderr" = "$t: -:1: invalid zero-length file name" ] ||
			{ echo "$t: $stderr"; false; }
	done
}
