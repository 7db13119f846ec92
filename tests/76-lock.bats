#!/usr/bin/env bats
# shm lock: a command run under the segment's lock, as flock(1).  No test
# asserts a time: holders are told when to let go through a FIFO, and
# "is it held?" is asked with --timeout=0.

load helpers/common

setup() {
	common_setup
	bg=()
	lockfiles=()
}

teardown() {
	local f
	[ ${#bg[@]} -eq 0 ] || kill "${bg[@]}" 2>/dev/null || true
	# The commands that held the lock, should a test have failed early.
	for f in "$SHM_TMP"/*.in; do
		[ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null
	done
	wait 2>/dev/null || true
	[ ${#lockfiles[@]} -eq 0 ] || rm -rf "${lockfiles[@]}"
	# A holder killed with shm lock leaves its (empty) file.
	rm -f "/dev/shm/.shm-lock.$(stat -L -c %i /proc/self/ns/ipc)."*
	common_teardown
}

# The lock file of segment id $1 in this IPC namespace.
lockfile() {
	echo "/dev/shm/.shm-lock.$(stat -L -c %i /proc/self/ns/ipc).$1"
}

# hold_lock NAME SHM-LOCK-ARGS...: runs 'shm lock ARGS -- COMMAND' in the
# background, COMMAND saying it runs (NAME.in) and then holding on until
# NAME.fifo is written; sets PID.  Waits until COMMAND runs.
hold_lock() {
	local name=$1 i
	shift
	mkfifo "$name.fifo"
	"$SHM_BIN" lock "$@" -- sh -c "echo \$\$ >$name.in; read x <$name.fifo" \
	    </dev/null 3>&- &
	PID=$!
	bg+=($!)
	for i in $(seq 400); do
		[ -s "$name.in" ] && return 0
		sleep 0.05
	done
	echo "the holder $name never ran" >&2
	return 1
}

# Lets the holder NAME go, and waits for it.
let_go() {
	echo >"$1.fifo"
	wait "$PID"
}

# Waits until 'shm lock ARGS' can take the lock at once.
until_free() {
	local i
	for i in $(seq 400); do
		shm lock "$@" --timeout=0 -- true 2>/dev/null && return 0
		sleep 0.05
	done
	echo "the lock stays held" >&2
	return 1
}

@test "lock: runs COMMAND and exits with its status" {
	shm create -k 0x7600 -s 8 >/dev/null
	run --separate-stderr shm lock -k 0x7600 -- sh -c 'echo inside; exit 3'
	assert_failure 3
	assert_output inside
	assert_equal "$stderr" ""
	run shm lock -k 0x7600 true
	assert_success
	run shm lock -k 0x7600 -- sh -c 'kill -TERM $$'
	assert_failure 143
	run -127 --separate-stderr shm lock -k 0x7600 -- ./no-such-command
	assert_failure 127
	[[ $stderr == *"cannot run './no-such-command'"* ]]
	# COMMAND's options are its own, with or without --.
	run shm lock -k 0x7600 echo -k x
	assert_output "-k x"
}

@test "lock: 30 read-modify-write scripts under shm lock give exactly 30" {
	local i
	shm create -k 0x7601 -s 8 >/dev/null
	for i in $(seq 30); do
		shm lock -k 0x7601 -- sh -c '
			n=$("$0" read -k 0x7601 -t u32)
			"$0" write -k 0x7601 -t u32 $((n + 1))' "$SHM_BIN" &
	done
	wait
	run shm read -k 0x7601 -t u32
	assert_output 30
}

@test "lock: shared holders share, an exclusive one excludes" {
	shm create -k 0x7602 -s 8 >/dev/null
	hold_lock r -k 0x7602 --shared
	run shm lock -k 0x7602 --shared --timeout=0 -- echo reader
	assert_success
	assert_output reader
	run --separate-stderr shm lock -k 0x7602 --timeout=0 -- echo writer
	assert_failure 7
	assert_output ""
	[[ $stderr == "shm lock: timed out after 0s waiting for the exclusive lock of key 0x00007602 (id "*"): it is held"* ]]
	let_go r
	hold_lock w -k 0x7602
	run --separate-stderr shm lock -k 0x7602 --shared --timeout=0.05 -- echo reader
	assert_failure 7
	assert_output ""
	let_go w
	run shm lock -k 0x7602 --timeout=0 -- echo writer
	assert_success
}

@test "lock: holders that name the segment by key, by id and by file exclude each other" {
	local id key
	touch keyfile
	key=$(shm key keyfile)
	id=$(shm create -k "$key" -s 8)
	hold_lock k -k "$key"
	run shm lock -i "$id" --timeout=0 -- true
	assert_failure 7
	run shm lock -f keyfile --timeout=0 -- true
	assert_failure 7
	let_go k
	hold_lock i -i "$id"
	run shm lock -k "$key" --timeout=0 -- true
	assert_failure 7
	let_go i
}

@test "lock: it holds while COMMAND runs even when shm is killed" {
	shm create -k 0x7604 -s 8 >/dev/null
	hold_lock h -k 0x7604
	kill -KILL "$PID"
	wait "$PID" 2>/dev/null || true
	run shm lock -k 0x7604 --timeout=0 -- true
	assert_failure 7
	echo >h.fifo
	until_free -k 0x7604
}

@test "lock: SIGKILL of the holder's process group frees it" {
	local pgid
	shm create -k 0x7605 -s 8 >/dev/null
	mkfifo never
	setsid "$SHM_BIN" lock -k 0x7605 -- sh -c 'echo $$ >h.in; read x <never' \
	    </dev/null 3>&- &
	bg+=($!)
	for i in $(seq 400); do
		[ -s h.in ] && break
		sleep 0.05
	done
	pgid=$(ps -o pgid= -p "$(cat h.in)" | tr -d ' ')
	run shm lock -k 0x7605 --timeout=0 -- true
	assert_failure 7
	kill -KILL -- "-$pgid"
	until_free -k 0x7605
}

@test "row 33: lock --timeout runs nothing and is exit 7" {
	shm create -k 0x7606 -s 8 >/dev/null
	hold_lock h -k 0x7606
	run --separate-stderr shm lock -k 0x7606 --timeout=0.1 -- touch ran
	assert_failure 7
	[[ $stderr == *"timed out after 100ms waiting for the exclusive lock of key 0x00007606"* ]]
	[ ! -e ran ]
	let_go h
}

@test "lock: creates no SysV object and leaves no lock file behind" {
	local id before_sem before_shm
	id=$(shm create -k 0x7607 -s 8)
	before_sem=$(cat /proc/sysvipc/sem)
	before_shm=$(nsegs)
	run shm lock -k 0x7607 -- true
	assert_success
	hold_lock h -k 0x7607 --shared
	assert_equal "$(cat /proc/sysvipc/sem)" "$before_sem"
	assert_equal "$(nsegs)" "$before_shm"
	[ -f "$(lockfile "$id")" ]
	let_go h
	[ ! -e "$(lockfile "$id")" ]
}

@test "lock: needs write permission, or read for --shared (exit 4)" {
	shm create -k 0x7608 -s 8 -m 644 >/dev/null
	run --separate-stderr as_nobody "$SHM_BIN" lock -k 0x7608 -- touch ran
	assert_failure 4
	[[ $stderr == *"permission denied: owner root"*"they lack write"* ]]
	[ ! -e ran ]
	run --separate-stderr as_nobody "$SHM_BIN" lock -k 0x7608 --shared -- echo ok
	assert_success
	assert_output ok
	shm chmod 600 -k 0x7608
	run --separate-stderr as_nobody "$SHM_BIN" lock -k 0x7608 --shared -- true
	assert_failure 4
	run --separate-stderr shm lock -k 0x7699 -- true
	assert_failure 3
	run --separate-stderr shm lock -k 0x7608
	assert_failure 2
	[[ $stderr == *"no COMMAND given"* ]]
}

@test "lock: a symbolic link in place of the lock file is refused, its target untouched" {
	local id f
	id=$(shm create -k 0x7609 -s 8)
	f=$(lockfile "$id")
	lockfiles+=("$f")
	echo precious >target
	ln -s "$SHM_TMP/target" "$f"
	run --separate-stderr shm lock -k 0x7609 -- touch ran
	assert_failure 1
	[[ $stderr == *"is a symbolic link, not a lock file"* ]]
	[ ! -e ran ]
	assert_equal "$(cat target)" precious
}

@test "lock: a FIFO, or a file of a user who may not write the segment, is refused" {
	local id f
	id=$(shm create -k 0x760a -s 8 -m 600)
	f=$(lockfile "$id")
	lockfiles+=("$f")
	mkfifo "$f"
	run --separate-stderr shm lock -k 0x760a -- touch ran
	assert_failure 1
	[[ $stderr == *"is not a plain lock file"* ]]
	rm "$f"
	as_nobody touch "$f"
	run --separate-stderr shm lock -k 0x760a -- touch ran
	assert_failure 1
	[[ $stderr == *"belongs to nobody (uid 65534), who may not write the segment"* ]]
	[ ! -e ran ]
	# Once nobody may write the segment, its file is as good as ours.
	shm chmod 606 -k 0x760a
	run shm lock -k 0x760a -- echo ok
	assert_success
}
