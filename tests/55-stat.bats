#!/usr/bin/env bats
# shm stat: every field, what the caller may do and why, who is attached.

load helpers/common

NEITHER="you are neither the owner and creator root nor in group 'root', and mode 0600 gives others no access"
ONLY="only the owner and creator root, or a privileged user (CAP_SYS_ADMIN), may"

@test "stat shows every field of the segment" {
	id=$(shm create -k 0x45 -s 1M -m 640)
	run --separate-stderr shm stat -k 0x45
	assert_success
	assert_equal "$stderr" ""
	assert_line "key         0x00000045"
	assert_line "id          $id"
	assert_line "size        1048576 bytes (1M)"
	assert_line "owner       root (uid 0)"
	assert_line "group       root (gid 0)"
	assert_line "creator     root (uid 0), group root (gid 0)"
	assert_line "mode        0640 (rw-r-----)"
	assert_line "attachments 0"
	assert_line --regexp "^creator pid [0-9]+$"
	assert_line "last pid    0"
	assert_line "last attach never"
	assert_line "last detach never"
	assert_line --regexp "^last change [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}$"
	assert_line "status      -"
	assert_line --regexp "^memory      [0-9]+ bytes resident, [0-9]+ swapped$"
	assert_line "attached processes: none"
}

@test "stat as root, the owner: every action allowed, and why" {
	shm create -k 0x45 -s 1 >/dev/null
	run --separate-stderr shm stat -k 0x45
	assert_success
	assert_equal "$stderr" ""
	assert_line "size        1 byte (1B)"
	assert_line "what you, root (uid 0), groups root, may do:"
	assert_line "read   yes: you are the owner, and mode 0600 gives the owner read and write"
	assert_line "write  yes: you are the owner, and mode 0600 gives the owner read and write"
	assert_line "remove yes: you are the owner"
	assert_line "change yes: you are the owner"
}

@test "stat as a stranger on a root 0600 segment: every action refused, and why" {
	shm create -k 0x45 -s 1 >/dev/null
	run --separate-stderr as_nobody "$SHM_BIN" stat -k 0x45
	assert_success
	assert_equal "$stderr" ""
	assert_line "owner       root (uid 0)"
	assert_line "what you, nobody (uid 65534), groups $NOBODY_GROUP, may do:"
	assert_line "read   no: $NEITHER"
	assert_line "write  no: $NEITHER"
	assert_line "remove no: $ONLY"
	assert_line "change no: $ONLY"
	run --separate-stderr as_nobody "$SHM_BIN" stat -k 0x45 --json
	assert_success
	assert_equal "$(jq -c .access <<<"$output")" \
	    "{\"read\":{\"allowed\":false,\"reason\":\"$NEITHER\"},\"write\":{\"allowed\":false,\"reason\":\"$NEITHER\"},\"remove\":{\"allowed\":false,\"reason\":\"$ONLY\"},\"change\":{\"allowed\":false,\"reason\":\"$ONLY\"}}"
}

# Runs stat as nobody on segment $1, then each action for real as nobody,
# and fails where the two disagree.  Remove comes last.
stat_agrees() {
	local id=$1 mode action allowed rc

	run --separate-stderr as_nobody "$SHM_BIN" stat -i "$id" --json
	assert_success
	assert_equal "$stderr" ""
	local access=$output
	mode=$(jq -r .mode <<<"$access")
	for action in read write change remove; do
		allowed=$(jq -r ".access.$action.allowed" <<<"$access")
		case $action in
		read)	run --separate-stderr as_nobody "$SHM_BIN" read \
			    -i "$id" -n 1 --raw ;;
		write)	run --separate-stderr as_nobody "$SHM_BIN" write \
			    -i "$id" x ;;
		change)	run --separate-stderr as_nobody "$SHM_BIN" chmod \
			    "$mode" -i "$id" ;;
		remove)	run --separate-stderr as_nobody "$SHM_BIN" rm -i "$id" ;;
		esac
		rc=$status
		SEEN+=("$action:$allowed")
		case $allowed:$rc in
		true:0|false:4) ;;
		*)	fail "segment $id: stat says $action allowed=$allowed," \
			    "and $action as nobody exits $rc: $stderr" ;;
		esac
	done
}

