#!/usr/bin/env bats
# Hostile input, and the security defaults.
#
# The sweep: every command, every option that takes a value, and the
# operands, given empty, huge (100k characters), negative, overflowing,
# non-numeric, non-UTF-8 and option-like text, in both the "-s VALUE" and
# the "--size=VALUE" forms.  The contract for each: no crash (a status of
# 128 or more), no success, nothing on stdout, and stderr that starts with
# "shm COMMAND: " and names the option or the text.  Set HOSTILE_COUNT_FILE
# to have each test add the number of inputs it tried to that file.

load helpers/common

# The source tree, found before setup() moves to a scratch folder.
SRC=$(cd "${TESTS_DIR:-.}/.." && pwd)

setup() {
	common_setup
	BIG_X=$(head -c 100000 /dev/zero | tr '\0' x)
	BIG_9=$(head -c 100000 /dev/zero | tr '\0' 9)
	tried=0
	bad=()
	# Junk for every number: SIZE, OFFSET, COUNT, KEY, ID, MODE, AGE.
	JUNK_NUM=(
		"" "$BIG_X" "$BIG_9"
		-1 -0 -9223372036854775809
		18446744073709551616 0x10000000000000000
		99999999999999999999999999999
		abc 12abc " 12" "12 " 1e3 0x 0xg 0x-1 1.5 1,5 ++1 "1 2"
		$'\xff\xfe' $'\xc3\x28' $'12\xff'
		'١٢' '１２'
		$'1\n2' $'\e[31m1'
		--help -k -- --size=1
	)
}

teardown() {
	[ -z "${HOSTILE_COUNT_FILE:-}" ] || echo "$tried" >>"$HOSTILE_COUNT_FILE"
	common_teardown
}

# An argument as a message shows it: huge ones by their length.
show() {
	local a out=

	for a in "$@"; do
		if [ ${#a} -gt 60 ]; then
			out+=" <${#a} chars>"
		else
			out+=" $(printf '%q' "$a")"
		fi
	done
	echo "${out# }"
}

# A text as a message shows it (msg_escape() in src/output.c): control
# characters escaped, UTF-8 as it is, other bytes as \xNN.  Run with
# LC_ALL=C, so that ${s:i:1} is one byte.
shown_as() {
	local s=$1 out= c i j n v

	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		printf -v v '%d' "'$c"
		((v < 0)) && v=$((v + 256))
		case $c in
		$'\n') out+='\n' ;;
		$'\t') out+='\t' ;;
		$'\r') out+='\r' ;;
		*)
			if ((v < 32 || v == 127)); then
				printf -v c '\\x%02x' "$v"
				out+=$c
				continue
			fi
			((v < 128)) && { out+=$c; continue; }
			n=0
			((v >= 0xc2 && v <= 0xdf)) && n=1
			((v >= 0xe0 && v <= 0xef)) && n=2
			((v >= 0xf0 && v <= 0xf4)) && n=3
			for ((j = 1; j <= n; j++)); do
				printf -v v '%d' "'${s:i+j:1}"
				((v < 0)) && v=$((v + 256))
				((v >= 0x80 && v <= 0xbf)) || n=0
			done
			if ((n > 0)); then
				out+=${s:i:n+1}
				i=$((i + n))
			else
				printf -v v '%d' "'$c"
				((v < 0)) && v=$((v + 256))
				printf -v c '\\x%02x' "$v"
				out+=$c
			fi
			;;
		esac
	done
	printf '%s' "$out"
}

