#!/usr/bin/env bats
# shm add and shm cas: atomic arithmetic for scripts.  Concurrency tests
# count results, never time.

load helpers/common

@test "add: prints the new value, adds negative deltas, wraps" {
	shm create -k 0x7200 -s 64 >/dev/null
	run --separate-stderr shm add -k 0x7200 -t u32 5
	assert_success
	assert_output 5
	assert_equal "$stderr" ""
	run --separate-stderr shm add -k 0x7200 -t u32 -- -6
	assert_success
	assert_output 4294967295
	run shm add -k 0x7200 -t u32 1
	assert_output 0
	run shm add -k 0x7200 -o 8 -t i8 127
	assert_output 127
	run shm add -k 0x7200 -o 8 -t i8 1
	assert_output -128
	run shm add -k 0x7200 -o 16 -t u64 -- -1
	assert_output 18446744073709551615
	run shm read -k 0x7200 -o 16 -t u64
	assert_output 18446744073709551615
}

@test "add: 200 concurrent adds give exactly 200" {
	local i
	shm create -k 0x7201 -s 8 >/dev/null
	for i in $(seq 200); do
		shm add -k 0x7201 -t u32 1 >/dev/null &
	done
	wait
	run shm read -k 0x7201 -t u32
	assert_output 200
	# Every intermediate value was printed exactly once.
	shm write -k 0x7201 -t u32 0
	for i in $(seq 50); do
		shm add -k 0x7201 -t u16 1 >"out.$i" &
	done
	wait
	run bash -c 'cat out.* | sort -n | uniq | wc -l'
	assert_output 50
	run bash -c 'cat out.* | sort -n | tail -n 1'
	assert_output 50
}

@test "add: floats are refused with exit 2" {
	shm create -k 0x7202 -s 8 >/dev/null
	run --separate-stderr shm add -k 0x7202 -t f64 1
	assert_failure 2
	assert_output ""
	[[ $stderr == *"f64 is a float: only integers can be added"* ]]
	run shm read -k 0x7202 -t u64
	assert_output 0
}

@test "add: an offset not aligned to the type is exit 2 naming the nearest (row 32)" {
	shm create -k 0x7203 -s 64 >/dev/null
	run --separate-stderr shm add -k 0x7203 -o 6 -t u32 1
	assert_failure 2
	assert_output ""
	[[ $stderr == *"offset 6: not a multiple of 4, the size of u32"* ]]
	[[ $stderr == *"the nearest aligned offsets are 4 and 8"* ]]
	run --separate-stderr shm cas -k 0x7203 -o 12 -t i64 0 1
	assert_failure 2
	[[ $stderr == *"offset 12: not a multiple of 8, the size of i64"* ]]
	[[ $stderr == *"are 8 and 16"* ]]
	run shm read -k 0x7203 -x
	assert_line --index 0 --regexp '^00000000  00 00 00 00'
}

@test "add: past the end is exit 6, a DELTA out of range exit 2" {
	shm create -k 0x7204 -s 8 >/dev/null
	run --separate-stderr shm add -k 0x7204 -o 8 -t u32 1
	assert_failure 6
	[[ $stderr == *"past its end (it has 8 bytes)"* ]]
	[[ $stderr == *"hint: the last u32 in it is at offset 4"* ]]
	run --separate-stderr shm add -k 0x7204 -t u8 256
	assert_failure 2
	[[ $stderr == *"invalid DELTA '256' for u8"* ]]
	run --separate-stderr shm add -k 0x7204 -t u32
	assert_failure 2
	[[ $stderr == *"no DELTA given"* ]]
	run --separate-stderr shm add -k 0x7204 1
	assert_failure 2
	[[ $stderr == *"--type is needed"* ]]
	run --separate-stderr shm add -k 0x7299 -t u32 1
	assert_failure 3
}

