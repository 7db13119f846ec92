#!/usr/bin/env bats
# shm write: data from arguments and from stdin, types, --string,
# --truncate, and the segment left unchanged when the data do not fit.

load helpers/common

# The segment's bytes as continuous hex (read has its own tests).
seg_hex() {
	"$SHM_BIN" read "$@" -t hex
}

@test "write: raw DATA go back to back, nothing on stdout" {
	shm create -k 0x10 -s 16 >/dev/null
	run --separate-stderr shm write -k 0x10 hello ' ' world
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run seg_hex -k 0x10
	assert_output "68656c6c6f20776f726c640000000000"
}

@test "write: the tutorial's *ipcPointer = 3, by ftok file and proj" {
	touch shmfile
	shm create -f shmfile -p 65 -s 4 >/dev/null
	run --separate-stderr bash -c "'$SHM_BIN' write -f shmfile -p 65 -t i32 3 && '$SHM_BIN' read -f shmfile -p 65 -t i32"
	assert_success
	assert_output 3
	assert_equal "$stderr" ""
}

@test "write: binary data with NUL bytes round-trip through stdin" {
	shm create -k 0x11 -s 8 >/dev/null
	printf 'a\0b\0\0c\377\n' > in
	run --separate-stderr bash -c "'$SHM_BIN' write -k 0x11 < in"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	shm read -k 0x11 > out
	cmp in out
	# and from a pipe
	printf '\0\0\0\0\0\0\0\0' | shm write -k 0x11
	printf 'x\0y' | shm write -k 0x11 -
	run seg_hex -k 0x11
	assert_output "7800790000000000"
}

@test "write: a 1 MiB random file round-trips byte for byte, from a file and a pipe" {
	head -c 1M /dev/urandom > r
	shm create -k 0x12 -s 1M >/dev/null
	run --separate-stderr bash -c "'$SHM_BIN' write -k 0x12 < r"
	assert_success
	assert_equal "$stderr" ""
	shm read -k 0x12 > out
	cmp r out
	head -c 1M /dev/urandom > r2
	run --separate-stderr bash -c "cat r2 | '$SHM_BIN' write -k 0x12"
	assert_success
	assert_equal "$stderr" ""
	shm read -k 0x12 | cmp r2 -
}

@test "write: -o writes at the offset and leaves the rest" {
	shm create -k 0x13 -s 8 >/dev/null
	shm write -k 0x13 -t hex ffffffffffffffff
	run --separate-stderr shm write -k 0x13 -o 2 -t hex 0102
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run seg_hex -k 0x13
	assert_output "ffff0102ffffffff"
	shm write -k 0x13 -o 0x6 -t u8 7
	run seg_hex -k 0x13
	assert_output "ffff0102ffff07ff"
}

@test "write: every number type at its minimum and maximum" {
	shm create -k 0x14 -s 64 >/dev/null
	while read -r t min max; do
		run --separate-stderr shm write -k 0x14 -t "$t" -- "$min" "$max"
		assert_success
		assert_output ""
		assert_equal "$stderr" ""
		run --separate-stderr shm read -k 0x14 -t "$t" -n 2
		assert_success
		assert_output "$min"$'\n'"$max"
	done <<-'EOF'
	i8 -128 127
	i16 -32768 32767
	i32 -2147483648 2147483647
	i64 -9223372036854775808 9223372036854775807
	u8 0 255
	u16 0 65535
	u32 0 4294967295
	u64 0 18446744073709551615
	f32 -3.4028235e+38 3.4028235e+38
	f64 -1.7976931348623157e+308 1.7976931348623157e+308
	EOF
}

@test "row 17: a number out of its type's range is exit 2, segment unchanged" {
	shm create -k 0x15 -s 16 >/dev/null
	while read -r t bad want; do
		run --separate-stderr shm write -k 0x15 -t "$t" -- 1 "$bad"
		assert_failure 2
		assert_output ""
		[[ $stderr == *"--type $t: invalid value '$bad' (want $want"* ]]
		[[ $stderr == *"hint: see 'shm write --help'"* ]]
	done <<-'EOF'
	i8 128 an integer from -128 to 127
	i8 -129 an integer from -128 to 127
	i16 32768 an integer from -32768 to 32767
	i32 2147483648 an integer from -2147483648
	i64 9223372036854775808 an integer from -9223372036854775808
	u8 256 an integer from 0 to 255
	u8 -1 an integer from 0 to 255
	u16 65536 an integer from 0 to 65535
	u32 4294967296 an integer from 0 to 4294967295
	u64 18446744073709551616 an integer from 0 to 18446744073709551615
	f32 1e39 a number
	f64 1e309 a number
	i32 12abc an integer
	i32 "" an integer
	EOF
	run seg_hex -k 0x15
	assert_output "00000000000000000000000000000000"
}

