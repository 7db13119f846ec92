#!/usr/bin/env bats
# shm write and shm read of records (-t i32,x4,f64) and byte orders
# (-e), checked against Python's struct both ways; the single aligned
# value in one atomic access; shm write waking shm wait.

load helpers/common

setup() {
	bg_setup
}

teardown() {
	bg_teardown
}

# pack FMT VALUE...: the bytes of Python's struct.pack, in hex.
pack() {
	python3 -c 'import struct, sys
fmt = sys.argv[1]
vals = [float(v) if "." in v or "e" in v else int(v, 0) for v in sys.argv[2:]]
print(struct.pack(fmt, *vals).hex())' "$@"
}

# unpack FMT HEX: the values of Python's struct.unpack, one record per
# line as shm read prints them (floats by repr).
unpack() {
	python3 -c 'import struct, sys
fmt, data = sys.argv[1], bytes.fromhex(sys.argv[2])
n = struct.calcsize(fmt)
for i in range(0, len(data), n):
    print(" ".join(repr(v) for v in struct.unpack(fmt, data[i:i + n])))' "$@"
}

@test "write -t i32,x4,f64 lays out C's struct, as Python's struct packs it" {
	shm create -k 0x2200 -s 32 >/dev/null
	run --separate-stderr shm write -k 0x2200 -t i32,x4,f64 -- -3 2.5 7 -0.125
	assert_success
	assert_output ""
	[ -z "$stderr" ]
	run shm read -k 0x2200 -t hex
	assert_output "$(pack '=ixxxxdixxxxd' -3 2.5 7 -0.125)"
}

@test "write -e big and -e little store every number type as struct does" {
	shm create -k 0x2201 -s 64 >/dev/null
	for e in big little; do
		[ $e = big ] && p='>' || p='<'
		shm write -k 0x2201 -e $e -t i8,u8,i16,u16,i32,u32,i64,u64,f32,f64 \
		    -- -2 250 -300 60000 -70000 4000000000 -5000000000 \
		    18000000000000000000 1.5 -2.25
		run shm read -k 0x2201 -t hex -n 42
		assert_output "$(pack "${p}bBhHiIqQfd" -2 250 -300 60000 -70000 \
		    4000000000 -5000000000 18000000000000000000 1.5 -2.25)"
	done
}

@test "read -t RECORD -e big -n 2 prints what Python's struct packed, one record per line" {
	shm create -k 0x2202 -s 32 >/dev/null
	pack '>ixxxxdixxxxd' -3 2.5 7 -0.125 | shm write -k 0x2202 -t hex
	run --separate-stderr shm read -k 0x2202 -t i32,x4,f64 -e big -n 2
	assert_success
	assert_output "$(printf '%s\n' '-3 2.5' '7 -0.125')"
	[ -z "$stderr" ]
	run shm read -k 0x2202 -t i32,x4,f64 -e big -n 2
	assert_output "$(unpack '>ixxxxd' "$(shm read -k 0x2202 -t hex)")"
}

@test "read -e little of every number type agrees with struct.unpack" {
	shm create -k 0x2203 -s 42 >/dev/null
	hex=$(pack '<bBhHiIqQfd' -2 250 -300 60000 -70000 4000000000 \
	    -5000000000 18000000000000000000 1.5 -2.25)
	echo "$hex" | shm write -k 0x2203 -t hex
	run shm read -k 0x2203 -t i8,u8,i16,u16,i32,u32,i64,u64,f32,f64 -e little
	assert_success
	assert_output "$(unpack '<bBhHiIqQfd' "$hex")"
}

@test "write of a record leaves its padding as it is" {
	shm create -k 0x2204 -s 16 >/dev/null
	shm write -k 0x2204 -t hex aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb
	shm write -k 0x2204 -t x2,u16,x4,u32,x4 -e big -- 1 2
	run shm read -k 0x2204 -t hex
	assert_output aaaa0001aaaaaaaa00000002bbbbbbbb
}

@test "records from standard input, a word per field, padding left as it is" {
	shm create -k 0x2205 -s 16 >/dev/null
	shm write -k 0x2205 -t hex ffffffffffffffffffffffffffffffff
	printf '1\n2\t3 4' | shm write -k 0x2205 -t x1,u8,u16,x4 -e little
	run shm read -k 0x2205 -t hex
	assert_output "$(python3 -c 'print("ff0102" + "00" + "ff"*4 + "ff0304" + "00" + "ff"*4)')"
	run shm read -k 0x2205 -t x1,u8,u16,x4 -e little -n 2
	assert_output "$(printf '%s\n' '1 2' '3 4')"
}