@test "add and cas: --endian big and little store the bytes so" {
	shm create -k 0x7205 -s 16 >/dev/null
	run shm add -k 0x7205 -t u32 -e big 258
	assert_output 258
	run shm read -k 0x7205 -n 4 -t hex
	assert_output 00000102
	run shm add -k 0x7205 -o 8 -t u16 -e little 0x1234
	run shm read -k 0x7205 -o 8 -n 2 -t hex
	assert_output 3412
	run shm cas -k 0x7205 -t u32 -e big 258 0x01020304
	assert_success
	assert_output 258
	run shm read -k 0x7205 -n 4 -t hex
	assert_output 01020304
	# A big-endian add carries across bytes as the number does.
	run shm add -k 0x7205 -t u32 -e big 0xff
	assert_output $((0x01020304 + 0xff))
	run --separate-stderr shm add -k 0x7205 -t u32 -e middle 1
	assert_failure 2
	[[ $stderr == *"unknown byte order 'middle'"* ]]
}

@test "cas: exit 0 and the old value when it stores, 7 and the value found when not" {
	shm create -k 0x7206 -s 8 >/dev/null
	run --separate-stderr shm cas -k 0x7206 -t u32 0 42
	assert_success
	assert_output 0
	assert_equal "$stderr" ""
	run --separate-stderr shm cas -k 0x7206 -t u32 0 43
	assert_failure 7
	assert_output 42
	assert_equal "$stderr" ""
	run shm read -k 0x7206 -t u32
	assert_output 42
	run shm cas -k 0x7206 -t f32 42 1
	assert_failure 7
	run --separate-stderr shm cas -k 0x7206 -t u32 42
	assert_failure 2
	[[ $stderr == *"cas needs two numbers"* ]]
}

@test "cas: a spin lock from cas and wait keeps 40 racing increments exact" {
	local i
	shm create -k 0x7207 -s 8 >/dev/null
	cat >incr <<-'EOF'
	#!/bin/bash
	# Offset 0: the lock (0 free, else the holder's pid); 4: the counter.
	until "$SHM_BIN" cas -k 0x7207 -t u32 0 $$ >/dev/null; do
		"$SHM_BIN" wait -k 0x7207 -t u32 --value=0 -q
	done
	n=$("$SHM_BIN" read -k 0x7207 -o 4 -t u32)
	"$SHM_BIN" write -k 0x7207 -o 4 -t u32 $((n + 1))
	"$SHM_BIN" cas -k 0x7207 -t u32 $$ 0 >/dev/null
	EOF
	chmod +x incr
	export SHM_BIN
	for i in $(seq 40); do
		./incr &
	done
	wait
	run shm read -k 0x7207 -n 2 -t u32
	assert_output "$(printf '0\n40')"
}

@test "cas: needs write permission (exit 4) and leaves the value alone" {
	shm create -k 0x7208 -s 8 -m 644 >/dev/null
	run --separate-stderr as_nobody "$SHM_BIN" cas -k 0x7208 -t u32 0 1
	assert_failure 4
	[[ $stderr == *"permission denied"* ]]
	run --separate-stderr as_nobody "$SHM_BIN" add -k 0x7208 -t u32 1
	assert_failure 4
	run shm read -k 0x7208 -t u32
	assert_output 0
}

@test "add and cas create no semaphore" {
	local before
	shm create -k 0x7209 -s 8 >/dev/null
	before=$(wc -l </proc/sysvipc/sem)
	shm add -k 0x7209 -t u32 1 >/dev/null
	shm cas -k 0x7209 -t u32 1 2 >/dev/null
	assert_equal "$(wc -l </proc/sysvipc/sem)" "$before"
}

@test "add and cas: --endian agrees with Python's struct" {
	/usr/bin/python3 -c 'import sysv_ipc' 2>/dev/null ||
	    skip "python3-sysv-ipc is not installed"
	shm create -k 0x720a -s 32 >/dev/null
	shm add -k 0x720a -t i32 -e big -- -2 >/dev/null
	shm add -k 0x720a -o 8 -t u64 -e little 0x0102030405060708 >/dev/null
	shm cas -k 0x720a -o 16 -t i16 -e big -- 0 -300 >/dev/null
	run /usr/bin/python3 -c '
import struct, sysv_ipc
m = sysv_ipc.SharedMemory(0x720a)
b = m.read(32)
print(struct.unpack_from(">i", b, 0)[0], struct.unpack_from("<Q", b, 8)[0],
    struct.unpack_from(">h", b, 16)[0])
m.write(struct.pack(">H", 65535), 24)
m.detach()'
	assert_success
	assert_output "-2 $((0x0102030405060708)) -300"
	run shm add -k 0x720a -o 24 -t u16 -e big 2
	assert_output 1
}