# try WANT NEEDLE COMMAND [ARG...]: runs shm COMMAND ARG... and checks the
# contract.  WANT is a pattern of the statuses allowed ("2", "[123]");
# NEEDLE a text that stderr must contain, as a message shows it.  Breaches
# go into bad.
try() {
	local want=$1 needle=$2 cmd=$3 rc=0 why= err= LC_ALL=C
	shift 2
	[[ $needle != *[![:print:]]* ]] || needle=$(shown_as "$needle")

	tried=$((tried + 1))
	"$SHM_BIN" "$@" </dev/null >"$SHM_TMP/out" 2>"$SHM_TMP/err" || rc=$?
	# Builtins only from here: this runs thousands of times.
	IFS= read -r -d '' err <"$SHM_TMP/err" || true
	if [ "$rc" -ge 128 ]; then
		why="crashed: status $rc"
	elif [ "$rc" -eq 0 ]; then
		why="succeeded"
	elif ! [[ $rc =~ ^($want)$ ]]; then
		why="status $rc, want $want"
	elif [ -s "$SHM_TMP/out" ]; then
		why="wrote to stdout"
	elif [[ $err != "shm $cmd: "* ]]; then
		why="stderr does not start with 'shm $cmd: ': ${err:0:80}"
	elif [[ $err != *"$needle"* ]]; then
		why="stderr does not name '$needle': ${err:0:160}"
	elif [[ $err == *[$'\x01'-$'\x09'$'\x0b'-$'\x1f'$'\x7f']* ]]; then
		why="a raw control character on stderr: $(show "$err")"
	fi
	[ -z "$why" ] || bad+=("shm $(show "$@"): $why")
}

# sweep COMMAND SHORT LONG WANT NEEDLE [ARG...]: each of VALUES as the
# value of the option, in both forms (no SHORT: the long form only),
# after ARG....
sweep() {
	local cmd=$1 short=$2 long=$3 want=$4 needle=$5 v
	shift 5

	for v in "${VALUES[@]}"; do
		[ -z "$short" ] || try "$want" "$needle" "$cmd" "$@" "$short" "$v"
		try "$want" "$needle" "$cmd" "$@" "$long=$v"
	done
}

# The selectors of COMMAND, with ARG... making the rest of the command
# line valid: junk keys, ids and project ids are usage errors; a junk
# path is a usage error (empty), a missing file (3) or one ftok cannot use.
sweep_selectors() {
	local cmd=$1 v
	shift

	VALUES=("${JUNK_NUM[@]}" 0 0x0 00 4294967296 0x100000000)
	sweep "$cmd" -k --key 2 --key "$@"
	VALUES=("${JUNK_NUM[@]}" 2147483648 0x10 +1)
	sweep "$cmd" -i --id 2 --id "$@"
	touch "$SHM_TMP/f"
	# One character is a project id ("A" is 65): "-" is one.
	VALUES=()
	for v in "${JUNK_NUM[@]}" 0 256 0x100 AB; do
		[ "$v" = - ] || VALUES+=("$v")
	done
	sweep "$cmd" -p --proj 2 --proj "$@" -f "$SHM_TMP/f"
	try 2 --file "$cmd" "$@" -f ""
	try 2 --file "$cmd" "$@" --file=
	for v in "$BIG_X" no-such-file no-dir/file f/below-a-file - --help \
	    $'\xff\xfe' $'new\nline'; do
		try "[134]" "${v:0:40}" "$cmd" "$@" -f "$v"
		try "[134]" "${v:0:40}" "$cmd" "$@" --file="$v"
	done
	# Options without a value, and a missing value.
	try 2 "--private" "$cmd" "$@" --private=1
	for v in -k --key -i --id -f --file -p --proj; do
		try 2 "$v: missing argument" "$cmd" "$@" "$v"
	done
}

# Unknown options and stray operands.
sweep_unknown() {
	local cmd=$1 v
	shift

	for v in --frob -Z --- --=1 "--$BIG_X" $'--\xff' --key-x \
	    --help=1; do
		try 2 "${v:0:40}" "$cmd" "$@" "$v"
	done
}

sweep_operands() {
	local cmd=$1 v
	shift

	for v in extra "" "$BIG_X" $'\xff' -; do
		try 2 "unexpected argument" "$cmd" "$@" "$v"
	done
}