@test "values that do not make whole records are exit 2, the segment unchanged" {
	shm create -k 0x2206 -s 32 >/dev/null
	run --separate-stderr shm write -k 0x2206 -t i32,x4,f64 -- 1 2.5 3
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--type i32,x4,f64: 3 values do not make whole records of 2 values each"* ]]
	run --separate-stderr sh -c 'echo 1 2.5 3 | "$0" write -k 0x2206 -t i32,x4,f64' "$SHM_BIN"
	assert_failure 2
	[[ $stderr == *"3 values on standard input do not make whole records"*"the segment is unchanged"* ]]
	run shm read -k 0x2206 -t hex
	assert_output "$(printf '0%.0s' $(seq 64))"
}

@test "a bad record type or byte order is exit 2 naming the text" {
	shm create -k 0x2207 -s 32 >/dev/null
	run --separate-stderr shm write -k 0x2207 -t i32,x0 -- 1
	assert_failure 2
	[[ $stderr == *"--type: unknown type 'i32,x0'"*"i32,x4,f64"* ]]
	run --separate-stderr shm read -k 0x2207 -t x4
	assert_failure 2
	[[ $stderr == *"--type: unknown type 'x4'"* ]]
	run --separate-stderr shm read -k 0x2207 -t u8 -e middle
	assert_failure 2
	[[ $stderr == *"--endian: unknown byte order 'middle'"* ]]
	run --separate-stderr shm write -k 0x2207 -e big abc
	assert_failure 2
	[[ $stderr == *"--endian goes with a number or record --type"* ]]
	run --separate-stderr shm read -k 0x2207 -e big -t hex
	assert_failure 2
	[[ $stderr == *"--endian goes with a number or record --type"* ]]
}

@test "read of records past the end is exit 6 counting records" {
	shm create -k 0x2208 -s 32 >/dev/null
	run --separate-stderr shm read -k 0x2208 -t i32,x4,f64 -n 3
	assert_failure 6
	[[ $stderr == *"cannot read 3 i32,x4,f64 records (48 bytes) at offset 0"* ]]
	[[ $stderr == *"read at most 2 records there (-n 2)"* ]]
}

@test "a single aligned u64 is never seen torn by a concurrent reader" {
	shm create -k 0x2209 -s 16 >/dev/null
	# A writer flips the value between 0 and all ones, 300 times, while
	# a reader reads it 300 times: every value read is one of the two.
	{
		for i in $(seq 150); do
			"$SHM_BIN" write -k 0x2209 -o 8 -t u64 18446744073709551615
			"$SHM_BIN" write -k 0x2209 -o 8 -t u64 0
		done
	} &
	bg+=($!)
	for i in $(seq 300); do
		v=$(shm read -k 0x2209 -o 8 -t u64)
		[ "$v" = 0 ] || [ "$v" = 18446744073709551615 ] || {
			echo "torn value $v" >&2
			false
		}
	done
	wait "${bg[@]}"
	bg=()
}

@test "a single aligned value written -e big reads back in either order" {
	shm create -k 0x220a -s 16 >/dev/null
	run --separate-stderr shm write -k 0x220a -o 8 -t u64 -e big 1
	assert_success
	run shm read -k 0x220a -o 8 -t u64 -e big
	assert_output 1
	run shm read -k 0x220a -o 8 -t u64 -e little
	assert_output 72057594037927936
}

@test "write wakes a wait --value blocked on what it wrote (FUTEX_WAKE)" {
	command -v strace >/dev/null || skip "strace is not installed"
	shm create -k 0x220b -s 16 >/dev/null
	{
		rc=0
		"$SHM_BIN" wait -k 0x220b -o 4 -t u32 --value=5 --timeout=60 \
		    >w.out 2>w.err || rc=$?
		echo $rc >w.rc
	} </dev/null 3>&- &
	bg+=($!)
	# The waiter sleeps on the futex of the word before the write.
	for i in $(seq 400); do
		grep -qs futex /proc/$(pgrep -P ${bg[0]} || echo ${bg[0]})/wchan && break
		sleep 0.05
	done
	# LeakSanitizer cannot run under ptrace: leaks are not checked here.
	run --separate-stderr env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    strace -f -e trace=futex -o trace.log "$SHM_BIN" write -k 0x220b -o 4 -t u32 5
	assert_success
	grep -q 'FUTEX_WAKE' trace.log
	for i in $(seq 400); do
		[ -f w.rc ] && break
		sleep 0.05
	done
	[ "$(cat w.rc)" = 0 ]
	[ "$(cat w.out)" = 5 ]
	wait "${bg[@]}"
	bg=()
}

@test "write of a range wakes the waiters on every word it wrote" {
	command -v strace >/dev/null || skip "strace is not installed"
	shm create -k 0x220c -s 64 >/dev/null
	# LeakSanitizer cannot run under ptrace: leaks are not checked here.
	run --separate-stderr env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    strace -f -e trace=futex -o trace.log "$SHM_BIN" write -k 0x220c -t hex 00112233445566778899aabbccddeeff
	assert_success
	[ "$(grep -c FUTEX_WAKE trace.log)" -eq 4 ]
}
