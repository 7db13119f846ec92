#!/usr/bin/env bats
# shm create, and the selectors.

load helpers/common

@test "create by key prints the id alone and makes a 0600 segment" {
	run --separate-stderr shm create -k 0x1234 -s 4096
	assert_success
	assert_equal "$stderr" ""
	assert_output --regexp '^[0-9]+$'
	id=$output
	run seg_field "$id" 1 3 4
	assert_output "4660 600 4096"
}

@test "create opens an existing segment and prints the same id" {
	id=$(shm create -k 0x1234 -s 8K)
	run --separate-stderr shm create -k 0x1234 -s 4K
	assert_success
	assert_output "$id"
	run --separate-stderr shm create -k 0x1234
	assert_success
	assert_output "$id"
	assert_equal "$(nsegs)" 1
}

@test "create --json says whether it created" {
	run --separate-stderr shm create -k 0xabcd -s 1K -m 640 --json
	assert_success
	id=$(jq -r .id <<<"$output")
	assert_equal "$(jq -c . <<<"$output")" \
	    "{\"id\":$id,\"key\":\"0x0000abcd\",\"size\":1024,\"mode\":\"0640\",\"created\":true}"
	run --separate-stderr shm create -k 0xabcd --json
	assert_success
	assert_equal "$(jq -r .created <<<"$output")" false
	assert_equal "$(jq -r .id <<<"$output")" "$id"
}

@test "create -m sets the mode; the default never lets others write" {
	id=$(shm create -k 0x21 -s 1 -m 0644)
	run seg_mode "$id"
	assert_output 644
	id=$(shm create -k 0x22 -s 1)
	run seg_mode "$id"
	assert_output 600
}

@test "create accepts size suffixes" {
	for s in 1K:1024 1KiB:1024 2KB:2000 1M:1048576 3MiB:3145728 1MB:1000000 0x10:16; do
		run --separate-stderr shm create --private -s "${s%%:*}" --json
		assert_success
		assert_equal "$(jq -r .size <<<"$output")" "${s##*:}"
	done
}

@test "create --private makes a new segment each time, key 0" {
	a=$(shm create --private -s 64)
	b=$(shm create --private -s 64)
	[ "$a" != "$b" ]
	run seg_key "$a"
	assert_output 0
}

@test "create --private needs --size" {
	run --separate-stderr shm create --private
	assert_failure 2
	[[ $stderr == *"--private makes a new segment: give its --size"* ]]
	assert_equal "$(nsegs)" 0
}

@test "create by file uses ftok's key (the tutorial's shmfile, proj 65)" {
	touch shmfile
	key=$(shm key shmfile 65)
	run --separate-stderr shm create -f shmfile -p 65 -s 4 --json
	assert_success
	assert_equal "$(jq -r .key <<<"$output")" "$key"
	run --separate-stderr shm create -f shmfile -p A --json
	assert_success
	assert_equal "$(jq -r .key <<<"$output")" "$key"
}

@test "create by id opens the segment" {
	id=$(shm create -k 0x99 -s 10)
	run --separate-stderr shm create -i "$id"
	assert_success
	assert_output "$id"
}

@test "row 1: ftok's file does not exist: exit 3, path, hint" {
	run --separate-stderr shm create -f nosuchfile -s 4K
	assert_failure 3
	assert_output ""
	[[ $stderr == "shm create: no file 'nosuchfile': ftok needs an existing file"* ]]
	[[ $stderr == *"hint: create it first (touch nosuchfile), or name the segment with --key"* ]]
	assert_equal "$(nsegs)" 0
}

@test "row 2: ftok's file cannot be reached: exit 4, names the directory" {
	mkdir -p locked/inner
	touch locked/inner/f
	chmod 700 locked
	run --separate-stderr as_nobody "$SHM_BIN" create -f "$SHM_TMP/locked/inner/f" -s 4K
	assert_failure 4
	assert_output ""
	[[ $stderr == *"cannot reach '$SHM_TMP/locked/inner/f' for ftok: permission denied: you may not search directory '$SHM_TMP/locked'"* ]]
	[[ $stderr == *"hint:"* ]]
}

@test "row 3: open by key, no such segment: exit 3, key, hint with --size" {
	run --separate-stderr shm create -k 0x4242
	assert_failure 3
	assert_output ""
	[[ $stderr == "shm create: no segment has key 0x00004242"* ]]
	[[ $stderr == *"hint: create it: shm create --key 0x00004242 --size SIZE"* ]]
}

@test "row 3: the message names ftok's file and proj" {
	touch shmfile
	key=$(shm key shmfile 65)
	run --separate-stderr shm create -f shmfile -p 65
	assert_failure 3
	[[ $stderr == *"no segment has key $key (ftok of 'shmfile', proj 65)"* ]]
	[[ $stderr == *"hint: create it: shm create --file shmfile --proj 65 --size SIZE"* ]]
}