@test "write: negative values go after --, and a hint says so without it" {
	shm create -k 0x16 -s 4 >/dev/null
	run --separate-stderr shm write -k 0x16 -t i16 -- -2 300
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run --separate-stderr shm read -k 0x16 -t i16 -n 2
	assert_output $'-2\n300'
	run --separate-stderr shm write -k 0x16 -t i16 -5
	assert_failure 2
	assert_output ""
	[[ $stderr == *"-5: unknown option"* ]]
	[[ $stderr == *"hint: values that begin with '-' go after '--', as in: shm write -k 0x10 -t i16 -- -2 300"* ]]
}

@test "write -t hex: white space ignored, across arguments too" {
	shm create -k 0x17 -s 8 >/dev/null
	run --separate-stderr shm write -k 0x17 -t hex 'DE ad' $'b\te' 'E F'
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run seg_hex -k 0x17
	assert_output "deadbeef00000000"
	printf 'ca fe\nba\tbe\n\n01' | shm write -k 0x17 -o 3 -t hex
	run seg_hex -k 0x17
	assert_output "deadbecafebabe01"
}

@test "row 17: hex with an odd number of digits or a bad character is exit 2, unchanged" {
	shm create -k 0x18 -s 8 >/dev/null
	run --separate-stderr shm write -k 0x18 -t hex 'ab c'
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--type hex: an odd number of hex digits (3): each byte takes two"* ]]
	run --separate-stderr shm write -k 0x18 -t hex 'ab cx'
	assert_failure 2
	[[ $stderr == *"--type hex: invalid data 'ab cx': 'x' is not a hex digit"* ]]
	run --separate-stderr bash -c "printf 'ab cd e' | '$SHM_BIN' write -k 0x18 -t hex"
	assert_failure 2
	assert_output ""
	[[ $stderr == *"an odd number of hex digits (5) on standard input"*"the segment is unchanged"* ]]
	run --separate-stderr bash -c "printf 'abcd\n0g' | '$SHM_BIN' write -k 0x18 -t hex"
	assert_failure 2
	[[ $stderr == *"invalid data at offset 6 of standard input: 'g' is not a hex digit; the segment is unchanged"* ]]
	run seg_hex -k 0x18
	assert_output "0000000000000000"
}

@test "write: numbers from stdin, white-space separated, across read chunks" {
	shm create -k 0x19 -s 128K >/dev/null
	# 30000 values are 168 KiB of text: words straddle the 64 KiB reads
	seq 1 30000 > nums
	run --separate-stderr bash -c "tr '\n' ' ' < nums | '$SHM_BIN' write -k 0x19 -t u32"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	shm read -k 0x19 -t u32 -n 30000 > out
	cmp nums out
	printf ' -1\n\t2.5e0  -3 ' | shm write -k 0x19 -t f64 -
	run shm read -k 0x19 -t f64 -n 3
	assert_output $'-1\n2.5\n-3'
}

@test "row 17: a bad number on stdin is exit 2, segment unchanged" {
	shm create -k 0x1a -s 8 >/dev/null
	run --separate-stderr bash -c "printf '1 2 300 4' | '$SHM_BIN' write -k 0x1a -t u8"
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--type u8: invalid value '300' (word 3 of standard input; want an integer from 0 to 255); the segment is unchanged"* ]]
	run seg_hex -k 0x1a
	assert_output "0000000000000000"
}

@test "write -z appends a NUL, from arguments and stdin" {
	shm create -k 0x1b -s 8 >/dev/null
	shm write -k 0x1b -t hex ffffffffffffffff
	run --separate-stderr shm write -k 0x1b -z ab c
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run seg_hex -k 0x1b
	assert_output "61626300ffffffff"
	printf 'xy' | shm write -k 0x1b --string -o 4
	run seg_hex -k 0x1b
	assert_output "61626300787900ff"
	run shm read -k 0x1b -o 4 -z
	assert_output "xy"
}

