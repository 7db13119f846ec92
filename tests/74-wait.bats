#!/usr/bin/env bats
# shm wait: blocking until a segment or a value in it is as asked.  No
# test asserts a time: each waits for the state it needs with a bounded
# poll, and checks what wait printed and how it ended.

load helpers/common

setup() {
	bg_setup
}

teardown() {
	bg_teardown
}

# Waits until the background job NAME has ended.
finished() {
	local i
	for i in $(seq 400); do
		[ -f "$1.rc" ] && return 0
		sleep 0.05
	done
	echo "$1 did not end" >&2
	return 1
}

# Waits until a process of the job has begun to sleep in a wait on a
# futex (when the kernel says where processes sleep).
sleeping_on_futex() {
	local i p
	for i in $(seq 400); do
		for p in $(pgrep -P "$1") "$1"; do
			grep -q futex "/proc/$p/wchan" 2>/dev/null && return 0
		done
		sleep 0.05
	done
	echo "no process of job $1 sleeps on a futex" >&2
	return 1
}

@test "wait --value: already true, it prints the value and exits 0 at once" {
	shm create -k 0x7400 -s 8 >/dev/null
	shm write -k 0x7400 -t u32 3
	run --separate-stderr shm wait -k 0x7400 -t u32 --value=3
	assert_success
	assert_output 3
	assert_equal "$stderr" ""
	run shm wait -k 0x7400 -t u32 --value='>=2' --timeout=0
	assert_success
	assert_output 3
	run shm wait -k 0x7400 -t u32 --value='!=3' --timeout=0 -q
	assert_failure 7
	assert_output ""
}

@test "wait --value is woken by shm add" {
	shm create -k 0x7401 -s 8 >/dev/null
	spawn w "$SHM_BIN" wait -k 0x7401 -t u32 --value='>=2'
	sleeping_on_futex "$PID"
	run shm add -k 0x7401 -t u32 1
	assert_output 1
	run shm add -k 0x7401 -t u32 1
	assert_output 2
	finished w
	assert_equal "$(cat w.rc)" 0
	assert_equal "$(cat w.out)" 2
	assert_equal "$(cat w.err)" ""
}

@test "wait --value sees a plain store by a Python sysv_ipc program" {
	/usr/bin/python3 -c 'import sysv_ipc' 2>/dev/null ||
	    skip "python3-sysv-ipc is not installed"
	shm create -k 0x7402 -s 16 >/dev/null
	spawn w "$SHM_BIN" wait -k 0x7402 -o 8 -t i64 -e big --value='==-5'
	sleeping_on_futex "$PID"
	/usr/bin/python3 -c '
import struct, sysv_ipc
m = sysv_ipc.SharedMemory(0x7402)
m.write(struct.pack(">q", -5), 8)
m.detach()'
	finished w
	assert_equal "$(cat w.rc)" 0
	assert_equal "$(cat w.out)" -5
}

@test "wait --exists and --gone around create and rm" {
	spawn e "$SHM_BIN" wait -k 0x7403 --exists
	run shm wait -k 0x7403 --exists --timeout=0
	assert_failure 7
	shm create -k 0x7403 -s 8 >/dev/null
	finished e
	assert_equal "$(cat e.rc)" 0
	assert_equal "$(cat e.out)" ""
	spawn g "$SHM_BIN" wait -k 0x7403 --gone
	run shm wait -k 0x7403 --gone --timeout=0
	assert_failure 7
	shm rm -k 0x7403
	finished g
	assert_equal "$(cat g.rc)" 0
	# Gone already: true at once.
	run shm wait -k 0x7403 --gone --timeout=0
	assert_success
}

@test "wait --gone holds once the segment is marked for removal, even attached" {
	local id
	id=$(shm create -k 0x7404 -s 1M)
	hold "$id"
	spawn g "$SHM_BIN" wait -i "$id" --gone
	shm rm -k 0x7404 2>/dev/null
	finished g
	assert_equal "$(cat g.rc)" 0
	release
}

@test "wait --attached and --detached around a real client" {
	local id
	id=$(shm create -k 0x7405 -s 1M)
	run shm wait -i "$id" --detached --timeout=0
	assert_success
	spawn a "$SHM_BIN" wait -k 0x7405 --attached
	hold "$id"
	finished a
	assert_equal "$(cat a.rc)" 0
	run --separate-stderr shm wait -k 0x7405 --attached=2 --timeout=0.1
	assert_failure 7
	[[ $stderr == *"to have 2 processes attached: it has 1"* ]]
	spawn d "$SHM_BIN" wait -k 0x7405 --detached
	release
	finished d
	assert_equal "$(cat d.rc)" 0
}