@test "stat agrees with what the kernel then does to a stranger" {
	local spec id n=0 want
	SEEN=()

	# owner:group mode, made by root or (a prefix @) by nobody.
	for spec in root:root:600 root:root:604 root:root:606 root:root:666 \
	    "root:$NOBODY_GROUP:640" "root:$NOBODY_GROUP:660" \
	    "daemon:$NOBODY_GROUP:600" nobody:root:400 nobody:root:600 \
	    @daemon:daemon:600 @nobody:root:200; do
		n=$((n + 1))
		if [[ $spec == @* ]]; then
			spec=${spec#@}
			id=$(as_nobody "$SHM_BIN" create -k $((0x4500 + n)) -s 1 \
			    -m 600)
		else
			id=$(shm create -k $((0x4500 + n)) -s 1)
		fi
		shm chown "${spec%:*}" -i "$id"
		shm chmod "${spec##*:}" -i "$id"
		stat_agrees "$id"
	done
	# Each action was both allowed and refused somewhere.
	for want in {read,write,change,remove}:{true,false}; do
		[[ " ${SEEN[*]} " == *" $want "* ]] || fail "never $want"
	done
}

@test "stat as the owner, nobody: allowed as the owner" {
	id=$(as_nobody "$SHM_BIN" create -k 0x46 -s 1 -m 400)
	run --separate-stderr as_nobody "$SHM_BIN" stat -i "$id" --json
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c .access <<<"$output")" \
	    '{"read":{"allowed":true,"reason":"you are the owner, and mode 0400 gives the owner read only"},"write":{"allowed":false,"reason":"you are the owner, and mode 0400 gives the owner read only"},"remove":{"allowed":true,"reason":"you are the owner"},"change":{"allowed":true,"reason":"you are the owner"}}'
	jq -e '.owner == "nobody" and .uid == 65534 and .cuid == 65534' <<<"$output"
}

@test "stat as the creator who no longer owns it" {
	id=$(as_nobody "$SHM_BIN" create -k 0x46 -s 1 -m 600)
	shm chown daemon -i "$id"
	run --separate-stderr as_nobody "$SHM_BIN" stat -i "$id"
	assert_success
	assert_line "read   yes: you are the creator, and mode 0600 gives the owner read and write"
	assert_line "remove yes: you are the creator"
	assert_line "change yes: you are the creator"
	run --separate-stderr as_nobody "$SHM_BIN" chmod 640 -i "$id"
	assert_success
}

@test "stat: the group bits for a member of the group" {
	id=$(shm create -k 0x47 -s 1 -m 640)
	shm chown "root:$NOBODY_GROUP" -i "$id"
	run --separate-stderr as_nobody "$SHM_BIN" stat -i "$id"
	assert_success
	assert_equal "$stderr" ""
	assert_line "read   yes: you are in group '$NOBODY_GROUP', and mode 0640 gives group '$NOBODY_GROUP' read only"
	assert_line "write  no: you are in group '$NOBODY_GROUP', and mode 0640 gives group '$NOBODY_GROUP' read only"
	assert_line "remove no: $ONLY"
}

@test "stat: owner and creator apart are both named" {
	id=$(shm create -k 0x48 -s 1 -m 600)
	shm chown daemon:daemon -i "$id"
	run --separate-stderr as_nobody "$SHM_BIN" stat -i "$id"
	assert_success
	assert_line "read   no: you are neither the owner daemon, the creator root, nor in group 'daemon' or 'root', and mode 0600 gives others no access"
	assert_line "remove no: only the owner daemon, the creator root, or a privileged user (CAP_SYS_ADMIN), may"
}

@test "stat: mode bits that give write alone do not let one attach to write" {
	id=$(shm create -k 0x49 -s 1 -m 602)
	run --separate-stderr as_nobody "$SHM_BIN" stat -i "$id"
	assert_success
	assert_line "read   no: you are neither the owner and creator root nor in group 'root', and mode 0602 gives others write only"
	assert_line "write  no: you are neither the owner and creator root nor in group 'root', and mode 0602 gives others write only; a segment attached to write must be readable too"
}

@test "stat as root on a segment of another user: privileges, named" {
	id=$(as_nobody "$SHM_BIN" create -k 0x4a -s 1 -m 600)
	run --separate-stderr shm stat -i "$id"
	assert_success
	assert_line "read   yes: mode 0600 gives others no access, but you have CAP_IPC_OWNER, which overrides the mode"
	assert_line "write  yes: mode 0600 gives others no access, but you have CAP_IPC_OWNER, which overrides the mode"
	assert_line "remove yes: you have CAP_SYS_ADMIN"
	assert_line "change yes: you have CAP_SYS_ADMIN"
}

@test "stat --json: one object with every ls column, access and attached" {
	id=$(shm create -k 0x4b -s 4K -m 640)
	run --separate-stderr shm stat -i "$id" --json
	assert_success
	assert_equal "$stderr" ""
	jq -e 'type == "object"' <<<"$output"
	cols=key,id,owner,perms,size,nattch,status,mode,group,uid,gid,cuid,cgid,cpid,lpid,atime,dtime,ctime,rss,swap,command
	assert_equal "$(jq -r '[keys_unsorted[]] | join(",")' <<<"$output")" "$cols,access,attached"
	# the same values as the row of ls --json
	assert_equal "$(jq -c 'del(.access, .attached)' <<<"$output")" \
	    "$(shm ls --json -o "$cols" | jq -c '.segments[0]')"
	jq -e '.id == '"$id"' and .size == 4096 and .nattch == 0' <<<"$output"
	jq -e '.mode == "0640" and .perms == "rw-r-----" and .key == "0x0000004b"' <<<"$output"
	jq -e '.atime == null and .dtime == null and (.ctime | type == "number")' <<<"$output"
	jq -e '.status == null and (.rss | type == "number")' <<<"$output"
	jq -e '[.access[] | .allowed | type] == ["boolean","boolean","boolean","boolean"]' <<<"$output"
	jq -e '.attached == []' <<<"$output"
}