@test "row 16: data too long from arguments: exit 6, says given and room, unchanged" {
	shm create -k 0x1c -s 8 >/dev/null
	shm write -k 0x1c 12345678
	run --separate-stderr shm write -k 0x1c -o 4 abcde
	assert_failure 6
	assert_output ""
	[[ $stderr == *"cannot write 5 bytes at offset 4 of key 0x0000001c (id "*"): only 4 fit (it has 8 bytes); the segment is unchanged"* ]]
	[[ $stderr == *"hint: write at most 4 bytes there, or add --truncate to write what fits"* ]]
	# the NUL of --string counts
	run --separate-stderr shm write -k 0x1c -o 4 -z abcd
	assert_failure 6
	[[ $stderr == *"cannot write 5 bytes (with the NUL of --string) at offset 4"* ]]
	run --separate-stderr shm write -k 0x1c -t u32 1 2 3
	assert_failure 6
	[[ $stderr == *"cannot write 12 bytes at offset 0"* ]]
	run shm read -k 0x1c
	assert_output 12345678
}

@test "row 16: data too long from a pipe: exit 6, unchanged, and it stops reading" {
	shm create -k 0x1d -s 8 >/dev/null
	shm write -k 0x1d 12345678
	run --separate-stderr bash -c "printf 'abcdefghi' | '$SHM_BIN' write -k 0x1d"
	assert_failure 6
	assert_output ""
	[[ $stderr == *"cannot write at least 9 bytes at offset 0 of key 0x0000001d (id "*"): only 8 fit (it has 8 bytes); the segment is unchanged"* ]]
	run --separate-stderr bash -c "printf '1 2 3' | '$SHM_BIN' write -k 0x1d -o 1 -t u32"
	assert_failure 6
	[[ $stderr == *"cannot write at least 8 bytes at offset 1"*"only 7 fit"* ]]
	# an endless input does not fill memory: it ends as soon as it is too much
	run --separate-stderr timeout 20 bash -c "yes | '$SHM_BIN' write -k 0x1d"
	assert_failure 6
	[[ $stderr == *"cannot write at least 9 bytes"* ]]
	run shm read -k 0x1d
	assert_output 12345678
}

@test "row 16: data too long from a regular file: exit 6 with the exact size, unchanged" {
	shm create -k 0x1e -s 1M >/dev/null
	head -c 1M /dev/urandom > r
	shm write -k 0x1e < r
	head -c 1000 /dev/urandom > small
	run --separate-stderr bash -c "'$SHM_BIN' write -k 0x1e -o 1048000 < small"
	assert_failure 6
	assert_output ""
	[[ $stderr == *"cannot write 1000 bytes at offset 1048000 of key 0x0000001e (id "*"): only 576 fit (it has 1048576 bytes); the segment is unchanged"* ]]
	shm read -k 0x1e | cmp r -
}

@test "write --truncate writes what fits and says how much was dropped" {
	shm create -k 0x1f -s 8 >/dev/null
	run --separate-stderr shm write -k 0x1f -o 5 --truncate abcdef
	assert_success
	assert_output ""
	[[ $stderr == "shm write: wrote 3 of 6 bytes: dropped the last 3, which did not fit in the 3 bytes from offset 5 of key 0x0000001f (id "*")" ]]
	run seg_hex -k 0x1f
	assert_output "0000000000616263"
	# from a pipe: read no further than one byte past the room
	run --separate-stderr bash -c "printf '0123456789' | '$SHM_BIN' write -k 0x1f --truncate"
	assert_success
	[[ $stderr == *"wrote 8 of at least 9 bytes: dropped at least 1 byte, which did not fit in the 8 bytes from offset 0 of key 0x0000001f (id "*"); the rest of standard input was not read" ]]
	run shm read -k 0x1f
	assert_output 01234567
	# from a regular file
	printf 'ABCDEFGHIJKL' > f
	run --separate-stderr bash -c "'$SHM_BIN' write -k 0x1f -o 2 --truncate < f"
	assert_success
	[[ $stderr == *"wrote 6 of 12 bytes: dropped the last 6"* ]]
	run shm read -k 0x1f
	assert_output 01ABCDEF
	# whole values only, and --string keeps its NUL
	run --separate-stderr shm write -k 0x1f --truncate -t u16 -z 1 2 3 4
	assert_success
	[[ $stderr == *"wrote 7 of 9 bytes (with the NUL of --string): dropped the last 2"* ]]
	run seg_hex -k 0x1f
	assert_output "0100020003000046"
	# data that fit: no note
	run --separate-stderr shm write -k 0x1f --truncate ok
	assert_success
	assert_equal "$stderr" ""
}