# Fails the test with every breach found, one per line.
report() {
	echo "$tried inputs tried, ${#bad[@]} broke the contract"
	if [ ${#bad[@]} -gt 0 ]; then
		printf '  %s\n' "${bad[@]}"
		return 1
	fi
	assert_equal "$(nsegs)" "${1:-0}"
}

@test "hostile: create" {
	sweep_selectors create -s 1
	VALUES=("${JUNK_NUM[@]}" 0 0K 1KIB 1Ki 1k 1T 16E 0x1ffffffffffffffffK \
	    17179869184G 18014398509481984K)
	sweep create -s --size 2 --size -k 0x10
	VALUES=("${JUNK_NUM[@]}" 8 0888 1000 01000 0o600 rw-r--r-- u+rw)
	sweep create -m --mode 2 --mode -k 0x10 -s 1
	sweep_unknown create -k 0x10 -s 1
	sweep_operands create -k 0x10 -s 1
	try 2 "--exclusive" create -k 0x10 -s 1 --exclusive=yes
	try 2 "--json" create -k 0x10 -s 1 --json=
	report
}

@test "hostile: write, its options and its data" {
	id=$(shm create -k 0x10 -s 64)
	sweep_selectors write data
	VALUES=("${JUNK_NUM[@]}")
	sweep write -o --offset 2 --offset -k 0x10 data
	VALUES=("" "$BIG_X" I32 i31 int "i32 " " i32" i32,i64 - --help $'\xff' \
	    $'i3\n2' u128 f16 string)
	sweep write -t --type 2 --type -k 0x10 data
	sweep_unknown write -k 0x10
	try 2 "--string" write -k 0x10 --string=1 x
	try 2 "--truncate" write -k 0x10 --truncate=1 x
	# Data of every number type: out of range, and not numbers.
	local t v
	for t in i8:128:-129 i16:32768:-32769 i32:2147483648:-2147483649 \
	    i64:9223372036854775808:-9223372036854775809 \
	    u8:256:-1 u16:65536:-1 u32:4294967296:-1 \
	    u64:18446744073709551616:-1 f32:1e39:-1e39 f64:1e309:-1e309; do
		IFS=: read -r type over under <<<"$t"
		for v in "$over" "$under" "" "$BIG_9" "-$BIG_9" abc 1x 0x \
		    " 1" "1 " 1..2 $'\xff' 1,5 --help -- '١' 0x1g nan1; do
			try 2 "--type $type" write -k 0x10 -t "$type" -- 1 "$v"
		done
	done
	for v in abc zz 0x12 $'\xff\xfe' "1 2 3" "$BIG_X" g -- 1-2; do
		try 2 "--type hex" write -k 0x10 -t hex -- "$v"
	done
	# Not a byte of the segment changed.
	run --separate-stderr shm read -k 0x10 -t hex
	assert_success
	assert_output "$(printf '0%.0s' {1..128})"
	report 1
}

@test "hostile: read" {
	shm create -k 0x10 -s 64 >/dev/null
	sweep_selectors read
	VALUES=("${JUNK_NUM[@]}")
	sweep read -o --offset 2 --offset -k 0x10
	sweep read -n --count 2 --count -k 0x10
	VALUES=("" "$BIG_X" I32 i31 int "i32 " - --help $'\xff' u128 string)
	sweep read -t --type 2 --type -k 0x10
	sweep_unknown read -k 0x10
	sweep_operands read -k 0x10
	for v in --string=1 --hexdump=1 --raw=1; do
		try 2 "${v%=*}" read -k 0x10 "$v"
	done
	report 1
}

@test "hostile: rm" {
	sweep_selectors rm
	VALUES=("" "$BIG_X" -1 no-such-user-xyz $'\xff\xfe' 4294967295 \
	    99999999999999999999 --help root:root : "$BIG_9")
	sweep rm "" --owner 2 --owner --all
	# a DURATION: 1.5 is one, as --timeout takes it
	VALUES=("${JUNK_NUM[@]/#1.5/1.5.5}" 1w 5m5 "5 m" m 1M 1S 0x10s \
	    213503982334602d 99999999999999999999s .s 1..5s)
	sweep rm "" --older-than 2 --older-than --all
	sweep_unknown rm --all
	sweep_operands rm --all
	for v in --all=1 --orphaned=1 --dry-run=1 --force=1; do
		try 2 "${v%=*}" rm "$v"
	done
	report
}

@test "hostile: ls" {
	VALUES=("" "$BIG_X" NOPE KEY,NOPE , + +NOPE KEY,,ID $'\xff' -1 --help \
	    $'KEY\nID' "KEY ID" key,nope)
	sweep ls -o --output 2 --output
	sweep_unknown ls
	sweep_operands ls
	for v in --json=1 --raw=1 --bytes=1 --mine=1 --noheadings=1; do
		try 2 "${v%=*}" ls "$v"
	done
	report
}

@test "hostile: stat" {
	sweep_selectors stat
	sweep_unknown stat -k 0x10
	sweep_operands stat -k 0x10
	try 2 "--json" stat -k 0x10 --json=1
	report
}

@test "hostile: key" {
	local v

	touch f
	try 2 "PATH" key ""
	for v in "$BIG_X" no-such-file no-dir/file f/x --help -k $'\xff\xfe'; do
		try "[134]" "${v:0:40}" key -- "$v"
	done
	for v in "${JUNK_NUM[@]}" 0 256 0x100 AB; do
		[ "$v" = - ] || try 2 "project id" key -- f "$v"
	done
	try 2 "too many" key f 1 2
	try 2 "too many" key f 1 "$BIG_X"
	sweep_unknown key f
	report
}

@test "hostile: chmod" {
	local v

	sweep_selectors chmod 600
	for v in "${JUNK_NUM[@]}" 8 0888 1000 01000 0o600 rw-r--r-- u+rw \
	    a=r; do
		try 2 "mode" chmod -k 0x10 -- "$v"
	done
	sweep_unknown chmod 600 -k 0x10
	report
}

@test "hostile: chown" {
	local v

	sweep_selectors chown root
	for v in "" : "$BIG_X" no-such-user-xyz root:no-such-group-xyz \
	    no-such-user-xyz:root 4294967295 -1 $'\xff' root:root:root \
	    "root:$BIG_X" ":$BIG_9" "$BIG_9" " root" "root "; do
		try 2 "" chown -k 0x10 -- "$v"
	done
	sweep_unknown chown root -k 0x10
	report
}

@test "hostile: limits" {
	sweep_unknown limits
	sweep_operands limits
	try 2 "--json" limits --json=1
	report
}

@test "hostile: fork-demo" {
	local v

	sweep_selectors fork-demo -q
	VALUES=()
	for v in "${JUNK_NUM[@]}" 2147483648 -2147483649 0x100000000; do
		[ "$v" = -1 ] || [ "$v" = -0 ] || VALUES+=("$v")
	done
	sweep fork-demo "" --value 2 --value -q
	VALUES=("${JUNK_NUM[@]}" 0 1000000001 0x0)
	sweep fork-demo "" --rounds 2 --rounds -q
	sweep_unknown fork-demo -q
	sweep_operands fork-demo -q
	for v in --compare=1 --keep=1 --quiet=1; do
		try 2 "${v%=*}" fork-demo "$v"
	done
	report
}

# Security defaults.

@test "segments are made 0600 unless asked, whatever the umask" {
	touch f
	umask 000
	id1=$(shm create -k 0x31 -s 1)
	id2=$(shm create --private -s 1)
	id3=$(shm create -f f -p 7 -s 1)
	for id in "$id1" "$id2" "$id3"; do
		assert_equal "$(seg_mode "$id")" 600
	done
	id4=$(shm create -k 0x32 -s 1 -m 0666)
	assert_equal "$(seg_mode "$id4")" 666
	# Opening an existing segment leaves its mode alone.
	shm create -k 0x32 -m 0600 >/dev/null
	assert_equal "$(seg_mode "$id4")" 666
}

@test "fork-demo's segment is 0600" {
	run --separate-stderr shm fork-demo -k 0x33 --keep -q
	assert_success
	assert_output ""
	id=$(awk '$1 == 51 { print $2 }' /proc/sysvipc/shm)
	assert_equal "$(seg_mode "$id")" 600
}

@test "read attaches read-only: works as nobody on 0604, write does not" {
	id=$(shm create -k 0x34 -s 16 -m 0604)
	shm write -k 0x34 secret
	run --separate-stderr as_nobody "$SHM_BIN" read -k 0x34 -n 6 --raw
	assert_success
	assert_output secret
	assert_equal "$stderr" ""
	run --separate-stderr as_nobody "$SHM_BIN" write -k 0x34 XXXXXX
	assert_failure 4
	assert_output ""
	[[ $stderr == *"write"* ]]
	run --separate-stderr shm read -k 0x34 -n 6 --raw
	assert_output secret
}

@test "read asks shmat for SHM_RDONLY, write does not" {
	need_prog strace
	no_lsan_under_strace
	id=$(shm create -k 0x35 -s 16)
	run strace -f -qq -e trace=shmat -o "$SHM_TMP/trace" "$SHM_BIN" \
	    read -k 0x35 -n 1 --raw
	assert_success
	run grep -c 'shmat(.*SHM_RDONLY' "$SHM_TMP/trace"
	assert_output 1
	run strace -f -qq -e trace=shmat -o "$SHM_TMP/trace" "$SHM_BIN" \
	    write -k 0x35 x
	assert_success
	run grep -c 'shmat(' "$SHM_TMP/trace"
	assert_output 1
	run grep -c 'SHM_RDONLY' "$SHM_TMP/trace"
	assert_output 0
}

# Every file system call that names the user's path is a stat (ftok's):
# no open, no readlink, no write, whatever the command.
@test "a user-supplied path is only ever stat'ed (ftok)" {
	need_prog strace
	no_lsan_under_strace
	local c cmd extra

	mkdir d
	touch d/target
	ln -s target d/link
	for c in "create -s 4K" write read stat "chmod 640" "chown root" \
	    "fork-demo -q --reuse" rm; do
		read -r cmd extra <<<"$c"
		"$SHM_BIN" "$cmd" --help 2>/dev/null | grep -q "^Usage" ||
		    continue
		case $cmd in
		chmod|chown) set -- "$cmd" $extra -f d/link -p 9 ;;
		write) set -- write -f d/link -p 9 x ;;
		read) set -- read -f d/link -p 9 -n 1 --raw ;;
		*) set -- "$cmd" -f d/link -p 9 $extra ;;
		esac
		strace -f -qq -e trace=%file,readlink,readlinkat \
		    -o "$SHM_TMP/trace" "$SHM_BIN" "$@" >/dev/null 2>&1 </dev/null
		# Its own command line names the path too: not a file call.
		run grep -E 'd/(link|target)' "$SHM_TMP/trace"
		assert_success
		run grep -v '^[0-9]* *execve(' <<<"$output"
		assert_success
		run grep -vE '^[0-9]+ +(stat|lstat|newfstatat|statx)\(' \
		    <<<"$output"
		assert_output ""
	done
	strace -f -qq -e trace=%file,readlink,readlinkat -o "$SHM_TMP/trace" \
	    "$SHM_BIN" key d/link 9 >/dev/null
	run grep -E 'd/(link|target)' "$SHM_TMP/trace"
	assert_success
	run grep -v '^[0-9]* *execve(' <<<"$output"
	assert_success
	run grep -vE '^[0-9]+ +(stat|lstat|newfstatat|statx)\(' <<<"$output"
	assert_output ""
	# The file itself is untouched: neither written nor replaced.
	assert_equal "$(stat -c %s d/target)" 0
	[ -L d/link ]
}

