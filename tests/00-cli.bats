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

# Unknown names: the closest ones, as git names them.

@test "an unknown command names the closest one: craete, did you mean 'create'?" {
	run --separate-stderr shm craete -k 1 -s 1
	assert_failure 2
	assert_output ""
	[[ ${stderr_lines[0]} == "shm: 'craete' is not a command" ]]
	[[ ${stderr_lines[1]} == "hint: did you mean 'create'?" ]]
	# and then the commands, all of them
	[[ $stderr == *"commands:"*"  create "*"  fork-demo "* ]]
}

@test "an unknown command names every closest one: l, 'ls', 'limits' or 'lock'" {
	run --separate-stderr shm l
	assert_failure 2
	[[ ${stderr_lines[1]} == "hint: did you mean 'ls', 'limits' or 'lock'?" ]]
	run --separate-stderr shm stats -k 1
	assert_failure 2
	[[ ${stderr_lines[1]} == "hint: did you mean 'stat'?" ]]
	run --separate-stderr shm rn -k 1
	assert_failure 2
	[[ ${stderr_lines[1]} == "hint: did you mean 'rm'?" ]]
}

@test "an unknown command far from every command gets no guess" {
	run --separate-stderr shm frobnicate
	assert_failure 2
	[[ $stderr != *"did you mean"* ]]
	run --separate-stderr shm ''
	assert_failure 2
	[[ $stderr != *"did you mean"* ]]
}

@test "shm help of a misspelt command names the closest one" {
	run --separate-stderr shm help craete
	assert_failure 2
	assert_output ""
	[[ ${stderr_lines[1]} == "hint: did you mean 'create'?" ]]
}

@test "an unknown long option names the closest one: ls --jsno, did you mean '--json'?" {
	run --separate-stderr shm ls --jsno
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "shm ls: --jsno: unknown option
hint: did you mean '--json'?
hint: see 'shm ls --help'"
	run --separate-stderr shm rm --dryrun --all
	assert_failure 2
	[[ ${stderr_lines[1]} == "hint: did you mean '--dry-run'?" ]]
	# a value given with = is not part of the name
	run --separate-stderr shm write -k 1 --ofset=3 x
	assert_failure 2
	[[ ${stderr_lines[0]} == "shm write: --ofset=3: unknown option" ]]
	[[ ${stderr_lines[1]} == "hint: did you mean '--offset'?" ]]
	# the options of the selector too
	run --separate-stderr shm stat --kye 1
	assert_failure 2
	[[ ${stderr_lines[1]} == "hint: did you mean '--key'?" ]]
	# and the global ones
	run --separate-stderr shm --verison
	assert_failure 2
	[[ ${stderr_lines[1]} == "hint: did you mean '--version'?" ]]
}

@test "an unknown option far from every option gets no guess" {
	run --separate-stderr shm ls --frobnicate
	assert_failure 2
	assert_equal "$stderr" "shm ls: --frobnicate: unknown option
hint: see 'shm ls --help'"
}

# Several --file selectors: each --proj goes with the --file before it.

@test "rm: with several --file, each --proj goes with the --file before it" {
	touch a b
	shm create -f a -p 2 -s 1 >/dev/null
	shm create -f b -p 3 -s 1 >/dev/null
	run --separate-stderr shm rm -f a -p 2 -f b -p 3
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(nsegs)" 0
}

@test "rm: a --file with no --proj after it uses 1, even when another has one" {
	touch a b
	shm create -f a -s 1 >/dev/null
	shm create -f b -p 3 -s 1 >/dev/null
	run --separate-stderr shm rm -f a -f b -p 3
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(nsegs)" 0
}

@test "chmod and chown: each --proj goes with its --file" {
	touch a b
	ida=$(shm create -f a -p 2 -s 1 -m 600)
	idb=$(shm create -f b -p 3 -s 1 -m 600)
	run --separate-stderr shm chmod 640 -f a -p 2 -f b -p 3
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr shm chown 65534 -f a -p 2 -f b -p 3
	assert_success
	assert_equal "$stderr" ""
	for id in "$ida" "$idb"; do
		run shm ls --raw -n -o id,mode,uid
		assert_line "$id 0640 65534"
	done
}

