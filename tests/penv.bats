#!/usr/bin/env bats
# penv: the environment printed as env(1) prints it, checked, changed and
# passed to a command.

load helpers

# Several tests use HOME as a variable known to be set; a bare environment
# (env -i, some CI runners) has none.
export HOME=${HOME:-/nonexistent}

USAGE="usage: penv [-0cij] [-C dir] [-g name] [-u name] [name=value ...]
       [command [arg ...]]"

# Run a command with exactly the environment entries given, duplicates and
# entries without '=' included, which no shell can make but execve(2)
# accepts: raw_env ENTRY... -- COMMAND [ARG...]
raw_env() {
	python3 -c '
import ctypes, os, sys
i = sys.argv.index("--")
env = [os.fsencode(a) for a in sys.argv[1:i]] + [None]
argv = [os.fsencode(a) for a in sys.argv[i + 1:]] + [None]
libc = ctypes.CDLL(None, use_errno=True)
libc.execvpe(argv[0], (ctypes.c_char_p * len(argv))(*argv),
    (ctypes.c_char_p * len(env))(*env))
sys.exit("execvpe: " + os.strerror(ctypes.get_errno()))' "$@"
}

# An environment with a duplicated name (A, B) and an entry without '='.
RAW="A=1 B=2 A=3 FOO C=1 B=4"

@test "without arguments: exactly what env prints" {
	# bash sets _ to the path of each command it runs: take it out.
	run -0 env -u _ penv
	[ -n "$output" ]
	[ "$output" = "$(env -u _ env)" ]
}

@test "-i, -u, - and several assignments: exactly what env prints" {
	for args in "-i" "-i A=1 B=2" "-u HOME" "-u HOME -u PATH X=1 Y=2" \
	    "-i A=1 A=2" "- A=1" "HOME=/elsewhere" "-i -u NOPE Z=last"; do
		run -0 env -u _ penv $args
		[ "$output" = "$(env -u _ env $args)" ] ||
			{ echo "penv $args: $output"; false; }
	done
}