@test "row 15: an offset past the end is exit 6, with offset and size" {
	shm create -k 0x20 -s 8 >/dev/null
	run --separate-stderr shm write -k 0x20 -o 9 a
	assert_failure 6
	assert_output ""
	[[ $stderr == *"cannot write 1 byte at offset 9 of key 0x00000020 (id "*"): past its end (it has 8 bytes)"* ]]
	[[ $stderr == *"hint: offsets run from 0 to 8"* ]]
	run --separate-stderr bash -c "printf a | '$SHM_BIN' write -k 0x20 -o 1K --truncate"
	assert_failure 6
	[[ $stderr == *"cannot write at offset 1024 of key 0x00000020 (id "*"): past its end (it has 8 bytes)"* ]]
	# at the end itself: nothing fits, but nothing is fine
	run --separate-stderr shm write -k 0x20 -o 8 a
	assert_failure 6
	[[ $stderr == *"only 0 fit"* ]]
	run --separate-stderr shm write -k 0x20 -o 8 ''
	assert_success
	assert_equal "$stderr" ""
}

@test "row 17: a malformed offset or type is exit 2 naming the text" {
	shm create -k 0x21 -s 8 >/dev/null
	run --separate-stderr shm write -k 0x21 -o -1 a
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--offset: invalid number '-1'"* ]]
	run --separate-stderr shm write -k 0x21 -o 4x a
	assert_failure 2
	[[ $stderr == *"--offset: invalid number '4x'"* ]]
	run --separate-stderr shm write -k 0x21 -t int a
	assert_failure 2
	[[ $stderr == *"--type: unknown type 'int' (want raw, hex, i8"* ]]
}

@test "write: '-' reads stdin, but only alone" {
	shm create -k 0x22 -s 8 >/dev/null
	run --separate-stderr bash -c "printf 'in' | '$SHM_BIN' write -k 0x22 -"
	assert_success
	run shm read -k 0x22 -n 2
	assert_output in
	run --separate-stderr shm write -k 0x22 a - b
	assert_failure 2
	assert_output ""
	[[ $stderr == *"'-' (standard input) goes alone, not with other DATA arguments"* ]]
}

@test "write: a read error on stdin is exit 1 naming it, segment unchanged" {
	shm create -k 0x23 -s 8 >/dev/null
	shm write -k 0x23 abc
	run --separate-stderr bash -c "'$SHM_BIN' write -k 0x23 < ."
	assert_failure 1
	assert_output ""
	[[ $stderr == "shm write: cannot read standard input: Is a directory; the segment is unchanged" ]]
	run shm read -k 0x23 -n 3
	assert_output abc
}

@test "row 12: write as nobody with read permission only: exit 4 naming the write bit" {
	id=$(shm create -k 0x24 -s 8 -m 0604)
	run --separate-stderr as_nobody "$SHM_BIN" write -k 0x24 x
	assert_failure 4
	assert_output ""
	[[ $stderr == *"cannot attach key 0x00000024 (id $id) for writing: permission denied: owner root, group root, mode 0604 (rw----r--); you are nobody"*"and they lack write"* ]]
	[[ $stderr == *"hint: the owner (root) can allow it: shm chmod 0606 --key 0x00000024"* ]]
	run shm read -k 0x24 -t hex
	assert_output "0000000000000000"
	# with the write bit it works
	shm create -k 0x25 -s 8 -m 0606 >/dev/null
	run --separate-stderr as_nobody "$SHM_BIN" write -k 0x25 x
	assert_success
	assert_equal "$stderr" ""
	run shm read -k 0x25 -n 1
	assert_output x
}

@test "row 18: write with no selector or two selectors is exit 2" {
	run --separate-stderr shm write a
	assert_failure 2
	assert_output ""
	[[ $stderr == *"no segment given: name one with --key, --file, --id or --posix"* ]]
	run --separate-stderr shm write -k 1 -i 2 a
	assert_failure 2
	[[ $stderr == *"--key and --id clash: name exactly one segment"* ]]
	run --separate-stderr shm write --private a
	assert_failure 2
}

@test "row 3: write to a key with no segment is exit 3" {
	run --separate-stderr shm write -k 0x26 a
	assert_failure 3
	assert_output ""
	[[ $stderr == *"no segment has key 0x00000026"* ]]
}