@test "rm --all as a user removes what the user owns or created, nothing else" {
	root_only=$(shm create -k 0x41 -s 1 -m 0666)
	given=$(shm create -k 0x42 -s 1)
	chown_root=$(shm create -k 0x43 -s 1)
	own=$(as_nobody "$SHM_BIN" create -k 0x44 -s 1)
	made=$(as_nobody "$SHM_BIN" create -k 0x45 -s 1 -m 0666)
	# root gives 0x42 to nobody; 0x45, made by nobody, goes to root.
	shm chown nobody -k 0x42
	shm chown root -k 0x45
	run --separate-stderr as_nobody "$SHM_BIN" rm --all
	assert_success
	run sort <<<"$output"
	assert_output "$(printf '%s\n' "$given" "$own" "$made" | sort)"
	[[ $stderr == *"skipped 2 segments of other users"* ]]
	run bash -c "awk 'NR > 1 { print \$2 }' /proc/sysvipc/shm | sort -n"
	assert_output "$(printf '%s\n' "$root_only" "$chown_root" | sort -n)"
}

@test "rm --all --dry-run as a user removes nothing" {
	shm create -k 0x46 -s 1 >/dev/null
	own=$(as_nobody "$SHM_BIN" create -k 0x47 -s 1)
	run --separate-stderr as_nobody "$SHM_BIN" rm --all --dry-run
	assert_success
	assert_output "$own"
	assert_equal "$(nsegs)" 2
}

