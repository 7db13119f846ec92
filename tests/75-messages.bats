#!/usr/bin/env bats
# What shm says: whole names and group lists on a small stack, the memory
# figures of ENOMEM, unmapped ids, and hints that name something that works.

load helpers/common

# A group file: the system's, plus 300 groups whose names are 100
# characters long (gids 200000-200299), and one of 200 characters (gid
# 200999).  Sets GIDS (the 300, comma-separated) and NAMES (their names,
# comma-separated, in the order of their gids), and LONG (the 200).
make_groups() {
	local i name
	cp /etc/group "$SHM_TMP/group"
	GIDS='' NAMES=''
	for i in $(seq 0 299); do
		printf -v name 'g%099d' "$i"
		echo "$name:x:$((200000 + i)):" >>"$SHM_TMP/group"
		GIDS+=${GIDS:+,}$((200000 + i))
		NAMES+=${NAMES:+,}$name
	done
	printf -v LONG 'owners-%0193d' 7
	echo "$LONG:x:200999:" >>"$SHM_TMP/group"
	chmod 644 "$SHM_TMP/group"
}

# Runs a command as nobody in the groups of make_groups, with the group file
# in place of /etc/group (in a mount namespace of its own, so the system's
# is untouched), and a stack limit of 256 KiB.
as_grouped_nobody() {
	unshare --mount -- bash -c 'mount --bind "$1" /etc/group &&
	    exec setpriv --reuid=65534 --regid=65534 --groups="$2" -- \
	    bash -c "ulimit -s 256 && exec \"\$@\"" _ "${@:3}"' _ \
	    "$SHM_TMP/group" "$GIDS" "$@"
}

@test "stat with 300 long group names under a 256 KiB stack: no crash, the whole list" {
	make_groups
	shm create -k 0x7501 -s 1 >/dev/null
	run --separate-stderr as_grouped_nobody "$SHM_BIN" stat -k 0x7501
	assert_success
	assert_equal "$stderr" ""
	assert_line "what you, nobody (uid 65534), groups $NOBODY_GROUP,$NAMES, may do:"
}

@test "permission error with 300 long group names under a 256 KiB stack: exit 4, the whole list" {
	make_groups
	shm create -k 0x7502 -s 1 -m 600 >/dev/null
	run --separate-stderr as_grouped_nobody "$SHM_BIN" read -k 0x7502
	assert_failure 4
	assert_output ""
	[[ $stderr == *"you are nobody (uid 65534), groups $NOBODY_GROUP,$NAMES, so the bits for others apply, and they lack read"* ]]
}

@test "stat's reasons hold a 200-character group name whole" {
	make_groups
	shm create -k 0x7503 -s 1 -m 600 >/dev/null
	shm chown :200999 -k 0x7503
	GIDS=$NOBODY_GROUP
	run --separate-stderr as_grouped_nobody "$SHM_BIN" stat -k 0x7503 --json
	assert_success
	assert_equal "$stderr" ""
	assert_line "         \"reason\": \"you are neither the owner and creator root nor in group '$LONG' or 'root', and mode 0600 gives others no access\""
	run --separate-stderr as_grouped_nobody "$SHM_BIN" read -k 0x7503
	assert_failure 4
	[[ $stderr == *"owner root, group $LONG, mode 0600"* ]]
}