@test "write --help shows the options on stdout" {
	run --separate-stderr shm write --help
	assert_success
	assert_equal "$stderr" ""
	for o in --offset --type --string --truncate --key --file --proj --id; do
		assert_output --partial -- "$o"
	done
}

# The content of segment key $1, as cksum(1) sums it.
seg_cksum() {
	"$SHM_BIN" read -k "$1" --raw | cksum
}

@test "write --truncate of an endless input ends: yes | shm write --truncate" {
	shm create -k 0x27 -s 8 >/dev/null
	# timeout only guards the suite against the defect: it never fires
	run --separate-stderr timeout 60 bash -c "yes | '$SHM_BIN' write -k 0x27 --truncate"
	assert_success
	assert_output ""
	[[ $stderr == "shm write: wrote 8 of at least 9 bytes: dropped at least 1 byte, which did not fit in the 8 bytes from offset 0 of key 0x00000027 (id "*"); the rest of standard input was not read" ]]
	run shm read -k 0x27 -t hex
	assert_output 790a790a790a790a
	# hex and numbers stop at the room too; --string keeps its NUL
	run --separate-stderr timeout 60 bash -c "yes 'ab cd' | '$SHM_BIN' write -k 0x27 -o 4 -t hex --truncate"
	assert_success
	# (text is read in chunks: the bound is what the last chunk made)
	[[ $stderr == *"wrote 4 of at least "*" bytes: dropped at least "*" bytes, which did not fit in the 4 bytes from offset 4"* ]]
	run --separate-stderr timeout 60 bash -c "yes 7 | '$SHM_BIN' write -k 0x27 -t u16 -z --truncate"
	assert_success
	[[ $stderr == *"wrote 7 of at least 11 bytes (with the NUL of --string): dropped at least 4 bytes"* ]]
	run shm read -k 0x27 -t hex
	assert_output 07000700070000cd
}

@test "write reads one byte past the room and no more, from a file" {
	shm create -k 0x28 -s 8 >/dev/null
	head -c 1000 /dev/zero | tr '\0' z >in
	# what shm write leaves unread, cat reads: 1000 - 9
	run --separate-stderr bash -c "{ '$SHM_BIN' write -k 0x28 --truncate; wc -c; } <in"
	assert_success
	assert_output 991
	# the file's size was true: the note gives the exact figures
	[[ $stderr == *"wrote 8 of 1000 bytes: dropped the last 992, which did not fit"* ]]
	run --separate-stderr bash -c "{ '$SHM_BIN' write -k 0x28; echo \$?; wc -c; } <in"
	assert_success
	assert_output $'6\n991'
	[[ $stderr == *"cannot write 1000 bytes at offset 0 of key 0x00000028 (id "*"): only 8 fit"* ]]
	run shm read -k 0x28
	assert_output zzzzzzzz
}

@test "write from files in /sys and /proc, whose size is only a hint" {
	local f=/sys/devices/system/cpu/online
	[ -r "$f" ] || skip "needs $f"
	shm create -k 0x29 -s 64 >/dev/null
	cat "$f" >want
	# the kernel says 4096 bytes, and gives a few
	[ "$(stat -c %s "$f")" -gt "$(stat -c %s want)" ]
	run --separate-stderr shm write -k 0x29 <"$f"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	shm read -k 0x29 -n "$(stat -c %s want)" | cmp - want
	# /proc says 0 bytes
	shm create -k 0x2a -s 64 >/dev/null
	cat /proc/sys/kernel/shmmax >want
	run --separate-stderr shm write -k 0x2a -z </proc/sys/kernel/shmmax
	assert_success
	assert_equal "$stderr" ""
	run shm read -k 0x2a -z
	assert_output "$(cat want)"
	# too long for the room: the size cannot be told, only a bound
	shm create -k 0x2b -s 1 >/dev/null
	run --separate-stderr shm write -k 0x2b --truncate <"$f"
	assert_success
	[[ $stderr == *"wrote 1 of at least 2 bytes: dropped at least 1 byte"* ]]
	run shm read -k 0x2b
	assert_output "$(head -c 1 "$f")"
}