@test "POSIXLY_CORRECT and POSIX_ME_HARDER change no command line" {
	touch f
	want=$(shm key f 65)
	for var in POSIXLY_CORRECT POSIX_ME_HARDER; do
		# An option after an operand is still an option.
		run --separate-stderr env "$var=1" "$SHM_BIN" key f -h
		assert_success
		assert_output --partial "Usage: shm key"
		run --separate-stderr env "$var=1" "$SHM_BIN" key f 65
		assert_success
		assert_output "$want"
	done
}

@test "POSIXLY_CORRECT: write's options after its data are still options" {
	shm create -k 0x48 -s 16 >/dev/null
	run --separate-stderr env POSIXLY_CORRECT=1 "$SHM_BIN" write -k 0x48 \
	    abc -o 4
	assert_success
	run --separate-stderr shm read -k 0x48 -n 7 --raw
	assert_output "$(printf '\0\0\0\0abc')"
}

@test "the locale changes no output and no input" {
	shm create -k 0x49 -s 16 >/dev/null
	for loc in C C.UTF-8 $(locale -a 2>/dev/null | grep -E '^(de_DE|fr_FR|tr_TR)' | head -n 2); do
		run --separate-stderr env LC_ALL="$loc" "$SHM_BIN" write -k 0x49 \
		    -t f64 2.5
		assert_success
		run --separate-stderr env LC_ALL="$loc" "$SHM_BIN" read -k 0x49 \
		    -t f64
		assert_success
		assert_output 2.5
	done
}