@test "-0: a value with a newline and a tab, byte for byte as env -0" {
	run -0 bash -c 'penv -0 -i "A=two
lines" "B=x	y" | od -An -c'
	[ "$output" = "$(env -0 -i "A=two
lines" "B=x	y" | od -An -c)" ]
	[ "$(penv -0 -i 'A=two
lines' | od -An -tx1 | tr -d ' \n')" = "413d74776f0a6c696e657300" ]
}

@test "invalid UTF-8 goes into a pipe as it is" {
	run -0 bash -c 'penv -i $'\''A=\xff\xfe'\'' | od -An -tx1 | tr -d " \n"'
	[ "$output" = "413dfffe0a" ]
}

@test "duplicates and entries without '=' are printed as env prints them" {
	run -0 raw_env $RAW -- penv
	[ "$output" = "$(raw_env $RAW -- env)" ]
	[ "$output" = "$(printf '%s\n' A=1 B=2 A=3 FOO C=1 B=4)" ]
}

@test "-u removes every copy of a name, an assignment replaces the first" {
	run -0 raw_env $RAW -- penv -u B A=9
	[ "$output" = "$(printf '%s\n' A=9 A=3 FOO C=1)" ]
	[ "$output" = "$(raw_env $RAW -- env -u B A=9)" ]
}

@test "-j: one {name, value} object per entry, in environ order" {
	run -0 penv -j -i A=1 'B=x"y' 'C=a=b'
	[ "$output" = '{"name":"A","value":"1"}
{"name":"B","value":"x\"y"}
{"name":"C","value":"a=b"}' ]
}

@test "-j: an entry without '=' has a null value" {
	run -0 raw_env FOO A=1 -- penv -j
	[ "$output" = '{"name":"FOO","value":null}
{"name":"A","value":"1"}' ]
}

@test "-j: control bytes and invalid UTF-8 come back exactly through os.fsencode" {
	run -0 bash -c 'penv -j -i $'\''A=\x01\n\xff\xc3\xa9'\'' |
	    python3 -c "import json, os, sys; print(os.fsencode(json.loads(sys.stdin.read())[\"value\"]).hex())"'
	[ "$output" = "010affc3a9" ]
}

@test "-g: the values asked for, in the order asked" {
	run -0 penv -g HOME -g PATH
	[ "$output" = "$HOME
$PATH" ]
}

@test "-g with an unset variable: nothing printed for it, exit 1, as printenv" {
	run --separate-stderr penv -g NO_SUCH_VAR_X -g HOME
	[ "$status" -eq 1 ]
	[ "$output" = "$HOME" ]
	[ -z "$stderr" ]
	run printenv NO_SUCH_VAR_X HOME
	[ "$status" -eq 1 ]
}

@test "-g sees the changes: an assignment sets it, -u unsets it" {
	run -0 penv -g GREETING GREETING=hello
	[ "$output" = hello ]
	run -1 penv -u HOME -g HOME
	[ -z "$output" ]
}

@test "-g with a duplicated name prints the first, as getenv(3) returns it" {
	run -0 raw_env $RAW -- penv -g A -g B
	[ "$output" = "1
2" ]
}

@test "-g -0 and -g -j" {
	[ "$(penv -0 -g A -i 'A=x
y' | od -An -tx1 | tr -d ' \n')" = "780a7900" ]
	run -1 penv -j -g A -g B -i A=1
	[ "$output" = '{"name":"A","value":"1"}
{"name":"B","value":null}' ]
}

@test "-c: a clean environment prints nothing and exits 0" {
	run --separate-stderr penv -c
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "-c: duplicates and entries without '=' are reported, exit 1" {
	run -1 raw_env $RAW -- penv -c
	[ "$output" = "environ[2]: duplicate of environ[0]: A=3
environ[3]: no '=': FOO
environ[5]: duplicate of environ[1]: B=4" ]
}

@test "-c checks the changed environment: -u removes every copy" {
	run -0 raw_env A=1 A=2 B=1 -- penv -c -u A
	[ -z "$output" ]
	# An entry without '=' has no name for unsetenv(3) to match: it stays.
	run -1 raw_env $RAW -- penv -c -u A -u B
	[ "$output" = "environ[0]: no '=': FOO" ]
	# An assignment replaces only the first copy: the second is still there.
	run -1 raw_env A=1 A=2 -- penv -c A=new
	[ "$output" = "environ[1]: duplicate of environ[0]: A=2" ]
}

@test "-c -j: one object per problem" {
	run -1 raw_env $RAW -- penv -c -j
	[ "$output" = '{"index":2,"problem":"duplicate","name":"A","value":"3","first_index":0}
{"index":3,"problem":"no_equals","name":"FOO","value":null}
{"index":5,"problem":"duplicate","name":"B","value":"4","first_index":1}' ]
}

@test "the command sees the assignment, the removal and nothing else with -i" {
	run -0 penv GREETING=hello sh -c 'printf "%s\n" "$GREETING"'
	[ "$output" = hello ]
	run -0 penv -u HOME sh -c 'printf "%s\n" "${HOME-unset}"'
	[ "$output" = unset ]
	run -0 penv -i ONLY=1 /usr/bin/env
	[ "$output" = "ONLY=1" ]
}

@test "the command replaces penv: same process id, its own exit status" {
	run -0 bash -c 'penv sh -c "echo \$\$" & echo $!; wait'
	[ "${lines[0]}" = "${lines[1]}" ]
	run penv sh -c 'exit 7'
	[ "$status" -eq 7 ]
}

@test "the command is found through the changed PATH" {
	mkdir bin
	printf '#!/bin/sh\necho mine\n' > bin/hello-penv
	chmod +x bin/hello-penv
	run -0 penv PATH="$PWD/bin:/usr/bin:/bin" hello-penv
	[ "$output" = mine ]
}

@test "a command that is not found: 127, one line" {
	run -127 --separate-stderr penv no-such-command-x
	[ -z "$output" ]
	[ "$stderr" = "penv: no-such-command-x: No such file or directory" ]
}

@test "a command that cannot be executed: 126, one line" {
	touch notexec
	run --separate-stderr penv ./notexec
	[ "$status" -eq 126 ]
	[ "$stderr" = "penv: ./notexec: Permission denied" ]
}

@test "-C runs the command in the directory and leaves PWD alone, as env" {
	mkdir sub
	run -0 penv -C sub /bin/pwd
	[ "$output" = "$PWD/sub" ]
	run -0 penv -C sub penv -g PWD
	[ "$output" = "$PWD" ]
}

@test "-C with a directory that does not exist: 125 with a command, 2 without" {
	run --separate-stderr penv -C nope true
	[ "$status" -eq 125 ]
	[ "$stderr" = "penv: chdir(nope): No such file or directory" ]
	run --separate-stderr penv -C nope
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "penv: chdir(nope): No such file or directory" ]
}

@test "-u with an empty name or a name with '=': usage error, 2 or 125" {
	for name in "" "A=B"; do
		run --separate-stderr penv -u "$name"
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "penv: cannot unset '$name': invalid name
$USAGE" ]
		run --separate-stderr penv -u "$name" true
		[ "$status" -eq 125 ]
		[ "${stderr%%$'\n'*}" = "penv: cannot unset '$name': invalid name" ]
	done
}

@test "-g with an empty name or a name with '=': usage error" {
	run --separate-stderr penv -g "A=B"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "penv: cannot get 'A=B': invalid name" ]
	run --separate-stderr penv -g ""
	[ "$status" -eq 2 ]
}

@test "an assignment with an empty name: usage error, 2 or 125" {
	run --separate-stderr penv =x
	[ "$status" -eq 2 ]
	[ "$stderr" = "penv: cannot set '=x': empty name
$USAGE" ]
	run --separate-stderr penv =x true
	[ "$status" -eq 125 ]
	[ "${stderr%%$'\n'*}" = "penv: cannot set '=x': empty name" ]
}

@test "options that print, with a command: usage error 125" {
	for opt in -0 -c -j "-g HOME"; do
		run --separate-stderr penv $opt true
		[ "$status" -eq 125 ] || { echo "$opt: $status"; false; }
		[ "${stderr%%$'\n'*}" = "penv: ${opt% *} prints the environment: not with a command" ]
	done
}

@test "options that do not go together: usage error 2" {
	run --separate-stderr penv -0 -j
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "penv: -0 and -j cannot be combined" ]
	run --separate-stderr penv -c -g HOME
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "penv: -c and -g cannot be combined" ]
}

@test "options end at the first operand: the rest belongs to the command" {
	run -0 penv A=1 printf '%s\n' -i
	[ "$output" = "-i" ]
}

@test "on a terminal, control characters in values are escaped" {
	require_cmd script
	run -0 script -qc "penv -i $'A=x\ty\e[31m' 'B=plain'" /dev/null
	[ "${output//$'\r'/}" = 'A=x\ty\033[31m
B=plain' ]
}

@test "on a terminal, the -C directory in a diagnostic is escaped" {
	require_cmd script
	run -0 script -qc "penv -C $'x\e[31m' true; penv -C $'x\e[31m'" /dev/null
	[ "${output//$'\r'/}" = 'penv: chdir(x\033[31m): No such file or directory
penv: chdir(x\033[31m): No such file or directory' ]
}

@test "on a terminal, a bad name in a usage error is escaped" {
	require_cmd script
	run -0 script -qc "penv -u $'A=\e[31m'; penv $'=\e[31m' true" /dev/null
	[[ "$output" == *"penv: cannot unset 'A=\\033[31m': invalid name"* ]]
	[[ "$output" == *"penv: cannot set '=\\033[31m': empty name"* ]]
	[[ "$output" != *$'\e'* ]]
}