@test "stat lists the processes attached now, with their commands" {
	id=$(shm create -k 0x4c -s 1M)
	hold "$id"
	run --separate-stderr shm stat -i "$id"
	assert_success
	assert_equal "$stderr" ""
	assert_line "attachments 1"
	assert_line "attached processes:"
	assert_line --regexp "^ *PID COMMAND$"
	assert_line --regexp "^ *$HOLDER $SHM_BIN read -i $id --raw$"
	run --separate-stderr shm stat -i "$id" --json
	assert_success
	assert_equal "$(jq -c .attached <<<"$output")" \
	    "[{\"pid\":$HOLDER,\"command\":\"$SHM_BIN read -i $id --raw\"}]"
	jq -e '.nattch == 1 and .lpid == '"$HOLDER"' and (.atime | type == "number")' <<<"$output"
	release
}

@test "stat escapes the control characters of a command line" {
	id=$(shm create -k 0x50 -s 1M)
	mkfifo "$SHM_TMP/fifo"
	(exec -a $'evil\e[31m\x01' "$SHM_BIN" read -i "$id" --raw >"$SHM_TMP/fifo") &
	HOLDER=$!
	exec 5<"$SHM_TMP/fifo"
	wait_nattch "$id" 1
	run --separate-stderr shm stat -i "$id"
	assert_success
	assert_line --partial "$HOLDER evil\\x1b[31m\\x01 read -i $id --raw"
	[[ $output != *$'\e'* ]]
	run --separate-stderr shm stat -i "$id" --json
	assert_success
	assert_equal "$(jq -r '.attached[0].command' <<<"$output")" $'evil\e[31m\x01 read -i '"$id"' --raw'
	[[ $output == *'"command": "evil\u001b[31m\u0001 read'* ]]
	release
}

@test "stat: a stranger does not see the processes of others, but learns they exist" {
	id=$(shm create -k 0x4d -s 1M -m 644)
	hold "$id"
	run --separate-stderr as_nobody "$SHM_BIN" stat -i "$id"
	assert_success
	assert_equal "$stderr" ""
	assert_line "attached processes: none that you may see; 1 attachment in processes of other users"
	run --separate-stderr as_nobody "$SHM_BIN" stat -i "$id" --json
	jq -e '.attached == [] and .nattch == 1' <<<"$output"
	release
}

@test "stat of a segment marked for removal still finds who holds it" {
	id=$(shm create -k 0x4e -s 1M)
	hold "$id"
	shm rm -i "$id" 2>/dev/null
	run --separate-stderr shm stat -i "$id"
	assert_success
	assert_line "key         0x00000000"
	assert_line "status      marked for removal"
	assert_line --regexp "^ *$HOLDER $SHM_BIN read -i $id --raw$"
	run --separate-stderr shm stat -i "$id" --json
	jq -e '.status == "dest" and (.attached | length) == 1' <<<"$output"
	release
}

@test "stat through the shmctl fallback, as a stranger" {
	for i in 1 2 3; do shm rm -i "$(shm create --private -s 1)"; done
	id=$(shm create -k 0x4f -s 1)
	run --separate-stderr as_nobody env SHM_PROC_SYSVIPC=/nonexistent "$SHM_BIN" stat -i "$id" --json
	assert_success
	assert_equal "$stderr" ""
	jq -e '.owner == "root" and .size == 1 and .rss == null and .swap == null' <<<"$output"
	jq -e '.access.read.allowed == false' <<<"$output"
	run --separate-stderr as_nobody env SHM_PROC_SYSVIPC=/nonexistent "$SHM_BIN" stat -i "$id"
	assert_success
	refute_line --partial "memory"
}

@test "stat of a segment that does not exist: exit 3" {
	run --separate-stderr shm stat -k 0x99
	assert_failure 3
	assert_output ""
	[[ $stderr == *"no segment has key 0x00000099"* ]]
	run --separate-stderr shm stat -i 99999
	assert_failure 3
	assert_output ""
	[[ $stderr == *"no segment has id 99999"* ]]
	[[ $stderr == *"hint: list the segments that exist: shm ls"* ]]
}

@test "stat by ftok file and proj" {
	touch shmfile
	id=$(shm create -f shmfile -p 65 -s 4)
	run --separate-stderr shm stat -f shmfile -p A --json
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" "$id"
	assert_equal "$(jq -r .key <<<"$output")" "$(shm key shmfile 65)"
}

@test "stat needs exactly one selector" {
	run --separate-stderr shm stat
	assert_failure 2
	assert_output ""
	[[ $stderr == *"no segment given"* ]]
	run --separate-stderr shm stat -k 1 -k 2
	assert_failure 2
	[[ $stderr == *"--key given twice"* ]]
}
