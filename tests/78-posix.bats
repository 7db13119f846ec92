#!/usr/bin/env bats
# POSIX shared memory objects (-P, --posix): files of /dev/shm made with
# shm_open(3), shared with Python's multiprocessing.shared_memory and with
# a C program of their own.  /dev/shm is the machine's: every object has a
# name of this test's own, and teardown removes them all.  Tests that need
# a small tmpfs mount one in a mount namespace of their own.

load helpers/common

setup_file() {
	cc -o "$BATS_FILE_TMPDIR/posix-obj" "$TESTS_DIR/helpers/posix-obj.c"
	chmod 755 "$BATS_FILE_TMPDIR" "$BATS_FILE_TMPDIR/posix-obj"
}

setup() {
	common_setup
	cp "$BATS_FILE_TMPDIR/posix-obj" "$SHM_TMP/posix-obj"
	# the names of this test's objects: N, and $N.a, $N.b...
	N=shmtest.${SHM_TMP##*.}
	bg=()
}

teardown() {
	[ ${#bg[@]} -eq 0 ] || kill "${bg[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -f "/dev/shm/$N" "/dev/shm/$N".*
	common_teardown
}

cobj() {
	"$SHM_TMP/posix-obj" "$@"
}

# Python's multiprocessing.shared_memory, the system's python (not a
# pyenv one), kept from unlinking the object at exit.
py() {
	/usr/bin/python3 -c "
import sys
from multiprocessing import shared_memory, resource_tracker
$1
resource_tracker.unregister(m._name, 'shared_memory')
m.close()
" "${@:2}"
}

# Holds object $1 mapped in a process of its own until release_obj.
hold_obj() {
	mkfifo "$SHM_TMP/go"
	"$SHM_TMP/posix-obj" hold "$1" "$SHM_TMP/go" >"$SHM_TMP/held" \
	    2>&1 3>&- &
	bg+=($!)
	wait_until '[ -s "$SHM_TMP/held" ]'
}

release_obj() {
	echo go >"$SHM_TMP/go"
	wait "${bg[@]}"
	bg=()
}

@test "create -P prints /NAME; stat(1) sees its size and mode in /dev/shm" {
	run --separate-stderr shm create -P "$N" -s 10000 -m 640
	assert_success
	assert_output "/$N"
	[ -z "$stderr" ]
	[ "$(stat -c '%s %a %U' "/dev/shm/$N")" = "10000 640 root" ]
	# the space is reserved at once: tmpfs counts the pages
	[ "$(stat -c %b "/dev/shm/$N")" -ge 16 ]
}

@test "create -P: with or without the leading /, the same object; --json names it" {
	shm create -P "/$N" -s 4096
	run --separate-stderr shm create -P "$N" --json
	assert_success
	assert_output "{\"name\":\"/$N\",\"size\":4096,\"mode\":\"0600\",\"created\":false}"
}

@test "create -P: mode as asked whatever the umask" {
	(umask 077 && shm create -P "$N" -s 1 -m 666)
	[ "$(stat -c %a "/dev/shm/$N")" = "666" ]
}

@test "create -P larger than the existing object: exit 6 with both sizes" {
	shm create -P "$N" -s 4096
	run --separate-stderr shm create -P "$N" -s 8192
	assert_failure 6
	[ "$stderr" = "shm create: POSIX object /$N has 4096 bytes, less than the 8192 asked
hint: ask for at most 4096 bytes, or remove it first: shm rm --posix $N" ]
}

@test "create -P -x of an existing object: exit 5 with its size, owner and mode (row 30)" {
	shm create -P "$N" -s 4096 -m 604
	run --separate-stderr shm create -P "$N" -s 1 -x
	assert_failure 5
	assert_output ""
	[[ "$stderr" == "shm create: POSIX object /$N already exists: 4096 bytes, owner root, mode 0604"* ]]
}

@test "--posix: a name with a / inside, empty, or over 255 bytes is exit 2 (row 29)" {
	local long
	long=$(printf 'x%.0s' $(seq 256))
	for bad in "a/b" "/a/b" "" "/" "$long" "/.."; do
		run --separate-stderr shm create -P "$bad" -s 1
		assert_failure 2
		assert_output ""
		[[ "$stderr" == "shm create: --posix: invalid object name '"* ]]
		[[ "$stderr" == *"(want /NAME or NAME, 1 to 255 bytes, no other '/')"* ]]
	done
	run --separate-stderr shm read -P "$long"
	assert_failure 2
	[[ "$stderr" == *"a name has at most 255 bytes"* ]]
	# 255 bytes is a name
	run --separate-stderr shm stat -P "${long:1}"
	assert_failure 3
}

@test "key does not take --posix" {
	run --separate-stderr shm key -P "$N"
	assert_failure 2
}

@test "-P and --key clash" {
	run --separate-stderr shm read -P "$N" -k 0x10
	assert_failure 2
	[[ "$stderr" == "shm read: --posix and --key clash: name exactly one segment"* ]]
}

@test "read -P of a missing object: exit 3 naming it (row 30)" {
	run --separate-stderr shm read -P "$N"
	assert_failure 3
	assert_output ""
	[ "$stderr" = "shm read: no POSIX object /$N: /dev/shm/$N does not exist
hint: create it: shm create --posix $N --size SIZE" ]
	run --separate-stderr shm stat -P "$N"
	assert_failure 3
	[[ "$stderr" == *"hint: list the objects that exist: shm ls --posix" ]]
}

@test "write -P then read -P: values, offsets, hexdump" {
	shm create -P "$N" -s 64
	shm write -P "$N" -o 8 -t i32 -- 3 -7
	run --separate-stderr shm read -P "$N" -o 8 -t i32 -n 2
	assert_success
	assert_output "3
-7"
	run shm write -P "$N" -o 60 hello
	assert_failure 6
	# all or nothing: nothing of hello went in
	run shm read -P "$N" -o 60 -t hex
	assert_output "00000000"
}

@test "Python's shared_memory makes an object; shm reads and writes it" {
	py 'm = shared_memory.SharedMemory(name=sys.argv[1], create=True, size=4096); m.buf[:5] = b"hello"' "$N"
	run --separate-stderr shm read -P "/$N" -n 5
	assert_success
	assert_output "hello"
	shm write -P "$N" -o 5 ", world"
	run py 'm = shared_memory.SharedMemory(name=sys.argv[1]); print(bytes(m.buf[:12]).decode())' "$N"
	assert_success
	assert_output "hello, world"
}

@test "shm makes an object; Python's shared_memory reads it" {
	shm create -P "$N" -s 4096
	shm write -P "$N" -t u32 -- 4242
	run py 'm = shared_memory.SharedMemory(name="/" + sys.argv[1]); print(m.size >= 4096, int.from_bytes(m.buf[:4], sys.byteorder))' "$N"
	assert_success
	assert_output "True 4242"
}

@test "a C program with shm_open and mmap, both ways" {
	cobj create "/$N" 4096 0640 "from C"
	run --separate-stderr shm read -P "$N" -n 6
	assert_success
	assert_output "from C"
	shm write -P "$N" "from shm"
	run cobj read "/$N" 8
	assert_output "from shm"
	[ "$(stat -c '%s %a' "/dev/shm/$N")" = "4096 640" ]
}

@test "read -P of a sparse object reads zeros and allocates nothing" {
	cobj sparse "/$N" 1048576
	[ "$(stat -c %b "/dev/shm/$N")" = 0 ]
	run bash -c '"$1" read -P "$2" | od -An -v -tx1 | sort -u' _ "$SHM_BIN" "$N"
	assert_success
	assert_output --regexp '^ 00( 00)*$'
	"$SHM_BIN" read -P "$N" -t hex >/dev/null
	"$SHM_BIN" read -P "$N" -x >/dev/null
	[ "$(stat -c %b "/dev/shm/$N")" = 0 ]
	[ "$(du -k "/dev/shm/$N" | cut -f1)" = 0 ]
}

@test "read -P into a pipe is a snapshot: a later write does not show" {
	shm create -P "$N" -s 4096
	shm write -P "$N" AAAA
	{
		"$SHM_BIN" read -P "$N" -n 4
		"$SHM_BIN" write -P "$N" BBBB
		touch "$SHM_TMP/written"
	} | {
		wait_until '[ -e "$SHM_TMP/written" ]'
		cat >"$SHM_TMP/out"
	}
	[ "$(cat "$SHM_TMP/out")" = "AAAA" ]
}

@test "create -P larger than the tmpfs: exit 6 with its size and free bytes, nothing left (row 31)" {
	run --separate-stderr unshare --mount --propagation private -- sh -c '
		mount -t tmpfs -o size=64k none /dev/shm || exit 99
		"$1" create -P "$2" -s 1M
		rc=$?
		ls -A /dev/shm
		exit $rc' _ "$SHM_BIN" "$N"
	assert_failure 6
	assert_output ""
	[ "$stderr" = "shm create: cannot create POSIX object /$N: /dev/shm cannot hold 1048576 bytes: the tmpfs has 65536 bytes, 65536 free
hint: remove objects no longer used (shm ls --posix), or give the tmpfs more room: mount -o remount,size=1048576 /dev/shm" ]
}

@test "write -P into a sparse object the tmpfs cannot hold: exit 6, no SIGBUS, object unchanged (row 31)" {
	run --separate-stderr unshare --mount --propagation private -- sh -c '
		mount -t tmpfs -o size=64k none /dev/shm || exit 99
		"$3" sparse "/$2" 1048576 || exit 98
		head -c 200000 /dev/zero | tr "\0" a | "$1" write -P "$2"
		rc=$?
		echo "blocks $(stat -c %b "/dev/shm/$2")"
		"$1" read -P "$2" | tr -d "\0" | wc -c
		exit $rc' _ "$SHM_BIN" "$N" "$SHM_TMP/posix-obj"
	assert_failure 6
	assert_output "blocks 0
0"
	[ "$stderr" = "shm write: cannot write 200000 bytes at offset 0 of POSIX object /$N: /dev/shm cannot hold 200000 bytes: the tmpfs has 65536 bytes, 65536 free
hint: remove objects no longer used (shm ls --posix), or give the tmpfs more room: mount -o remount,size=200000 /dev/shm" ]
}

@test "add -P into a sparse object the tmpfs cannot hold: exit 6, no SIGBUS" {
	run --separate-stderr unshare --mount --propagation private -- sh -c '
		mount -t tmpfs -o size=8k none /dev/shm || exit 99
		"$3" sparse "/$2" 1048576 || exit 98
		"$3" sparse "/$2.fill" 8192 || exit 98
		"$1" write -P "$2.fill" -o 4096 xxxx || exit 97
		"$1" write -P "$2.fill" xxxx || exit 97
		"$1" add -P "$2" -o 65536 -t u32 1' _ "$SHM_BIN" "$N" "$SHM_TMP/posix-obj"
	assert_failure 6
	[[ "$stderr" == "shm add: cannot write 4 bytes at offset 65536 of POSIX object /$N: /dev/shm cannot hold 4 bytes"* ]]
}

@test "as nobody: reading a 0600 object of root is exit 4 with owner, group, mode and the bit (row 30)" {
	shm create -P "$N" -s 4096
	run --separate-stderr as_nobody "$SHM_BIN" read -P "$N"
	assert_failure 4
	assert_output ""
	[[ "$stderr" == "shm read: cannot attach POSIX object /$N for reading: permission denied: owner root, group root, mode 0600 (rw-------); you are nobody (uid 65534), groups $NOBODY_GROUP, so the bits for others apply, and they lack read"* ]]
}

@test "as nobody: a 0644 object reads but does not write" {
	shm create -P "$N" -s 4096 -m 644
	shm write -P "$N" hi
	run --separate-stderr as_nobody "$SHM_BIN" read -P "$N" -n 2
	assert_success
	assert_output "hi"
	run --separate-stderr as_nobody "$SHM_BIN" write -P "$N" no
	assert_failure 4
	[[ "$stderr" == *"for writing: permission denied"*"they lack write"* ]]
	run --separate-stderr as_nobody "$SHM_BIN" rm -P "$N"
	assert_failure 4
	[[ "$stderr" == "shm rm: cannot remove POSIX object /$N: operation not permitted"* ]]
	run --separate-stderr as_nobody "$SHM_BIN" chmod 666 -P "$N"
	assert_failure 4
	[ "$(stat -c %a "/dev/shm/$N")" = "644" ]
}

@test "as nobody: stat -P says what the caller may do" {
	shm create -P "$N" -s 4096 -m 640
	run --separate-stderr as_nobody "$SHM_BIN" stat -P "$N" --json
	assert_success
	run /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["name"], d["access"]["read"]["allowed"], d["access"]["remove"]["allowed"], "id" in d, "key" in d)' "$output"
	assert_output "/$N False False False False"
}

@test "chmod -P and chown -P: stat(1) sees the change" {
	shm create -P "$N" -s 4096
	shm chmod 0604 -P "$N"
	shm chown nobody:"$NOBODY_GROUP" -P "$N"
	[ "$(stat -c '%a %U %G' "/dev/shm/$N")" = "604 nobody $NOBODY_GROUP" ]
	# the owner may chmod an object it cannot read
	shm chmod 0 -P "$N"
	run --separate-stderr as_nobody "$SHM_BIN" chmod 600 -P "$N"
	assert_success
	[ "$(stat -c %a "/dev/shm/$N")" = "600" ]
}

@test "chmod -P does not follow a symbolic link in /dev/shm" {
	touch "$SHM_TMP/target"
	chmod 600 "$SHM_TMP/target"
	ln -s "$SHM_TMP/target" "/dev/shm/$N"
	run --separate-stderr shm chmod 666 -P "$N"
	assert_failure
	[ "$(stat -c %a "$SHM_TMP/target")" = "600" ]
}

@test "stat -P: owner, mode, size, and the processes that map it" {
	cobj create "/$N" 8192 0640
	hold_obj "/$N"
	run --separate-stderr shm stat -P "$N"
	assert_success
	assert_line "name        /$N"
	assert_line "size        8192 bytes (8K)"
	assert_line "mode        0640 (rw-r-----)"
	assert_line "processes   1"
	assert_line "processes that map it or hold it open:"
	assert_line --regexp "^ *${bg[0]} .*posix-obj hold /$N "
	run --separate-stderr shm stat -P "$N" --json
	assert_success
	run /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["nprocs"], d["size"], d["mode"], [(p["maps"] > 0) for p in d["attached"]])' "$output"
	assert_output "1 8192 0640 [True]"
	release_obj
}

@test "ls --posix: NAME OWNER PERMS SIZE NPROCS MTIME; raw, json, -o" {
	shm create -P "$N" -s 2048 -m 604
	run --separate-stderr shm ls --posix --raw -b
	assert_success
	assert_line --index 0 "NAME OWNER PERMS SIZE NPROCS MTIME"
	assert_line --regexp "^/$N root rw----r-- 2048 0 [0-9T:-]+$"
	run --separate-stderr shm ls --posix --json -o name,mode,size
	assert_success
	[[ "$output" == "{"*'"objects": ['* ]]
	run /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print([o for o in d["objects"] if o["name"] == "/" + sys.argv[2]])' "$output" "$N"
	assert_output "[{'name': '/$N', 'mode': '0604', 'size': 2048}]"
	run --separate-stderr shm ls --posix -o +KEY
	assert_failure 2
	[[ "$stderr" == "shm ls: --output: column 'KEY' is not one of POSIX objects (theirs: "* ]]
	run --separate-stderr shm ls -o NAME
	assert_failure 2
}

@test "ls --posix leaves out the lock files of shm lock and sem_open's semaphores" {
	shm create -P "$N" -s 64
	touch "/dev/shm/sem.$N"
	shm lock -P "$N" -- sh -c '"$1" ls --posix --raw -n -o name >"$2"' _ "$SHM_BIN" "$SHM_TMP/list"
	rm -f "/dev/shm/sem.$N"
	run grep -c "$N" "$SHM_TMP/list"
	assert_output 1
	run grep -c "shm-lock\|sem\.$N" "$SHM_TMP/list"
	assert_output 0
}

@test "rm -P removes it, and says when a process still maps it" {
	shm create -P "$N" -s 4096
	shm create -P "$N.b" -s 4096
	hold_obj "/$N"
	run --separate-stderr shm rm -P "$N" -P "/$N.b"
	assert_success
	assert_output ""
	[ "$stderr" = "shm rm: POSIX object /$N is still used by 1 process: its memory goes when the last one unmaps and closes it; the name is free now" ]
	[ ! -e "/dev/shm/$N" ] && [ ! -e "/dev/shm/$N.b" ]
	release_obj
	run --separate-stderr shm rm -P "$N"
	assert_failure 3
}

@test "rm -P --dry-run prints /NAME and removes nothing" {
	shm create -P "$N" -s 64
	run --separate-stderr shm rm --dry-run -P "$N"
	assert_success
	assert_output "/$N"
	[ -e "/dev/shm/$N" ]
}

@test "fork-demo -P: parent and child each shm_open it; nothing left" {
	run --separate-stderr shm fork-demo -P "$N"
	assert_success
	assert_line --regexp "^parent [0-9]+: created a new POSIX object /$N: [0-9]+ bytes, mode 0600$"
	assert_line --regexp "^child [0-9]+: shm_open\('/$N'\) here too: mapped it itself$"
	assert_line --regexp "^child [0-9]+: read 3 at offset 0$"
	[ ! -e "/dev/shm/$N" ]
}

@test "fork-demo -P: an existing object is refused unless --reuse" {
	shm create -P "$N" -s 4096
	run --separate-stderr shm fork-demo -P "$N"
	assert_failure 5
	[[ "$stderr" == "shm fork-demo: POSIX object /$N already exists"* ]]
	run --separate-stderr shm fork-demo -P "$N" --reuse -q
	assert_success
	[ -e "/dev/shm/$N" ]
	run shm read -P "$N" -t i32 -n 1
	assert_output 3
}

@test "add -P and cas -P on an object; wait -P --value sees them" {
	shm create -P "$N" -s 64
	run --separate-stderr shm add -P "$N" -o 8 -t u64 5
	assert_success
	assert_output 5
	run --separate-stderr shm cas -P "$N" -o 8 -t u64 5 7
	assert_success
	run --separate-stderr shm wait -P "$N" -o 8 -t u64 --value=7 --timeout=0
	assert_success
	assert_output 7
	"$SHM_BIN" wait -P "$N" -o 16 -t u32 --value='>=2' --timeout=60 \
	    >"$SHM_TMP/w" 2>&1 3>&- &
	bg+=($!)
	shm add -P "$N" -o 16 -t u32 2
	wait "${bg[@]}"
	bg=()
	[ "$(cat "$SHM_TMP/w")" = 2 ]
}

@test "wait -P: --exists, --gone, --attached and --detached" {
	run --separate-stderr shm wait -P "$N" --exists --timeout=0
	assert_failure 7
	shm create -P "$N" -s 64
	shm wait -P "$N" --exists --timeout=0
	shm wait -P "$N" --detached --timeout=0
	hold_obj "/$N"
	shm wait -P "$N" --attached --timeout=0
	release_obj
	shm wait -P "$N" --detached --timeout=60
	shm rm -P "$N"
	shm wait -P "$N" --gone --timeout=0
}

@test "lock -P: the lock file names the object by device and inode, and goes" {
	shm create -P "$N" -s 64
	dev=$(stat -c %d "/dev/shm/$N")
	ino=$(stat -c %i "/dev/shm/$N")
	ns=$(stat -L -c %i /proc/self/ns/ipc)
	run --separate-stderr shm lock -P "$N" -- sh -c 'ls -A /dev/shm | grep -c "^\.shm-lock\.$1\.posix\.$2\.$3$"' _ "$ns" "$dev" "$ino"
	assert_success
	assert_output 1
	[ ! -e "/dev/shm/.shm-lock.$ns.posix.$dev.$ino" ]
}
