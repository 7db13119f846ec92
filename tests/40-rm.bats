#!/usr/bin/env bats
# shm rm: by selector, and by filter.

load helpers/common

@test "rm by key, id and file removes each" {
	touch f
	shm create -k 0x41 -s 1 >/dev/null
	id=$(shm create -k 0x42 -s 1)
	shm create -f f -s 1 >/dev/null
	run --separate-stderr shm rm -k 0x41 -i "$id" -f f
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(nsegs)" 0
}

@test "rm: a selector that names no segment: exit 3 after removing the others" {
	shm create -k 0x41 -s 1 >/dev/null
	shm create -k 0x43 -s 1 >/dev/null
	run --separate-stderr shm rm -k 0x41 -k 0x42 -k 0x43
	assert_failure 3
	[[ $stderr == *"no segment has key 0x00000042"* ]]
	[[ $stderr == *"hint: list the segments that exist: shm ls"* ]]
	[[ $stderr != *"shm create"* ]]
	assert_equal "$(nsegs)" 0
}

@test "rm --force is silent about missing segments and files" {
	shm create -k 0x41 -s 1 >/dev/null
	run --separate-stderr shm rm -F -k 0x41 -k 0x42 -f nofile -i 99999
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(nsegs)" 0
}

@test "row 22: rm of an attached segment says how many are attached" {
	id=$(shm create -k 0x44 -s 1M)
	hold "$id"
	run --separate-stderr shm rm -i "$id"
	assert_success
	assert_output ""
	[[ $stderr == *"key 0x00000044 (id $id) is still attached by 1 process: it goes when the last one detaches"* ]]
	# marked: its key shows as 0 until the last detach
	run seg_key "$id"
	assert_output 0
	release
	assert_equal "$(nsegs)" 0
}

@test "row 13: rm by a stranger: exit 4, names owner and creator" {
	id=$(shm create -k 0x45 -s 1 -m 666)
	run --separate-stderr as_nobody "$SHM_BIN" rm -i "$id"
	assert_failure 4
	[[ $stderr == *"cannot remove key 0x00000045 (id $id): operation not permitted: only its owner and creator root, or a privileged user, may; you are nobody"* ]]
	[[ $stderr == *"hint: ask root to run: shm rm --id $id"* ]]
	assert_equal "$(nsegs)" 1
}

@test "rm: no selector and no filter is a usage error" {
	run --separate-stderr shm rm
	assert_failure 2
	[[ $stderr == *"no segment given"* ]]
}

@test "rm --private is refused" {
	run --separate-stderr shm rm --private
	assert_failure 2
	[[ $stderr == *"--private: unknown option"* ]]
}

@test "rm --all removes every segment and prints their ids" {
	a=$(shm create -k 0x51 -s 1)
	b=$(shm create --private -s 1)
	run --separate-stderr shm rm --all
	assert_success
	assert_equal "$(sort <<<"$output")" "$(printf '%s\n' "$a" "$b" | sort)"
	assert_equal "$(nsegs)" 0
}

@test "rm --all as a user removes only what the user may remove" {
	mine=$(as_nobody "$SHM_BIN" create -k 0x61 -s 1)
	root=$(shm create -k 0x62 -s 1 -m 666)
	run --separate-stderr as_nobody "$SHM_BIN" rm --all
	assert_success
	assert_output "$mine"
	[[ $stderr == *"skipped 1 segment of other users that you may not remove (id $root)"* ]]
	assert_equal "$(nsegs)" 1
}

@test "rm --all with selectors is a usage error" {
	run --separate-stderr shm rm --all -k 1
	assert_failure 2
	[[ $stderr == *"name segments, or filter them, not both"* ]]
}

@test "row 13: rm --dry-run by a stranger: exit 4 as rm, lists nothing" {
	id=$(shm create -k 0x46 -s 1 -m 666)
	mine=$(as_nobody "$SHM_BIN" create -k 0x47 -s 1)
	# before: the id was listed, exit 0, though rm itself refuses
	run --separate-stderr as_nobody "$SHM_BIN" rm -k 0x46 -k 0x47 --dry-run
	assert_failure 4
	assert_output "$mine"
	[[ $stderr == *"cannot remove key 0x00000046 (id $id): operation not permitted: only its owner and creator root, or a privileged user, may; you are nobody"* ]]
	assert_equal "$(nsegs)" 2
	# the same as the removal itself
	run --separate-stderr as_nobody "$SHM_BIN" rm -k 0x46
	assert_failure 4
	assert_equal "$(nsegs)" 2
}
