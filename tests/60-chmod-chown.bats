#!/usr/bin/env bats
# shm chmod and shm chown (IPC_SET).

load helpers/common

# Prints "mode uid gid" of segment $1 from /proc/sysvipc/shm.
perm_of() {
	seg_field "$1" 3 8 9
}

@test "chmod changes the mode of each segment named, and prints nothing" {
	touch f
	a=$(shm create -k 0x41 -s 1)
	b=$(shm create -f f -s 1)
	c=$(shm create --private -s 1)
	run --separate-stderr shm chmod 640 -k 0x41 -f f -i "$c"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	for id in "$a" "$b" "$c"; do
		assert_equal "$(perm_of "$id")" "640 0 0"
	done
}

@test "chmod takes the mode with or without a leading 0, and 0" {
	id=$(shm create -k 0x41 -s 1)
	shm chmod 0604 -i "$id"
	assert_equal "$(perm_of "$id")" "604 0 0"
	shm chmod 0 -i "$id"
	assert_equal "$(perm_of "$id")" "0 0 0"
}

@test "chmod: a missing segment is exit 3, after changing the others" {
	a=$(shm create -k 0x41 -s 1)
	b=$(shm create -k 0x43 -s 1)
	run --separate-stderr shm chmod 644 -k 0x41 -k 0x42 -k 0x43
	assert_failure 3
	assert_output ""
	[[ $stderr == *"no segment has key 0x00000042"* ]]
	assert_equal "$(perm_of "$a")" "644 0 0"
	assert_equal "$(perm_of "$b")" "644 0 0"
}

@test "chmod: a bad mode, no mode, no selector, an extra argument: exit 2" {
	shm create -k 0x41 -s 1 >/dev/null
	run --separate-stderr shm chmod 888 -k 0x41
	assert_failure 2
	[[ $stderr == *"invalid mode '888' (want octal, 0 to 0777)"* ]]
	run --separate-stderr shm chmod 1777 -k 0x41
	assert_failure 2
	[[ $stderr == *"invalid mode '1777'"* ]]
	run --separate-stderr shm chmod -k 0x41
	assert_failure 2
	[[ $stderr == *"a MODE is needed"* ]]
	run --separate-stderr shm chmod 600
	assert_failure 2
	[[ $stderr == *"no segment given"* ]]
	run --separate-stderr shm chmod 600 700 -k 0x41
	assert_failure 2
	[[ $stderr == *"unexpected argument '700'"* ]]
	assert_output ""
	assert_equal "$(awk '$1 == 65 { print $3 }' /proc/sysvipc/shm)" 600
}

@test "chmod --private is refused" {
	run --separate-stderr shm chmod 600 --private
	assert_failure 2
	[[ $stderr == *"--private: unknown option"* ]]
}

@test "row 13: chmod by a stranger: exit 4, names owner and creator" {
	id=$(shm create -k 0x45 -s 1 -m 666)
	run --separate-stderr as_nobody "$SHM_BIN" chmod 600 -i "$id"
	assert_failure 4
	assert_output ""
	[[ $stderr == *"cannot change the mode of key 0x00000045 (id $id): operation not permitted: only its owner and creator root, or a privileged user, may; you are nobody"* ]]
	[[ $stderr == *"hint: ask root to run: shm chmod 0600 --id $id"* ]]
	assert_equal "$(perm_of "$id")" "666 0 0"
}

@test "row 13: chown by a stranger: exit 4, names owner and creator apart" {
	id=$(shm create -k 0x45 -s 1 -m 666)
	shm chown daemon -i "$id"
	run --separate-stderr as_nobody "$SHM_BIN" chown nobody -i "$id"
	assert_failure 4
	assert_output ""
	[[ $stderr == *"cannot change the owner of key 0x00000045 (id $id): operation not permitted: only its owner daemon, its creator root, or a privileged user, may; you are nobody"* ]]
	[[ $stderr == *"hint: ask daemon to run: shm chown nobody --id $id"* ]]
	assert_equal "$(perm_of "$id")" "666 1 0"
}

@test "row 13 with several selectors: the others still change" {
	theirs=$(shm create -k 0x45 -s 1 -m 666)
	mine=$(as_nobody "$SHM_BIN" create -k 0x46 -s 1)
	run --separate-stderr as_nobody "$SHM_BIN" chmod 640 -i "$theirs" -i "$mine"
	assert_failure 4
	assert_equal "$(perm_of "$mine")" "640 65534 65534"
	assert_equal "$(perm_of "$theirs")" "666 0 0"
}

@test "chmod and chown by the owner, without privileges" {
	id=$(as_nobody "$SHM_BIN" create -k 0x46 -s 1)
	run --separate-stderr as_nobody "$SHM_BIN" chmod 604 -i "$id"
	assert_success
	assert_equal "$stderr" ""
	# the owner may give the segment away
	run --separate-stderr as_nobody "$SHM_BIN" chown daemon:daemon -i "$id"
	assert_success
	assert_equal "$(perm_of "$id")" "604 1 1"
	# and, as its creator, still change it
	run --separate-stderr as_nobody "$SHM_BIN" chmod 600 -i "$id"
	assert_success
	assert_equal "$(perm_of "$id")" "600 1 1"
}

@test "chown USER keeps the group; USER:GROUP sets both; :GROUP the group alone" {
	id=$(shm create -k 0x47 -s 1)
	run --separate-stderr shm chown nobody -i "$id"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(perm_of "$id")" "600 65534 0"
	shm chown daemon:nogroup -i "$id"
	assert_equal "$(perm_of "$id")" "600 1 65534"
	shm chown :root -i "$id"
	assert_equal "$(perm_of "$id")" "600 1 0"
}