@test "row 4: open by id, no such segment: exit 3, the id, hint shm ls" {
	run --separate-stderr shm create -i 987654
	assert_failure 3
	[[ $stderr == *"no segment has id 987654"* ]]
	[[ $stderr == *"hint: list the segments that exist: shm ls"* ]]
}

@test "row 5: create --exclusive of a taken key: exit 5, id, size, owner" {
	id=$(shm create -k 0x55 -s 2K)
	run --separate-stderr shm create -k 0x55 -s 2K -x
	assert_failure 5
	assert_output ""
	[[ $stderr == *"key 0x00000055 (id $id) already exists: 2048 bytes, owner root, mode 0600"* ]]
	run --separate-stderr shm create -k 0x55 -s 1 --exclusive
	assert_failure 5
}

@test "row 6: --size larger than the existing segment: exit 6, both sizes" {
	shm create -k 0x66 -s 100
	run --separate-stderr shm create -k 0x66 -s 200
	assert_failure 6
	[[ $stderr == *"has 100 bytes, less than the 200 asked"* ]]
	[[ $stderr == *"hint: ask for at most 100 bytes, or remove it first: shm rm --key 0x00000066"* ]]
}

@test "row 7: --size above SHMMAX: exit 6, size and SHMMAX, sysctl hint" {
	run --separate-stderr in_new_ns bash -c \
	    "sysctl -qw kernel.shmmax=65536 && '$SHM_BIN' create -k 0x77 -s 65537"
	assert_failure 6
	[[ $stderr == *"cannot create a segment of 65537 bytes: larger than SHMMAX, 65536 bytes"* ]]
	[[ $stderr == *"sysctl kernel.shmmax"* ]]
}

@test "row 8: no segment ids left: exit 6, in use of SHMMNI" {
	run --separate-stderr in_new_ns bash -c \
	    "sysctl -qw kernel.shmmni=2 && '$SHM_BIN' create --private -s 1 >/dev/null &&
	     '$SHM_BIN' create --private -s 1 >/dev/null && '$SHM_BIN' create -k 0x88 -s 1"
	assert_failure 6
	[[ $stderr == *"no segment ids left: 2 segments in use of SHMMNI 2"* ]]
	[[ $stderr == *"kernel.shmmni"* ]]
}

@test "row 9: total shared memory used up: exit 6, asked, in use, SHMALL" {
	run --separate-stderr in_new_ns bash -c \
	    "sysctl -qw kernel.shmall=4 && '$SHM_BIN' create --private -s 8K >/dev/null &&
	     '$SHM_BIN' create -k 0x99 -s 12K"
	assert_failure 6
	[[ $stderr == *"cannot create a segment of 12288 bytes: shared memory used up: 8192 bytes in use of SHMALL 16384 bytes"* ]]
	[[ $stderr == *"kernel.shmall"* ]]
}

@test "row 17: malformed size, key, mode, proj, id: exit 2 quoting the text" {
	for args in "-k 0x10 -s 12x:--size: invalid number '12x'" \
	    "-k 0x10 -s -5:--size: invalid number '-5'" \
	    "-k 0x10 -s 99999999999999999999:--size: invalid number '99999999999999999999'" \
	    "-k zz -s 1:--key: invalid key 'zz'" \
	    "-k 0x100000000 -s 1:--key: invalid key '0x100000000'" \
	    "-k 0x10 -s 1 -m 999:--mode: invalid mode '999'" \
	    "-f x -p 256 -s 1:--proj: invalid project id '256'" \
	    "-i abc:--id: invalid segment id 'abc'"; do
		read -ra argv <<<"${args%%:*}"
		run --separate-stderr shm create "${argv[@]}"
		assert_failure 2
		assert_output ""
		[[ $stderr == "shm create: ${args#*:}"* ]] || fail "for '${args%%:*}': $stderr"
	done
	assert_equal "$(nsegs)" 0
}

@test "row 17: an empty size is a usage error" {
	run --separate-stderr shm create -k 0x10 -s ''
	assert_failure 2
	[[ $stderr == *"--size: invalid number ''"* ]]
}

@test "key 0 is refused: use --private" {
	run --separate-stderr shm create -k 0 -s 1
	assert_failure 2
	[[ $stderr == *"key 0 is IPC_PRIVATE; use --private"* ]]
}

@test "row 18: two selectors clash, none is needed" {
	run --separate-stderr shm create -k 1 -i 2 -s 1
	assert_failure 2
	[[ $stderr == *"--key and --id clash: name exactly one segment"* ]]
	run --separate-stderr shm create -k 1 -k 2 -s 1
	assert_failure 2
	[[ $stderr == *"--key given twice"* ]]
	run --separate-stderr shm create -s 1
	assert_failure 2
	[[ $stderr == *"no segment given: name one with --key, --file, --id, --private or --posix"* ]]
	assert_equal "$(nsegs)" 0
}

@test "row 18: --proj without --file is a usage error" {
	run --separate-stderr shm create -k 1 -p 3 -s 1
	assert_failure 2
	[[ $stderr == *"--proj goes with --file"* ]]
}

