#!/usr/bin/env bats
# The man pages and the completions: in step with what each command's
# --help prints, lint-clean, installed where each tool looks, and the bash
# completion at work on a real command line.

load helpers/common

# Sorted lists compare the same whatever the caller's locale.
export LC_ALL=C

SRC=$(cd "$TESTS_DIR/.." && pwd)
BASH_COMP=$SRC/completions/bash/shm
ZSH_COMP=$SRC/completions/zsh/_shm
FISH_COMP=$SRC/completions/fish/shm.fish
BASH_COMPLETION_LIB=/usr/share/bash-completion/bash_completion

# The commands that 'shm --help' lists, one per line.
commands() {
	"$SHM_BIN" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'
}

# The options that 'shm CMD --help' prints, short and long, one per line,
# sorted.  popt puts each option at the start of a line ("  -k, --key=KEY"
# or "      --json"); wrapped descriptions are indented further.
help_options() {
	"$SHM_BIN" "$1" --help |
	    sed -nE 's/^  (-([[:alnum:]]), |    )--([[:alnum:]][[:alnum:]-]*).*/-\2 --\3/p' |
	    tr ' ' '\n' | grep -v '^-$' | sort -u
}

# The options that a man page defines: the lines that open an entry,
# "*-k*, *--key*=_KEY_" or "*--json*".
man_options() {
	sed -nE 's/^\*(-[[:alnum:]])\*, \*(--[[:alnum:]][[:alnum:]-]*)\*.*/\1 \2/p;
	    s/^\*(--[[:alnum:]][[:alnum:]-]*)\*.*/\1/p' "$1" |
	    tr ' ' '\n' | sort -u
}

# The drift checks need every shell they check: a missing one is a failure,
# not a pass that checked nothing (scripts/bootstrap installs them all).
# Prints what is missing.
shells_missing() {
	local sh bad=0
	[[ -r $BASH_COMPLETION_LIB ]] || {
		echo "bash-completion is not installed ($BASH_COMPLETION_LIB)"
		bad=1
	}
	for sh in zsh fish; do
		command -v "$sh" >/dev/null || { echo "$sh is not installed"; bad=1; }
	done
	[[ $bad -eq 0 ]] || echo "scripts/bootstrap installs what is missing"
	return "$bad"
}

need_bash_completion() {
	[[ -r $BASH_COMPLETION_LIB ]] ||
	    fail "bash-completion is not installed ($BASH_COMPLETION_LIB)"
}

need_shell() {
	command -v "$1" >/dev/null ||
	    fail "$1 is not installed: scripts/bootstrap installs it"
}

# What bash offers after "LINE<Tab>", in the order it shows them.
bash_complete() {
	"$SRC/tests/helpers/complete-bash" "$BASH_COMP" "$1"
}

# The specs that zsh's _shm_CMD gives _arguments, printed by a stand-in
# _arguments, one a line.
zsh_specs() {
	zsh -f -c '
		_arguments() { print -rl -- "${@[${@[(i):]}+1,-1]}"; }
		_describe() { :; }
		source "$1" >/dev/null
		_shm_$2' zsh "$ZSH_COMP" "$1"
}

# The options that zsh's _shm_CMD gives _arguments, sorted: each spec's
# option name is kept ("(--all ...)*--key=[...]:key:_shm_keys" is --key).
zsh_options() {
	zsh_specs "$1" | sed -E 's/^\*//; s/^\([^)]*\)//; s/^\*//' |
	    sed -nE 's/^(--?[[:alnum:]][[:alnum:]-]*).*/\1/p' | sort -u
}

# Each option of zsh's _shm_CMD, then the options its spec excludes: once
# it is on the line, _arguments offers none of them.
zsh_excludes() {
	zsh_specs "$1" |
	    sed -nE 's/^\*?(\(([^)]*)\))?\*?(--?[[:alnum:]][[:alnum:]-]*).*/\3 \2/p'
}

# Fails, naming it, unless each option after OPT and EXCL is in EXCL: what
# OPT's zsh spec excludes.
excl_all() {
	local opt=$1 excl=" $2 " o
	shift 2
	for o; do
		[[ $excl == *" $o "* ]] ||
		    { echo "zsh offers $o after $opt"; return 1; }
	done
}