@test "environment junk changes neither create nor ls" {
	local junk=(HOME=/nonexistent POPT_ALIAS=x LANG=xx_XX.BOGUS LC_ALL=xx_XX
	    TZ=Mars/Olympus COLUMNS=1 LINES=1 TERM=dumb POSIXLY_CORRECT=1)

	# Each baseline, in an empty environment, is itself checked: two
	# empty or failed runs would agree as well.
	run --separate-stderr env -i "$SHM_BIN" create -k 0x4a -s 1 --json
	assert_success
	assert_equal "$stderr" ""
	plain=$(jq -c 'del(.id)' <<<"$output")
	assert_equal "$plain" \
	    '{"key":"0x0000004a","size":1,"mode":"0600","created":true}'
	shm rm -k 0x4a
	run --separate-stderr env "${junk[@]}" "$SHM_BIN" create -k 0x4a -s 1 \
	    --json
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c 'del(.id)' <<<"$output")" "$plain"
	id=$(jq -r .id <<<"$output")

	run --separate-stderr env -i "$SHM_BIN" ls --json -b
	assert_success
	assert_equal "$stderr" ""
	plain=$output
	assert_equal "$(jq -c '.segments | map({key, id, owner, size})' \
	    <<<"$plain")" \
	    "[{\"key\":\"0x0000004a\",\"id\":$id,\"owner\":\"root\",\"size\":1}]"
	run --separate-stderr env "${junk[@]}" "$SHM_BIN" ls --json -b
	assert_success
	assert_equal "$stderr" ""
	assert_output "$plain"

	run --separate-stderr env -i "$SHM_BIN" ls -b
	assert_success
	assert_equal "$stderr" ""
	plain=$output
	assert_equal "${#lines[@]}" 2
	read -r -a row <<<"${lines[0]}"
	assert_equal "${row[*]:0:5}" "KEY ID OWNER PERMS SIZE"
	read -r -a row <<<"${lines[1]}"
	assert_equal "${row[*]:0:5}" "0x0000004a $id root rw------- 1"
	run --separate-stderr env "${junk[@]}" "$SHM_BIN" ls -b
	assert_success
	assert_equal "$stderr" ""
	assert_output "$plain"
}

@test "every environment variable shm reads is documented in shm(1)" {
	local var

	[ -d "$SRC/src" ] && [ -f "$SRC/man/shm.1.scd" ] ||
	    skip "the sources are not next to the tests"
	run bash -c "grep -ho 'getenv(\"[A-Za-z_][A-Za-z0-9_]*\")' '$SRC'/src/*.c |
	    sed 's/getenv(\"\\(.*\\)\")/\\1/' | sort -u"
	assert_success
	for var in "${lines[@]}"; do
		grep -q "$var" "$SRC/man/shm.1.scd" ||
		    fail "shm reads \$$var, and shm(1) does not say so"
	done
}