@test "create: an extra argument is a usage error" {
	run --separate-stderr shm create -k 1 -s 1 extra
	assert_failure 2
	[[ $stderr == *"unexpected argument 'extra'"* ]]
}

@test "row 19: create's id to a full stdout: exit 1, write error" {
	run --separate-stderr bash -c "'$SHM_BIN' create -k 0x19 -s 1 > /dev/full"
	assert_failure 1
	[[ $stderr == *"write error: No space left on device"* ]]
}

@test "row 6: create --id with a --size larger than the segment: exit 6" {
	id=$(shm create -k 0x67 -s 10)
	run --separate-stderr shm create -i "$id" -s 20
	assert_failure 6
	assert_output ""
	[[ $stderr == *"key 0x00000067 (id $id) has 10 bytes, less than the 20 asked"* ]]
	[[ $stderr == *"hint: ask for at most 10 bytes, or remove it first: shm rm --id $id"* ]]
	run --separate-stderr shm create -i "$id" -s 10
	assert_success
	assert_output "$id"
}

@test "row 10: create by a stranger of root's 0600 segment: exit 4, no id" {
	id=$(shm create -k 0x1a -s 1)
	# before: the id, exit 0, and the next write failed
	for args in "-k 0x1a" "-k 0x1a -s 1" "-i $id"; do
		run --separate-stderr as_nobody "$SHM_BIN" create $args
		assert_failure 4
		assert_output ""
		[[ $stderr == "shm create: "*"(id $id)"*"permission denied"* ]]
		[[ $stderr == *"owner root, group root, mode 0600 (rw-------)"* ]]
		[[ $stderr == *"you are nobody (uid 65534), groups $NOBODY_GROUP"* ]]
		[[ $stderr == *"the bits for others"*"lack read and write"* ]]
		[[ $stderr == *"hint: "*"shm chmod 0606 "* ]]
	done
	run --separate-stderr as_nobody "$SHM_BIN" create -k 0x1a --json
	assert_failure 4
	assert_output ""
}

@test "row 10: create by a stranger of a segment others may only read: exit 4, lacks write" {
	shm create -k 0x1b -s 1 -m 644 >/dev/null
	run --separate-stderr as_nobody "$SHM_BIN" create -k 0x1b
	assert_failure 4
	assert_output ""
	[[ $stderr == *"mode 0644 (rw-r--r--)"*"lack write"* ]]
}

@test "create by a stranger of a segment others may read and write: its id" {
	id=$(shm create -k 0x1c -s 1 -m 606)
	run --separate-stderr as_nobody "$SHM_BIN" create -k 0x1c
	assert_success
	assert_output "$id"
	assert_equal "$stderr" ""
	run --separate-stderr as_nobody "$SHM_BIN" create -i "$id" -s 1
	assert_success
	assert_output "$id"
	# the group's bits for a member of the segment's group
	shm chown root:"$NOBODY_GROUP" -i "$id"
	shm chmod 660 -i "$id"
	run --separate-stderr as_nobody "$SHM_BIN" create -k 0x1c
	assert_success
	assert_output "$id"
}

@test "create --exclusive by a stranger of a taken key: still exit 5" {
	shm create -k 0x1d -s 1 >/dev/null
	run --separate-stderr as_nobody "$SHM_BIN" create -k 0x1d -s 1 -x
	assert_failure 5
	assert_output ""
}

@test "create of an existing segment with another --mode: exit 0, a note that it keeps its mode" {
	id=$(shm create -k 0x1e -s 1 -m 600)
	# before: silent, as if the mode had been set
	run --separate-stderr shm create -k 0x1e -m 640
	assert_success
	assert_output "$id"
	assert_equal "$stderr" "shm create: key 0x0000001e (id $id) exists and keeps its mode 0600, not the 0640 asked
hint: change it: shm chmod 0640 --key 0x0000001e"
	assert_equal "$(seg_mode "$id")" 600
	run --separate-stderr shm create -k 0x1e -s 1 -m 644 --json
	assert_success
	assert_equal "$(jq -r .mode <<<"$output")" 0600
	[[ $stderr == "shm create: key 0x0000001e (id $id) exists and keeps its mode 0600, not the 0644 asked"* ]]
	# the same mode, or none given: nothing to say
	run --separate-stderr shm create -k 0x1e -m 0600
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr shm create -k 0x1e
	assert_success
	assert_equal "$stderr" ""
}

@test "create with another --mode by a user who is not the owner: the hint names the owner" {
	id=$(shm create -k 0x1f -s 1 -m 606)
	run --separate-stderr as_nobody "$SHM_BIN" create -i "$id" -m 600
	assert_success
	assert_output "$id"
	assert_equal "$stderr" "shm create: key 0x0000001f (id $id) exists and keeps its mode 0606, not the 0600 asked
hint: its owner (root) can change it: shm chmod 0600 --id $id"
}