@test "a --proj before the first of several --file is a usage error" {
	touch a b
	shm create -f a -p 2 -s 1 >/dev/null
	shm create -f b -p 2 -s 1 >/dev/null
	run --separate-stderr shm rm -p 2 -f a -f b
	assert_failure 2
	assert_output ""
	[[ ${stderr_lines[0]} == "shm rm: --proj before the first --file: with several, each --proj goes after its --file (-f A -p 1 -f B -p 2)" ]]
	[[ ${stderr_lines[1]} == "hint: see 'shm rm --help'" ]]
	# nothing was removed
	assert_equal "$(nsegs)" 2
}

@test "two --proj for one --file is a usage error, not the last one silently" {
	touch a b
	shm create -f a -p 3 -s 1 >/dev/null
	run --separate-stderr shm rm -f a -p 2 -p 3 -f b
	assert_failure 2
	[[ ${stderr_lines[0]} == "shm rm: --proj given twice for --file 'a'" ]]
	run --separate-stderr shm stat -p 2 -f a -p 3
	assert_failure 2
	[[ ${stderr_lines[0]} == "shm stat: --proj given twice for --file 'a'" ]]
	assert_equal "$(nsegs)" 1
}

@test "with one --file, --proj may stand anywhere" {
	touch a
	id=$(shm create -p 2 -f a -s 1)
	run --separate-stderr shm stat -p 2 -f a --json
	assert_success
	assert_equal "$(jq .id <<<"$output")" "$id"
	run --separate-stderr shm chmod 640 -p 2 -k 0x7fff -f a
	assert_failure 3
	[[ $stderr == *"0x00007fff"* ]]
	run shm ls --raw -n -o id,mode
	assert_output "$id 0640"
}

# Names and paths in messages: never a raw control character.

@test "a --file path with a new line and ESC is shown escaped in the message" {
	path=$'no\n\e[31mred\xff caf\xc3\xa9'
	run --separate-stderr shm stat -f "$path"
	assert_failure 3
	assert_output ""
	[[ $stderr != *$'\e'* ]]
	[[ $stderr != *$'\xff'* ]]
	# every line is a message or a hint: the path did not break one
	for l in "${stderr_lines[@]}"; do
		[[ $l == "shm stat: "* || $l == "hint: "* ]]
	done
	[[ ${stderr_lines[0]} == *"'no\\n\\x1b[31mred\\xff café'"* ]]
}

@test "a usage error quoting a path with control characters escapes them" {
	run --separate-stderr shm rm -f $'a\tb\r\x9b' -p 1 -p 2 -f c
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "shm rm: --proj given twice for --file 'a\\tb\\r\\x9b'"
}

@test "stat: a command line with control characters and bytes that are not UTF-8" {
	id=$(shm create -k 0x5a10 -s 1M)
	argv0=$'caf\xc3\xa9\n\e[31mred\xff\xc2\x9b'
	mkfifo fifo
	bash -c 'exec -a "$0" "$1" read -i "$2" --raw' "$argv0" "$SHM_BIN" "$id" >fifo &
	holder=$!
	exec 5<fifo
	wait_nattch "$id" 1
	run --separate-stderr env LC_ALL=C.UTF-8 "$SHM_BIN" stat -i "$id"
	out=$output err=$stderr st=$status
	run --separate-stderr shm stat -i "$id" --json
	json=$output jst=$status
	cat <&5 >/dev/null
	exec 5<&-
	wait "$holder"

	assert_equal "$st" 0
	assert_equal "$err" ""
	[[ $out != *$'\e'* && $out != *$'\xff'* && $out != *$'\xc2\x9b'* ]]
	[[ $out == *"café\\x0a\\x1b[31mred\\xff\\xc2\\x9b read -i $id --raw"* ]]
	assert_equal "$jst" 0
	iconv -f UTF-8 -t UTF-8 <<<"$json" >/dev/null
	want=$'caf\xc3\xa9\n\e[31mred\xef\xbf\xbd\xc2\x9b read -i '"$id --raw"
	jq -e --arg want "$want" '.attached[0].command == $want' <<<"$json"
}