# What zsh's _shm_FUNC adds, run with PREFIX set to the word begun: stand-ins
# print what compadd is given, in that order, and "-V" when _wanted is asked
# for an unsorted group; compset and _sequence pass through.
zsh_adds() {
	PREFIX=$2 zsh -f -c '
		_arguments() { return 1; }
		_describe() { :; }
		compset() { return 1; }
		_sequence() { "$@"; }
		_wanted() {
			[[ $1 == -V ]] && { print -r -- -V; shift; }
			shift 3
			"$@"
		}
		compadd() {
			while (( $# )); do
				case $1 in
				-a) print -rl -- ${(P)2}; shift ;;
				-) shift; print -rl -- "$@"; return ;;
				esac
				shift
			done
		}
		source "$1" >/dev/null
		_shm_$2' zsh "$ZSH_COMP" "$1"
}

# The commands that zsh's _shm offers for the first word: a stand-in
# _arguments puts _shm in its "command" state, and a stand-in _describe
# prints the arrays it is given.
zsh_commands() {
	zsh -f -c '
		_arguments() { [[ $1 == -C ]] && state=command; return 1; }
		_describe() {
			local n
			shift 3
			for n in "$@"; do
				[[ $n == -- ]] || print -rl -- ${(P)n}
			done
		}
		source "$1"' zsh "$ZSH_COMP" | cut -d: -f1 | sort
}

# What fish offers after "LINE<Tab>", the candidates only, sorted.
fish_complete() {
	fish --no-config -c 'source $argv[1]; complete -C $argv[2]' \
	    "$FISH_COMP" "$1" | cut -f1 | sort
}

# Checks that the man page and the three completion files offer exactly the
# options that 'shm CMD --help' prints; prints each difference.
check_docs() {
	local cmd=$1 want long bad=0 page=$SRC/man/shm-$1.1.scd

	shells_missing || return 1
	run --separate-stderr "$SHM_BIN" "$cmd" --help
	assert_success
	want=$(help_options "$cmd")
	[[ -n $want ]] || { echo "shm $cmd --help prints no options"; return 1; }
	long=$(grep -- '^--' <<<"$want")

	[[ -f $page ]] || { echo "no man page man/shm-$cmd.1.scd"; return 1; }
	differs "man/shm-$cmd.1.scd" "$want" "$(man_options "$page")" || bad=1
	differs "bash completion" "$long" \
	    "$(bash_complete "shm $cmd --" | grep -- '^--')" || bad=1
	differs "zsh completion" "$want" "$(zsh_options "$cmd")" || bad=1
	differs "fish completion" "$want" \
	    "$(fish_complete "shm $cmd -" | grep -- '^-')" || bad=1
	return "$bad"
}

# Fails, naming what $1 lacks and what it has that --help does not, when
# the sets $2 (from --help) and $3 differ.
differs() {
	local missing extra
	missing=$(comm -23 <(sort -u <<<"$2") <(sort -u <<<"$3") | xargs)
	extra=$(comm -13 <(sort -u <<<"$2") <(sort -u <<<"$3") | xargs)
	[[ -z $missing ]] || echo "$1 lacks: $missing"
	[[ -z $extra ]] || echo "$1 has what --help does not list: $extra"
	[[ -z $missing && -z $extra ]]
}