@test "write: a read error at the end of a regular file changes nothing" {
	command -v strace >/dev/null || skip "needs strace"
	# LeakSanitizer cannot run under ptrace
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	shm create -k 0x2c -s 4M >/dev/null
	shm write -k 0x2c -t hex 0123456789abcdef
	head -c 3M /dev/urandom >in
	# the data come in, then the read that would find the end fails
	run --separate-stderr strace -qq -o /dev/null -P "$PWD/in" \
	    -e trace=read -e inject=read:error=EIO:when=2 \
	    "$SHM_BIN" write -k 0x2c <in
	assert_failure 1
	assert_output ""
	[[ $stderr == "shm write: cannot read standard input: Input/output error; the segment is unchanged" ]]
	run bash -c "'$SHM_BIN' read -k 0x2c --raw | tr -d '\\0' | od -An -tx1 | tr -d ' \\n'"
	assert_output 0123456789abcdef
}

# Sends SIGTERM to a write of 512 MiB from a file once it is copying into
# the segment (its signals held, or the segment seen to change), and checks
# that the segment is then wholly old or wholly new.  Today's code reads
# the file straight into the segment: the signal tears it.
@test "SIGTERM during a large write from a file leaves it wholly old or wholly new" {
	local blk0 blk k v comm pid st got old n i caught=0 src dst
	shm create -k 0x2d -s 512M >/dev/null
	head -c 512M /dev/urandom >a
	head -c 512M /dev/urandom >b
	declare -A sum=([a]=$(cksum <a) [b]=$(cksum <b))
	shm write -k 0x2d <a
	src=a
	blk0=$(awk '$1 == "SigBlk:" { print $2 }' /proc/$BASHPID/status)
	for i in 1 2 3 4; do
		[ "$src" = a ] && dst=b || dst=a
		old=$(shm read -k 0x2d -n 16 -t hex)
		"$SHM_BIN" write -k 0x2d <"$dst" &
		pid=$!
		for ((n = 0; n < 20000; n++)); do
			# SIGTERM held by shm itself, not by bash before exec
			while read -r k v; do
				[ "$k" != SigBlk: ] || blk=$v
			done </proc/$pid/status
			read -r comm </proc/$pid/comm
			[ "$comm" = shm ] &&
			    (((16#$blk & ~16#$blk0) & 0x4000)) && break
			[ "$(shm read -k 0x2d -n 16 -t hex)" != "$old" ] && break
		done
		[ "$n" -lt 20000 ]
		kill -TERM "$pid"
		st=0
		wait "$pid" || st=$?
		got=$(seg_cksum 0x2d)
		[ "$got" = "${sum[$src]}" ] || [ "$got" = "${sum[$dst]}" ] ||
		    fail "run $i: status $st, the segment is torn"
		# the copy had begun: it was finished, then the signal acted
		[ "$got" = "${sum[$dst]}" ] ||
		    fail "run $i: status $st, the segment kept its old data"
		[ "$st" -eq 0 ] || [ "$st" -eq 143 ] || fail "run $i: status $st"
		[ "$st" -eq 0 ] || caught=$((caught + 1))
		src=$dst
	done
	# the signal came during the copy at least once
	[ "$caught" -ge 1 ]
}

@test "SIGTERM while write waits for its input ends it, segment unchanged" {
	local id
	id=$(shm create -k 0x2e -s 8)
	shm write -k 0x2e abc
	mkfifo in
	exec 8<>in
	printf 'xyz' >&8
	"$SHM_BIN" write -k 0x2e <in &
	local pid=$! st=0
	wait_nattch "$id" 1
	kill -TERM "$pid"
	wait "$pid" || st=$?
	exec 8>&-
	assert_equal "$st" 143
	run shm read -k 0x2e -n 3
	assert_output abc
}

@test "write from a terminal says how to end the input, and Ctrl-C changes nothing" {
	command -v script >/dev/null || skip "needs script(1)"
	local id
	id=$(shm create -k 0x2f -s 16)
	printf 'hello\n\004' >in
	run timeout 60 script -qec "'$SHM_BIN' write -k 0x2f" /dev/null <in
	assert_success
	assert_output --partial "shm write: reading standard input; end it with Ctrl-D at the start of a line (Ctrl-C leaves the segment unchanged)"
	run shm read -k 0x2f -z
	assert_output hello
	# Ctrl-C while it waits for more: the segment is as it was.  (script
	# runs in the foreground: a background job would ignore SIGINT.)
	mkfifo tty
	exec 8<>tty
	printf 'abc\n' >&8
	{
		wait_nattch "$id" 1
		printf '\003' >&8
	} &
	run timeout 60 script -qec "'$SHM_BIN' write -k 0x2f" /dev/null <tty
	exec 8>&-
	assert_failure 130
	run shm read -k 0x2f -z
	assert_output hello
}