@test "row 33: wait --timeout: exit 7 naming the condition and the last value seen" {
	shm create -k 0x7406 -s 8 >/dev/null
	shm write -k 0x7406 -t i16 -- -2
	run --separate-stderr shm wait -k 0x7406 -t i16 --value='>0' --timeout=50ms
	assert_failure 7
	assert_output ""
	[[ $stderr == "shm wait: timed out after 50ms waiting for the i16 at offset 0 of key 0x00007406 (id "*") to be >0: it is -2" ]]
	run --separate-stderr shm wait -k 0x7406 -t i16 --value='>0' --timeout=0 -q
	assert_failure 7
	assert_equal "$stderr" ""
	run --separate-stderr shm wait -k 0x7407 --exists --timeout=0.01
	assert_failure 7
	[[ $stderr == *"waiting for key 0x00007407 to exist: it does not" ]]
}

@test "wait --value: the segment removed while waiting is exit 3" {
	local id
	id=$(shm create -k 0x7408 -s 8)
	spawn w "$SHM_BIN" wait -k 0x7408 -t u32 --value=1
	sleeping_on_futex "$PID"
	shm rm -k 0x7408 2>/dev/null
	finished w
	assert_equal "$(cat w.rc)" 3
	assert_equal "$(cat w.out)" ""
	run cat w.err
	assert_output "shm wait: key 0x00007408 (id $id) was removed while shm waited on it"
}

@test "wait --changed: a write into the range ends it, one outside does not" {
	shm create -k 0x7409 -s 64 >/dev/null
	spawn c "$SHM_BIN" wait -k 0x7409 --changed -o 16 -n 8
	sleeping_on_futex "$PID"
	shm write -k 0x7409 -o 0 xxxx
	run shm wait -k 0x7409 --changed -o 16 -n 8 --timeout=0
	assert_failure 7
	[ ! -f c.rc ]
	shm write -k 0x7409 -o 20 y
	finished c
	assert_equal "$(cat c.rc)" 0
}

@test "wait: a value at an unaligned offset is exit 2 (row 32); bad options exit 2" {
	shm create -k 0x740a -s 16 >/dev/null
	run --separate-stderr shm wait -k 0x740a -o 2 -t u32 --value=0
	assert_failure 2
	[[ $stderr == *"not a multiple of 4, the size of u32"*"are 0 and 4"* ]]
	run --separate-stderr shm wait -k 0x740a
	assert_failure 2
	[[ $stderr == *"no condition given"* ]]
	run --separate-stderr shm wait -k 0x740a --exists --gone
	assert_failure 2
	[[ $stderr == *"give exactly one condition"* ]]
	run --separate-stderr shm wait -k 0x740a --value=1
	assert_failure 2
	[[ $stderr == *"--value needs --type"* ]]
	run --separate-stderr shm wait -k 0x740a -t u8 --value='=>1'
	assert_failure 2
	[[ $stderr == *"invalid expression '=>1'"* ]]
	run --separate-stderr shm wait -k 0x740a --exists --timeout=soon
	assert_failure 2
	[[ $stderr == *"--timeout: invalid duration 'soon'"* ]]
	run --separate-stderr shm wait -k 0x740a --exists -t u8
	assert_failure 2
	[[ $stderr == *"--type goes with --value"* ]]
	run --separate-stderr shm wait -k 0x740b -t u8 --value=1
	assert_failure 3
}

@test "wait --value works with read permission alone" {
	shm create -k 0x740c -s 8 -m 644 >/dev/null
	shm write -k 0x740c -t u8 9
	run --separate-stderr as_nobody "$SHM_BIN" wait -k 0x740c -t u8 --value=9 --timeout=1
	assert_success
	assert_output 9
}

@test "wait --changed: an empty range is refused, not waited on for ever" {
	shm create -k 0x740d -s 16 >/dev/null
	run --separate-stderr shm wait -k 0x740d --changed -n 0
	assert_failure 2
	[[ $stderr == *"--count=0: an empty range never changes"* ]]
	run --separate-stderr shm wait -k 0x740d --changed -o 16
	assert_failure 6
	[[ $stderr == *"cannot watch from offset 16 of key 0x0000740d (id "*"): nothing is left there (it has 16 bytes)" ]]
}