@test "row 23: create --size the machine cannot provide: exit 6, the memory figures and what to change" {
	mode=$(cat /proc/sys/vm/overcommit_memory)
	[ "$mode" != 1 ] || skip "vm.overcommit_memory=1 commits any size"
	# Twice RAM, swap and CommitLimit: beyond both the heuristic and the
	# strict rule.
	size=$(awk '/^(MemTotal|SwapTotal|CommitLimit):/ { s += $2 }
	    END { printf "%.0f", s * 2048 }' /proc/meminfo)
	run --separate-stderr shm create -k 0x7523 -s "$size"
	assert_failure 6
	assert_output ""
	[[ $stderr == "shm create: cannot create a segment of $size bytes ("*"): the kernel will not commit that much memory: MemAvailable "*", CommitLimit "*", Committed_AS "*"; vm.overcommit_memory is $mode ("* ]]
	if [ "$mode" = 0 ]; then
		[[ $stderr == *"hint: RAM and swap hold "*": ask for less, add swap, or allow overcommit: sysctl vm.overcommit_memory=1"* ]]
	else
		[[ $stderr == *"hint: "*" committed"*": sysctl vm.overcommit_ratio (now "* ]]
	fi
	[ "$(nsegs)" -eq 0 ]
}

@test "row 24: chown to a uid the user namespace does not map: exit 2, no mapping (not removed)" {
	run --separate-stderr unshare --user --map-root-user --ipc -- bash -c \
	    "'$SHM_BIN' create -k 0x7524 -s 1 >/dev/null && '$SHM_BIN' chown 1000 -k 0x7524"
	assert_failure 2
	assert_output ""
	[[ $stderr == *"shm chown: cannot change the owner of key 0x00007524 (id "*"): uid 1000 has no mapping in this user namespace"* ]]
	[[ $stderr == *"hint: choose a uid that /proc/self/uid_map maps, or map uid 1000 when the user namespace is made (newuidmap)"* ]]
	[[ $stderr != *"removed"* ]]
}

@test "row 24: chown to a gid the user namespace does not map: exit 2, and the owner is unchanged" {
	run --separate-stderr unshare --user --map-root-user --ipc -- bash -c \
	    "'$SHM_BIN' create -k 0x7524 -s 1 >/dev/null &&
	     '$SHM_BIN' chown :1000 -k 0x7524; rc=\$?;
	     '$SHM_BIN' stat -k 0x7524 | grep '^group '; exit \$rc"
	assert_failure 2
	assert_output --regexp "^group +root \(gid 0\)$"
	[[ $stderr == *"gid 1000 has no mapping in this user namespace"* ]]
	[[ $stderr != *"removed"* ]]
}

@test "hint: the owner is never told to ask themselves" {
	as_nobody "$SHM_BIN" create -k 0x7515 -s 1 -m 400 >/dev/null
	run --separate-stderr as_nobody "$SHM_BIN" write -k 0x7515 x
	assert_failure 4
	[[ $stderr == *"hint: as its owner, you can allow it yourself: shm chmod 0600 --key 0x00007515"* ]]
	[[ $stderr != *"ask nobody"* ]]
	[[ $stderr != *"the owner (nobody)"* ]]
}

@test "hint: never 'at most 0' bytes or values" {
	shm create -k 0x7516 -s 4 >/dev/null
	run --separate-stderr shm write -k 0x7516 -o 4 x
	assert_failure 6
	[[ $stderr == *"hint: offset 4 is the end of the segment: write at an offset below 4"* ]]
	[[ $stderr != *"at most 0"* ]]
	run --separate-stderr shm read -k 0x7516 -o 4 -n 1
	assert_failure 6
	[[ $stderr == *"hint: offset 4 is the end of the segment: its last byte is at offset 3"* ]]
	[[ $stderr != *"at most"* ]]
	run --separate-stderr shm read -k 0x7516 -t u32 -o 2 -n 1
	assert_failure 6
	[[ $stderr == *"hint: there are 2 bytes from offset 2, less than one u32 value (4 bytes): the last whole one starts at offset 0"* ]]
	[[ $stderr != *"at most 0"* ]]
	run --separate-stderr shm read -k 0x7516 -t u64 -n 1
	assert_failure 6
	[[ $stderr == *"hint: the segment is smaller than one u64 value (8 bytes): read it as bytes"* ]]
	[[ $stderr != *"at most 0"* ]]
}

@test "messages: 1 byte, 1 page, 1 segment (never '1 bytes', '1 pages')" {
	shm create -k 0x7517 -s 1 >/dev/null
	run --separate-stderr shm write -k 0x7517 ab
	assert_failure 6
	[[ $stderr == *"only 1 fit (it has 1 byte); the segment is unchanged"* ]]
	[[ $stderr == *"hint: write at most 1 byte there"* ]]
	run --separate-stderr shm read -k 0x7517 -o 1 -n 1
	assert_failure 6
	[[ $stderr == *"past its end (it has 1 byte)"* ]]
	run --separate-stderr shm create -k 0x7517 -s 2
	assert_failure 6
	[[ $stderr == *"has 1 byte, less than the 2 asked"* ]]
	[[ $stderr == *"hint: ask for at most 1 byte, or remove it first"* ]]
	run --separate-stderr shm create -k 0x7517 -s 1 -x
	assert_failure 5
	[[ $stderr == *"already exists: 1 byte, owner root"* ]]
	run --separate-stderr in_new_ns bash -c "sysctl -qw kernel.shmall=1 &&
	    '$SHM_BIN' create --private -s 1 >/dev/null && '$SHM_BIN' create -k 0x7517 -s 1"
	assert_failure 6
	[[ $stderr == *"shared memory used up: 4096 bytes in use of SHMALL 4096 bytes (1 page of 4096 bytes); the new segment needs 1 page"* ]]
	run --separate-stderr in_new_ns bash -c "sysctl -qw kernel.shmmni=1 &&
	    '$SHM_BIN' create --private -s 1 >/dev/null && '$SHM_BIN' create -k 0x7517 -s 1"
	assert_failure 6
	[[ $stderr == *"no segment ids left: 1 segment in use of SHMMNI 1"* ]]
	run --separate-stderr in_new_ns bash -c "sysctl -qw kernel.shmmax=1 &&
	    '$SHM_BIN' create -k 0x7517 -s 2"
	assert_failure 6
	[[ $stderr == *"cannot create a segment of 2 bytes: larger than SHMMAX, 1 byte"* ]]
	run --separate-stderr in_new_ns bash -c "sysctl -qw kernel.shmmax=1 \
	    kernel.shmall=1 kernel.shmmni=1 && '$SHM_BIN' limits"
	assert_success
	assert_line "SHMMAX          1 byte (1B), the largest segment"
	assert_line "SHMMNI          1 segment, at most"
	assert_line "SHMALL          1 page (4096 bytes), in all"
	[[ $output$stderr != *" 1 bytes"* && $output$stderr != *" 1 pages"* ]]
}

@test "hint: with SHMMNI 0, a number that would work, never kernel.shmmni=0" {
	run --separate-stderr in_new_ns bash -c "sysctl -qw kernel.shmmni=0 &&
	    '$SHM_BIN' create -k 0x7518 -s 1"
	assert_failure 6
	[[ $stderr == *"no segment ids left: 0 segments in use of SHMMNI 0"* ]]
	[[ $stderr == *"hint: raise the limit: sysctl kernel.shmmni=1"* ]]
	[[ $stderr != *"kernel.shmmni=0"* ]]
}

@test "hint: the shmall figure is exactly the pages in use plus the pages asked" {
	run --separate-stderr in_new_ns bash -c "sysctl -qw kernel.shmall=4 &&
	    '$SHM_BIN' create --private -s 8K >/dev/null &&
	    '$SHM_BIN' create -k 0x7519 -s 12K"
	assert_failure 6
	# 2 pages in use, 3 asked.
	[[ $stderr == *"hint: or raise the limit: sysctl kernel.shmall=5"* ]]
	# And it works: 5, not one page less.
	run --separate-stderr in_new_ns bash -c "sysctl -qw kernel.shmall=4 &&
	    '$SHM_BIN' create --private -s 8K >/dev/null &&
	    sysctl -qw kernel.shmall=5 && '$SHM_BIN' create -k 0x7519 -s 12K >/dev/null &&
	    sysctl -qw kernel.shmall=4 && '$SHM_BIN' create -k 0x751a -s 12K"
	assert_failure 6
	[[ $stderr == *"sysctl kernel.shmall=8"* ]]
}

@test "hint: one that removes segments names --dry-run first" {
	for lim in "kernel.shmmni=1 -s 1" "kernel.shmall=1 -s 1"; do
		run --separate-stderr in_new_ns bash -c "sysctl -qw ${lim% -s*} &&
		    '$SHM_BIN' create --private -s 1 >/dev/null &&
		    '$SHM_BIN' create -k 0x7520 ${lim#* }"
		assert_failure 6
		[[ $stderr == *"are unused with 'shm rm --orphaned --dry-run', then remove those with 'shm rm --orphaned'"* ]]
		# no removal is offered before the dry run
		before=${stderr%%--dry-run*}
		[[ ${before%shm rm --orphaned } != *"shm rm"* ]]
	done
}

@test "hint: a quoted path is never cut (a quoted path of over 5000 characters)" {
	local dir=$SHM_TMP part i
	# Components of 200 characters, half of them quotes: the path is
	# over 2400 characters, and over 6000 once quoted for a shell.
	part=$(printf "%.0s''a " $(seq 50))
	for i in $(seq 12); do
		dir+=/$part
	done
	mkdir -p "$dir"
	touch "$dir/f"
	quoted=\'${dir//\'/\'\\\'\'}/f\'
	[ "${#quoted}" -gt 5000 ]
	run --separate-stderr shm read -f "$dir/f"
	assert_failure 3
	[[ $stderr == *"hint: create it: shm create --file $quoted --size SIZE"* ]]
	rm "$dir/f"
	run --separate-stderr shm read -f "$dir/f"
	assert_failure 3
	[[ $stderr == *"hint: create it first (touch $quoted), or name the segment with --key"* ]]
	touch "$dir/f"
	shm create -f "$dir/f" -s 1 -m 600 >/dev/null
	run --separate-stderr as_nobody "$SHM_BIN" read -f "$dir/f"
	assert_failure 4
	[[ $stderr == *"hint: the owner (root) can allow it: shm chmod 0604 --file $quoted"* ]]
	[[ $stderr == *"hint: or ask root to give you the segment: shm chown nobody --file $quoted"* ]]
}