# Makes folder $1 a PATH with every command of the system's but those
# that match the patterns $2...
path_without() {
	local bin=$1 f p
	shift
	mkdir -p "$bin"
	for f in /usr/local/bin/* /usr/bin/* /bin/*; do
		for p in "$@"; do
			# shellcheck disable=SC2053
			[[ ${f##*/} == $p ]] && continue 2
		done
		[[ -e $bin/${f##*/} ]] || ln -s "$f" "$bin/${f##*/}"
	done
}

@test "docs: the drift check fails, naming the shell, when zsh or fish is missing" {
	local bin=$BATS_TEST_TMPDIR/bin
	path_without "$bin" 'zsh*' 'fish*'
	PATH=$bin run check_docs create
	assert_failure
	assert_line "zsh is not installed"
	assert_line "fish is not installed"
	run check_docs create
	assert_success
}

@test "docs: create's options are in its man page and completions" {
	check_docs create
}

@test "docs: write's options are in its man page and completions" {
	check_docs write
}

@test "docs: read's options are in its man page and completions" {
	check_docs read
}

@test "docs: rm's options are in its man page and completions" {
	check_docs rm
}

@test "docs: ls's options are in its man page and completions" {
	check_docs ls
}

@test "docs: metrics's options are in its man page and completions" {
	check_docs metrics
}

@test "docs: stat's options are in its man page and completions" {
	check_docs stat
}

@test "docs: key's options are in its man page and completions" {
	check_docs key
}

@test "docs: chmod's options are in its man page and completions" {
	check_docs chmod
}

@test "docs: chown's options are in its man page and completions" {
	check_docs chown
}

@test "docs: limits's options are in its man page and completions" {
	check_docs limits
}

@test "docs: fork-demo's options are in its man page and completions" {
	check_docs fork-demo
}

@test "docs: wait's options are in its man page and completions" {
	check_docs wait
}

@test "docs: add's options are in its man page and completions" {
	check_docs add
}

@test "docs: cas's options are in its man page and completions" {
	check_docs cas
}

@test "docs: lock's options are in its man page and completions" {
	check_docs lock
}

@test "docs: pin's options are in its man page and completions" {
	check_docs pin
}

@test "docs: unpin's options are in its man page and completions" {
	check_docs unpin
}

@test "docs: every command has its check_docs test in this file" {
	local cmds tested
	cmds=$(commands)
	[[ -n $cmds ]]
	tested=$(sed -nE 's/^[[:blank:]]*check_docs ([a-z-]+)$/\1/p' \
	    "$BATS_TEST_FILENAME")
	differs "90-docs.bats" "$cmds" "$tested"
}

@test "docs: every command is in shm(1), has a page, and is completed" {
	local cmds c bad=0
	cmds=$(commands)
	[[ -n $cmds ]]
	for c in $cmds; do
		[[ -f $SRC/man/shm-$c.1.scd ]] || { echo "no man/shm-$c.1.scd"; bad=1; }
		grep -q "'shm-$c.1.scd'" "$SRC/man/meson.build" ||
		    { echo "man/meson.build does not build shm-$c.1"; bad=1; }
		grep -qx "\*$c\*" "$SRC/man/shm.1.scd" ||
		    { echo "shm.1 COMMANDS has no entry for $c"; bad=1; }
		grep -q "\*shm-$c\*(1)" "$SRC/man/shm.1.scd" ||
		    { echo "shm.1 does not refer to shm-$c(1)"; bad=1; }
	done
	shells_missing || return 1
	differs "bash 'shm <Tab>'" "$cmds"$'\nhelp' \
	    "$(bash_complete 'shm ')" || bad=1
	differs "fish 'shm <Tab>'" "$cmds"$'\nhelp' \
	    "$(fish_complete 'shm ')" || bad=1
	differs "zsh 'shm <Tab>'" "$cmds"$'\nhelp' "$(zsh_commands)" ||
	    bad=1
	return "$bad"
}

@test "docs: the global options are in shm(1) and the completions" {
	run --separate-stderr "$SHM_BIN" --help
	assert_success
	[[ $output == *"[-h|--help] [-V|--version]"* ]]
	grep -qx '\*-h\*, \*--help\*' "$SRC/man/shm.1.scd"
	grep -qx '\*-V\*, \*--version\*' "$SRC/man/shm.1.scd"
	shells_missing || return 1
	grep -qx '\*--ns\*=_TARGET_' "$SRC/man/shm.1.scd"
	[[ $output == *"[--ns=TARGET]"* ]]
	assert_equal "$(bash_complete 'shm -' | xargs)" \
	    "--help --ns --version"
	assert_equal "$(fish_complete 'shm -' | xargs)" \
	    "--help --ns --version -V -h"
}

@test "bash: 'shm <Tab>' lists the commands, 'shm r<Tab>' read and rm" {
	need_bash_completion
	run bash_complete 'shm '
	assert_success
	assert_equal "$(xargs <<<"$output")" \
	    "$( (commands; echo help) | sort | xargs)"
	run bash_complete 'shm r'
	assert_success
	assert_equal "$(xargs <<<"$output")" "read rm"
	run bash_complete 'shm help f'
	assert_equal "$output" "fork-demo"
}

@test "bash: 'shm read -<Tab>' offers its options" {
	need_bash_completion
	run bash_complete 'shm read -'
	assert_success
	assert_line -- --hexdump
	assert_line -- --type
	assert_line -- --key
	refute_line -- --size
}

@test "bash: 'shm read -t <Tab>' and 'shm write --type=<Tab>' offer the types" {
	need_bash_completion
	local numbers='f32 f64 i16 i32 i64 i8 u16 u32 u64 u8'
	run bash_complete 'shm read -t '
	assert_success
	assert_equal "$(xargs <<<"$output")" "$(echo hex $numbers raw | xargs -n1 | sort | xargs)"
	run bash_complete 'shm write --type='
	assert_success
	assert_equal "$(xargs <<<"$output")" "$(echo hex $numbers raw | xargs -n1 | sort | xargs)"
	run bash_complete 'shm write -t u'
	assert_equal "$(xargs <<<"$output")" "u16 u32 u64 u8"
}

@test "bash: 'shm rm -i <Tab>' lists the ids that exist" {
	need_bash_completion
	local a b
	a=$(shm create -k 0x90 -s 1)
	b=$(shm create --private -s 1)
	run bash_complete 'shm rm -i '
	assert_success
	assert_equal "$(xargs <<<"$output")" "$(printf '%s\n' "$a" "$b" | sort | xargs)"
	run bash_complete 'shm stat --id='
	assert_equal "$(xargs <<<"$output")" "$(printf '%s\n' "$a" "$b" | sort | xargs)"
}

@test "bash: 'shm read -k <Tab>' lists the keys, as 0x%08x, not the private 0" {
	need_bash_completion
	shm create -k 0x90 -s 1 >/dev/null
	shm create -k 0xfffffff0 -s 1 >/dev/null
	shm create --private -s 1 >/dev/null
	run bash_complete 'shm read -k '
	assert_success
	assert_equal "$(xargs <<<"$output")" "0x00000090 0xfffffff0"
	run bash_complete 'shm read -k 0xf'
	assert_output "0xfffffff0"
}

@test "bash: keys and ids come from SHM_PROC_SYSVIPC when it is set" {
	need_bash_completion
	cat >fake <<-'EOF'
	       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap
	        16         77   600                     1   100     0      0     0     0     0     0          0          0 1700000000                  4096                     0
	        -2         78   600                     1   100     0      0     0     0     0     0          0          0 1700000000                  4096                     0
	EOF
	export SHM_PROC_SYSVIPC=$PWD/fake
	run bash_complete 'shm rm -i '
	assert_equal "$(xargs <<<"$output")" "77 78"
	run bash_complete 'shm rm -k '
	assert_equal "$(xargs <<<"$output")" "0x00000010 0xfffffffe"
}

@test "bash: files for -f, column lists for ls -o, users for chown" {
	need_bash_completion
	touch somefile
	run bash_complete 'shm read -f some'
	assert_output "somefile"
	run bash_complete 'shm ls -o KEY,I'
	assert_output "KEY,ID"
	run bash_complete 'shm ls --output=+CP'
	assert_output "+CPID"
	run bash_complete 'shm ls -o key,i'
	assert_output "key,id"
	run bash_complete 'shm chown roo'
	assert_output "root"
	run bash_complete 'shm key some'
	assert_output "somefile"
}

# The huge page sizes of this machine as --hugetlb takes them (2M, 1G),
# one a line, ascending.
huge_sizes() {
	ls /sys/kernel/mm/hugepages 2>/dev/null |
	    sed -nE 's/^hugepages-([0-9]+)kB$/\1/p' | sort -n | awk '{
		if ($1 % 1048576 == 0) print $1 / 1048576 "G"
		else if ($1 % 1024 == 0) print $1 / 1024 "M"
		else print $1 "K"
	    }'
}

@test "completions: create --hugetlb= offers the huge page sizes the machine has" {
	local want
	want=$(huge_sizes)
	[[ -n $want ]] || skip "this machine has no huge pages"
	shells_missing || return 1
	run bash_complete 'shm create --hugetlb='
	assert_equal "$(sort <<<"$output")" "$(sort <<<"$want")"
	run zsh_adds huge_sizes ''
	assert_equal "$(sort <<<"$output")" "$(sort <<<"$want")"
	run fish_complete 'shm create --hugetlb='
	assert_equal "$output" "$(sed 's/^/--hugetlb=/' <<<"$want" | sort)"
}

@test "zsh and fish parse their completion files" {
	need_shell zsh
	need_shell fish
	run --separate-stderr zsh -n "$ZSH_COMP"
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr fish --no-execute "$FISH_COMP"
	assert_success
	assert_equal "$stderr" ""
}

@test "fish: live ids and keys, and the types for read -t" {
	need_shell fish
	local a
	a=$(shm create -k 0x91 -s 1)
	run fish_complete "shm rm -i "
	assert_output "$a"
	run fish_complete "shm rm --key="
	assert_output "--key=0x00000091"
	run fish_complete "shm read -t i6"
	assert_output "i64"
}

@test "docs: every row a test cites is in doc/diagnoses.md" {
	local table=$SRC/doc/diagnoses.md cited n bad=0
	[[ -f $table ]] || fail "doc/diagnoses.md is missing"
	# "row 3: ...", "(row 19)", "rows 10 and 12" in the tests' names.
	cited=$(sed -nE 's/^@test "(.*)" \{$/\1/p' "$SRC"/tests/*.bats |
	    grep -oE '\brows? [0-9]+((, | and | or )[0-9]+)*' |
	    grep -oE '[0-9]+' | sort -nu)
	[[ -n $cited ]] || fail "no test cites a row"
	for n in $cited; do
		grep -qE "^\| $n \| [^|]*[^ |][^|]* \|" "$table" ||
		    { echo "a test cites row $n; doc/diagnoses.md has none"; bad=1; }
	done
	# The rows are numbered 1, 2, 3... with none left out.
	assert_equal "$(sed -nE 's/^\| ([0-9]+) \|.*/\1/p' "$table" | xargs)" \
	    "$(seq "$(grep -cE '^\| [0-9]+ \|' "$table")" | xargs)"
	return "$bad"
}

@test "scripts/test without root or sudo: a plain message, exit 1, no traceback" {
	local tree=$SHM_TMP/tree bin=$SHM_TMP/bin
	mkdir -p "$tree/scripts"
	cp "$SRC/scripts/test" "$tree/scripts/"
	# The build is not what this is about.
	printf '#!/bin/sh\nexit 0\n' >"$tree/scripts/bootstrap"
	chmod -R a+rX,a+x "$tree/scripts"
	path_without "$bin" sudo
	chmod -R a+rX "$bin"
	run --separate-stderr as_nobody env PATH="$bin" "$tree/scripts/test"
	assert_failure 1
	assert_output ""
	[[ $stderr == "test: the behaviour suite needs root"*"sudo is not installed: run scripts/test as root" ]] ||
	    fail "scripts/test said: $stderr"
}

@test "bash: rm after a filter offers no selector, after a selector no filter" {
	need_bash_completion
	run bash_complete 'shm rm --all --'
	assert_equal "$(xargs <<<"$output")" \
	    "--all --dry-run --help --older-than --orphaned --owner"
	run bash_complete 'shm rm --orphaned --owner root --'
	refute_line -- --key
	refute_line -- --force
	run bash_complete 'shm rm -k 0x1 --'
	assert_equal "$(xargs <<<"$output")" \
	    "--dry-run --file --force --help --id --key --posix --proj"
	run bash_complete 'shm rm -F --'
	refute_line -- --all
	refute_line -- --orphaned
}

@test "bash: ids are offered in numeric order" {
	need_bash_completion
	{
		head -n 1 /proc/sysvipc/shm
		for id in 10 9 32768 100; do
			echo "16 $id 600 1 100 0 0 0 0 0 0 0 0 1700000000 4096 0"
		done
	} >fake
	SHM_PROC_SYSVIPC=$PWD/fake run bash_complete 'shm rm -i '
	assert_equal "$(xargs <<<"$output")" "9 10 100 32768"
}

@test "zsh: ls -o offers the column names, in the case begun" {
	need_shell zsh
	run zsh_adds columns ''
	assert_equal "${#lines[@]}" 22
	assert_line KEY
	assert_line CTIME
	run zsh_adds columns 'key,i'
	assert_equal "${#lines[@]}" 22
	assert_line key
	assert_line id
	refute_line ID
	run zsh_adds columns '+CP'
	assert_line CPID
	refute_line cpid
}

@test "zsh: rm after a filter offers no selector, after a selector no filter" {
	need_shell zsh
	local o names='-k --key -f --file -p --proj -i --id -F --force'
	local filters='--all --orphaned --owner --older-than' excl
	run zsh_excludes rm
	assert_success
	for o in $filters; do
		excl=$(sed -n "s/^$o //p" <<<"$output")
		excl_all "$o" "$excl" $names || return 1
	done
	for o in $names; do
		excl=$(sed -n "s/^$o //p" <<<"$output")
		excl_all "$o" "$excl" $filters || return 1
	done
}

@test "zsh: ids are offered in numeric order" {
	need_shell zsh
	{
		head -n 1 /proc/sysvipc/shm
		for id in 10 9 32768 100; do
			echo "16 $id 600 1 100 0 0 0 0 0 0 0 0 1700000000 4096 0"
		done
	} >fake
	SHM_PROC_SYSVIPC=$PWD/fake run zsh_adds ids ''
	assert_success
	# In this order, in a group zsh shows unsorted.
	assert_equal "$(xargs <<<"$output")" "-V 9 10 100 32768"
}

@test "bash: -P offers the POSIX objects of /dev/shm, with their /" {
	need_bash_completion
	local n=shmtest.${SHM_TMP##*.}
	"$SHM_BIN" create -P "$n" -s 1
	run bash_complete "shm read -P /shmtest.${SHM_TMP##*.}"
	rm -f "/dev/shm/$n"
	assert_output "/$n"
}

@test "fish: ls -o offers the column names, in the case begun" {
	need_shell fish
	run fish_complete 'shm ls -o '
	# those of System V segments, then NAME NPROCS MTIME of POSIX objects
	assert_equal "${#lines[@]}" 25
	assert_line KEY
	assert_line CTIME
	run fish_complete 'shm ls -o key,i'
	assert_output "key,id"
	run fish_complete 'shm ls --output=+CP'
	assert_output "--output=+CPID"
}

@test "fish: each value has a description of its own, not the option's" {
	need_shell fish
	local line
	shm create -k 0x92 -s 1 >/dev/null
	shm create -k 0x93 -s 2 >/dev/null
	for line in 'shm read -t ' 'shm ls -o ' 'shm rm -i ' 'shm rm -k '; do
		run fish --no-config -c 'source $argv[1]; complete -C $argv[2]' \
		    "$FISH_COMP" "$line"
		assert_success
		[[ ${#lines[@]} -ge 2 ]] || fail "'$line' offers: $output"
		assert_equal "$(cut -f2 <<<"$output" | sort -u | wc -l)" \
		    "${#lines[@]}"
	done
}

# Builds and installs the project once into $BATS_FILE_TMPDIR/dest, from a
# build directory of its own, configured with --prefix=/usr.
install_once() {
	local build=$BATS_FILE_TMPDIR/build dest=$BATS_FILE_TMPDIR/dest
	[[ -f $dest/.done ]] && return 0
	command -v meson >/dev/null || skip "meson is not installed"
	command -v scdoc >/dev/null || skip "scdoc is not installed"
	rm -rf "$build" "$dest"
	meson setup -Dtests=false -Dman-pages=enabled --prefix=/usr \
	    "$build" "$SRC" >"$BATS_FILE_TMPDIR/setup.log" 2>&1 ||
	    { cat "$BATS_FILE_TMPDIR/setup.log"; return 1; }
	meson install -C "$build" --destdir "$dest" \
	    >"$BATS_FILE_TMPDIR/install.log" 2>&1 ||
	    { cat "$BATS_FILE_TMPDIR/install.log"; return 1; }
	touch "$dest/.done"
}

@test "meson install --destdir puts the binary, the pages and the completions in place" {
	local dest=$BATS_FILE_TMPDIR/dest c bashdir
	install_once
	[[ -x $dest/usr/bin/shm ]]
	[[ -f $dest/usr/share/man/man1/shm.1 ]]
	for c in $(commands); do
		[[ -f $dest/usr/share/man/man1/shm-$c.1 ]] ||
		    { echo "no shm-$c.1 installed"; return 1; }
	done
	bashdir=/usr/share/bash-completion/completions
	if pkg-config --exists bash-completion 2>/dev/null; then
		bashdir=$(pkg-config --variable=completionsdir \
		    --define-variable=datadir=/usr/share bash-completion)
	fi
	cmp "$SRC/completions/bash/shm" "$dest$bashdir/shm"
	cmp "$SRC/completions/zsh/_shm" "$dest/usr/share/zsh/site-functions/_shm"
	cmp "$SRC/completions/fish/shm.fish" \
	    "$dest/usr/share/fish/vendor_completions.d/shm.fish"
	# Nothing lands outside the prefix.
	run bash -c "cd '$dest' && find . -type f ! -name .done | grep -v '^\./usr/'"
	assert_output ""
}

@test "each shell finds the installed completion where it looks" {
	local dest=$BATS_FILE_TMPDIR/dest
	install_once
	shells_missing || return 1
	# bash-completion loads a command's completion on first use
	# from XDG_DATA_DIRS/bash-completion/completions.
	run --separate-stderr bash -c '
		source "$2"
		XDG_DATA_DIRS=$1/usr/share \
		    BASH_COMPLETION_USER_DIR=/nonexistent \
		    __load_completion shm && complete -p shm' \
		    bash "$dest" "$BASH_COMPLETION_LIB"
	assert_success
	assert_output "complete -F _shm shm"
	run --separate-stderr zsh -f -c '
		fpath=($1/usr/share/zsh/site-functions $fpath)
		autoload -Uz compinit && compinit -u -D
		print -r -- $_comps[shm]' zsh "$dest"
	assert_success
	assert_output "_shm"
	# fish loads completions only for a command on the PATH.
	PATH=$dest/usr/bin:$PATH run --separate-stderr fish --no-config -c '
		set fish_complete_path $argv[1]/usr/share/fish/vendor_completions.d
		complete -C "shm r"' "$dest"
	assert_success
	assert_equal "$(cut -f1 <<<"$output" | xargs)" "read rm"
}

@test "every installed page is clean for mandoc -T lint and renders" {
	local dest=$BATS_FILE_TMPDIR/dest page n=0
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	install_once
	for page in "$dest"/usr/share/man/man1/*.1; do
		run --separate-stderr mandoc -T lint "$page"
		[[ $status -eq 0 && -z $output && -z $stderr ]] ||
		    { echo "$output$stderr"; return 1; }
		run --separate-stderr mandoc -T utf8 "$page"
		assert_success
		assert_equal "$stderr" ""
		# bold is overstruck: drop each character that a backspace undoes
		[[ ${output//?$'\b'/} == *"SEE ALSO"* ]]
		n=$((n + 1))
	done
	assert_equal "$n" "$(( $(commands | wc -l) + 1 ))"
}

@test "a --prefix=/usr/local build installs everything under /usr/local" {
	local build=$BATS_FILE_TMPDIR/local
	command -v meson >/dev/null || skip "meson is not installed"
	command -v scdoc >/dev/null || skip "scdoc is not installed"
	meson setup -Dtests=false -Dman-pages=enabled --prefix=/usr/local \
	    "$build" "$SRC" >/dev/null
	run meson introspect --installed "$build"
	assert_success
	[[ $output == *'"/usr/local/bin/shm"'* ]]
	[[ $output == *'"/usr/local/share/man/man1/shm.1"'* ]]
	[[ $output == *'"/usr/local/share/bash-completion/completions/shm"'* ]]
	[[ $output == *'"/usr/local/share/zsh/site-functions/_shm"'* ]]
	[[ $output == *'"/usr/local/share/fish/vendor_completions.d/shm.fish"'* ]]
	# every destination is under the prefix
	run bash -c "grep -oE '\"[^\"]*\": \"[^\"]*\"' | sed -E 's/.*\": \"//; s/\"\$//' |
	    grep -v '^/usr/local/'" <<<"$output"
	assert_output ""
}

@test "completions: --ns offers the pids (fish with their command), then the commands" {
	shells_missing || return 1
	sleep infinity 3>&- &
	pid=$!
	run bash_complete 'shm --ns '
	assert_line "$pid"
	run bash_complete "shm --ns=$pid l"
	assert_equal "$(xargs <<<"$output")" "limits lock ls"
	run bash_complete "shm --ns $pid ls --orph"
	assert_output "--orphaned"
	run fish --no-config -c 'source $argv[1]; complete -C $argv[2]' \
	    "$FISH_COMP" 'shm --ns '
	assert_line "$pid	sleep infinity"
	run fish_complete "shm --ns $pid met"
	assert_output metrics
	kill "$pid"
}
