#!/usr/bin/env bats
# The top level: help, version, dispatch, usage errors.

load helpers/common

@test "shm --help lists every command on stdout and exits 0" {
	run --separate-stderr shm --help
	assert_success
	assert_equal "$stderr" ""
	for c in create write read rm ls stat key chmod chown limits fork-demo; do
		assert_output --partial "  $c "
	done
}

@test "shm -h is --help" {
	run --separate-stderr shm -h
	assert_success
	assert_output --partial "usage: shm"
}

@test "shm --version and -V print the version" {
	run --separate-stderr shm --version
	assert_success
	assert_output --regexp '^shm [0-9]+\.[0-9]+\.[0-9]+$'
	run --separate-stderr shm -V
	assert_success
	assert_output --regexp '^shm [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "no command is a usage error listing the commands" {
	run --separate-stderr shm
	assert_failure 2
	assert_output ""
	[[ $stderr == *"no command given"* ]]
	[[ $stderr == *"fork-demo"* ]]
}

@test "an unknown command exits 2 and lists the commands" {
	run --separate-stderr shm frobnicate
	assert_failure 2
	assert_output ""
	[[ $stderr == *"'frobnicate' is not a command"* ]]
	[[ $stderr == *"create"*"limits"* ]]
}

@test "a command name may not be abbreviated" {
	run --separate-stderr shm cre -k 1 -s 1
	assert_failure 2
	[[ $stderr == *"'cre' is not a command"* ]]
}

@test "an unknown global option is a usage error" {
	run --separate-stderr shm --frob
	assert_failure 2
	[[ $stderr == *"unknown option '--frob'"* ]]
}

@test "shm help COMMAND is COMMAND --help" {
	run --separate-stderr shm help create
	assert_success
	assert_equal "$stderr" ""
	assert_output --partial "Usage: shm create"
	assert_output --partial "--exclusive"
	help_out=$output
	run --separate-stderr shm create --help
	assert_success
	assert_equal "$output" "$help_out"
}

@test "shm help of an unknown command exits 2" {
	run --separate-stderr shm help nope
	assert_failure 2
	[[ $stderr == *"'nope' is not a command"* ]]
}

@test "every command takes --help and -h, to stdout, exit 0" {
	for c in create write read rm ls stat key chmod chown limits fork-demo; do
		run --separate-stderr shm "$c" --help
		assert_success
		assert_equal "$stderr" ""
		assert_output --partial "Usage: shm $c"
		run --separate-stderr shm "$c" -h
		assert_success
		assert_output --partial "Usage: shm $c"
	done
}

@test "an unknown option of a command names it and exits 2" {
	run --separate-stderr shm create --frob
	assert_failure 2
	assert_output ""
	[[ $stderr == "shm create: --frob: unknown option"* ]]
	[[ $stderr == *"hint: see 'shm create --help'"* ]]
}

@test "a missing option argument exits 2" {
	run --separate-stderr shm create -k
	assert_failure 2
	[[ $stderr == *"-k"*"missing argument"* ]]
}

@test "--help to a full stdout fails with a write error (row 19)" {
	run --separate-stderr bash -c "'$SHM_BIN' --help > /dev/full"
	assert_failure 1
	[[ $stderr == *"write error: No space left on device"* ]]
}

@test "popt configuration files are not read" {
	mkdir -p home
	printf 'shm alias --size --mode\n' > home/.popt
	run --separate-stderr env HOME="$PWD/home" "$SHM_BIN" create -k 0x77 --size 4096
	assert_success
	assert_output --regexp '^[0-9]+$'
}

@test "row 20: a closed pipe ends quietly even when SIGPIPE was ignored" {
	id=$(shm create --private -s 8M)
	run --separate-stderr bash -c "trap '' PIPE; '$SHM_BIN' read -i $id --raw | head -c1 >/dev/null; echo \${PIPESTATUS[0]}"
	assert_success
	assert_equal "$stderr" ""
	assert_output 141
}