@test "chown USER: takes the user's login group" {
	id=$(shm create -k 0x47 -s 1)
	shm chown nobody: -i "$id"
	assert_equal "$(perm_of "$id")" "600 65534 65534"
}

@test "chown takes numeric ids, also of no user" {
	id=$(shm create -k 0x47 -s 1)
	shm chown 4242:4343 -i "$id"
	assert_equal "$(perm_of "$id")" "600 4242 4343"
	run --separate-stderr shm chown 4242: -i "$id"
	assert_failure 2
	[[ $stderr == *"'4242:': user 4242 has no login group; name the group (USER:GROUP)"* ]]
}

@test "row 21: chown to a user that does not exist: exit 2, naming it" {
	id=$(shm create -k 0x47 -s 1)
	run --separate-stderr shm chown no-such-user -i "$id"
	assert_failure 2
	assert_output ""
	[[ $stderr == *"shm chown: USER: no user 'no-such-user'"* ]]
	[[ $stderr == *"hint: see 'shm chown --help'"* ]]
	assert_equal "$(perm_of "$id")" "600 0 0"
}

@test "row 21: chown to a group that does not exist: exit 2, naming it" {
	id=$(shm create -k 0x47 -s 1)
	run --separate-stderr shm chown nobody:no-such-group -i "$id"
	assert_failure 2
	assert_output ""
	[[ $stderr == *"shm chown: GROUP: no group 'no-such-group'"* ]]
	run --separate-stderr shm chown :no-such-group -i "$id"
	assert_failure 2
	[[ $stderr == *"no group 'no-such-group'"* ]]
	assert_equal "$(perm_of "$id")" "600 0 0"
}

@test "chown: nothing to set, no owner, no selector: exit 2" {
	shm create -k 0x47 -s 1 >/dev/null
	run --separate-stderr shm chown : -k 0x47
	assert_failure 2
	[[ $stderr == *"no user or group given"* ]]
	run --separate-stderr shm chown "" -k 0x47
	assert_failure 2
	[[ $stderr == *"no user or group given"* ]]
	run --separate-stderr shm chown -k 0x47
	assert_failure 2
	[[ $stderr == *"a USER[:GROUP] is needed"* ]]
	run --separate-stderr shm chown nobody
	assert_failure 2
	[[ $stderr == *"no segment given"* ]]
}

@test "chown of several segments, one missing: exit 3 after the others" {
	a=$(shm create -k 0x48 -s 1)
	run --separate-stderr shm chown nobody -i 99999 -k 0x48
	assert_failure 3
	assert_output ""
	[[ $stderr == *"no segment has id 99999"* ]]
	assert_equal "$(perm_of "$a")" "600 65534 0"
}

@test "chmod keeps owner and group; chown keeps the mode" {
	id=$(shm create -k 0x49 -s 1 -m 640)
	shm chown daemon:nogroup -i "$id"
	shm chmod 604 -i "$id"
	assert_equal "$(perm_of "$id")" "604 1 65534"
	shm chown nobody -i "$id"
	assert_equal "$(perm_of "$id")" "604 65534 65534"
}

# Runs shm "$@" under strace, stopped (SIGSTOP) as soon as its first shmctl,
# the lookup's IPC_STAT, has returned: what it does next waits for
# resume_held.  Its stdout and stderr go to the files out and err.
hold_after_lookup() {
	command -v strace >/dev/null || skip "needs strace"
	# LeakSanitizer cannot run under ptrace
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	strace -qq -o trace -e trace=shmctl \
	    -e inject=shmctl:signal=SIGSTOP:when=1 "$SHM_BIN" "$@" \
	    >out 2>err &
	HELD=$!
	for i in $(seq 600); do
		grep -q 'stopped by SIGSTOP' trace 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# Lets the command of hold_after_lookup go on; sets status.
resume_held() {
	kill -CONT "$(pgrep -P "$HELD")"
	status=0
	wait "$HELD" || status=$?
}

@test "chmod does not undo a chown made between its lookup and its IPC_SET" {
	id=$(shm create -k 0x4a -s 1 -m 600)
	hold_after_lookup chmod 640 -i "$id"
	shm chown nobody:"$NOBODY_GROUP" -i "$id"
	resume_held
	assert_equal "$status" 0
	assert_equal "$(cat out)" ""
	assert_equal "$(cat err)" ""
	assert_equal "$(perm_of "$id")" "640 65534 65534"
}

@test "chown does not undo a chmod made between its lookup and its IPC_SET" {
	id=$(shm create -k 0x4b -s 1 -m 600)
	hold_after_lookup chown nobody -k 0x4b
	shm chmod 604 -i "$id"
	resume_held
	assert_equal "$status" 0
	assert_equal "$(cat out)" ""
	assert_equal "$(cat err)" ""
	assert_equal "$(perm_of "$id")" "604 65534 0"
}

@test "chown of the group alone keeps an owner changed while it runs" {
	id=$(shm create -k 0x4c -s 1 -m 600)
	hold_after_lookup chown :"$NOBODY_GROUP" -i "$id"
	shm chown daemon -i "$id"
	resume_held
	assert_equal "$status" 0
	assert_equal "$(cat err)" ""
	assert_equal "$(perm_of "$id")" "600 1 65534"
}
