#!/usr/bin/env bats
# shm key

load helpers/common

ftok_c() {
	# ftok(3) as glibc defines it: proj, the device's low byte, the inode's
	# low 16 bits.
	local dev ino
	dev=$(stat -c '%d' "$1")
	ino=$(stat -c '%i' "$1")
	printf '0x%08x\n' $(( (($2 & 0xff) << 24) | ((dev & 0xff) << 16) | (ino & 0xffff) ))
}

@test "key prints ftok's key as 0x%08x" {
	touch shmfile
	run --separate-stderr shm key shmfile 65
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(ftok_c shmfile 65)"
}

@test "key: proj defaults to 1 and may be one character" {
	touch f
	run --separate-stderr shm key f
	assert_success
	assert_output "$(ftok_c f 1)"
	run --separate-stderr shm key f A
	assert_output "$(ftok_c f 65)"
	run --separate-stderr shm key f 0x41
	assert_output "$(ftok_c f 65)"
}

@test "key: a missing file exits 3 with a hint" {
	run --separate-stderr shm key missing
	assert_failure 3
	assert_output ""
	[[ $stderr == *"no file 'missing': ftok needs an existing file"* ]]
	[[ $stderr == *"hint: create it first (touch missing)"* ]]
}

@test "key: a path with spaces is quoted in the hint" {
	run --separate-stderr shm key "my file"
	assert_failure 3
	[[ $stderr == *"touch 'my file'"* ]]
}

@test "key: bad proj, no path, too many arguments: exit 2" {
	touch f
	run --separate-stderr shm key f 0
	assert_failure 2
	[[ $stderr == *"invalid project id '0'"* ]]
	run --separate-stderr shm key f 300
	assert_failure 2
	run --separate-stderr shm key
	assert_failure 2
	[[ $stderr == *"a PATH is needed"* ]]
	run --separate-stderr shm key f 1 2
	assert_failure 2
	[[ $stderr == *"too many arguments"* ]]
}
