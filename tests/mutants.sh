#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mutation testing: apply each realistic bug of tests/mutants.txt to a copy
# of the sources, build every Check suite for both backends, and require
# that some suite fails. TAP output, one line per mutant ("make
# check-mutants"; .ci/run runs it). CHECK_CFLAGS/CHECK_LIBS come from
# configure, or pkg-config.
set -u
srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
CC=${CC:-gcc}
CHECK_CFLAGS=${CHECK_CFLAGS:-$(pkg-config --cflags check)}
CHECK_LIBS=${CHECK_LIBS:-$(pkg-config --libs check)}
suites="contracts unmap swap_batch pte_batch pte_bits costs equivalence mutators contpte"
jobs=${MUTANT_JOBS:-$(nproc)}

# It takes no arguments; MUTANT_JOBS is a positive number of parallel builds.
[ $# = 0 ] || { echo "mutants.sh: takes no arguments, not '$*' (MUTANT_JOBS sets the parallel builds)" >&2; exit 2; }
case "$jobs" in
''|*[!0-9]*|0*) echo "mutants.sh: MUTANT_JOBS must be a positive number, not '$jobs'" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# build_and_run TREE: 0 if every suite passes on both backends
build_and_run() {
	local tree=$1 arch objs cmds s
	for arch in x86 arm64; do
		mkdir -p "$tmp/obj-$arch"
		rm -f "$tmp/obj-$arch"/*
		cmds=$tmp/cmds-$arch
		: > "$cmds"
		objs=
		for c in tests/harness.c tests/model/world.c tests/model/ttu_6_12.c \
			 tests/model/ttu_batched.c include/shim/*.c \
			 $([ $arch = arm64 ] && echo arch/arm64/mm/contpte.c) \
			 $(for s in $suites; do echo tests/check_$s.c; done); do
			o=$tmp/obj-$arch/$(echo "$c" | tr / _).o
			echo "$CC -std=gnu11 -O1 -w -DCONFIG_DEBUG_VM -I$tree/include -I$tree/lib -I$tree/arch/$arch/include -I$tree/tests $CHECK_CFLAGS -c $tree/$c -o $o" >> "$cmds"
			case "$c" in tests/check_*) ;; *) objs="$objs $o" ;; esac
		done
		xargs -P "$jobs" -I{} sh -c '{}' < "$cmds" 2> "$tmp/cc.err" || return 2
		for s in $suites; do
			$CC -o "$tmp/obj-$arch/check_$s" \
				"$tmp/obj-$arch/tests_check_$s.c.o" $objs \
				$CHECK_LIBS 2>> "$tmp/cc.err" || return 2
		done
	done
	for s in $suites; do
		for arch in x86 arm64; do
			CK_VERBOSITY=silent CK_DEFAULT_TIMEOUT=120 \
				"$tmp/obj-$arch/check_$s" > /dev/null 2>&1 ||
				{ echo "$arch/check_$s"; return 1; }
		done
	done
	return 0
}

n=0 fails=0
echo "# baseline: the unmutated sources"
if ! build_and_run "$srcdir" > "$tmp/which"; then
	echo "Bail out! the unmutated sources fail or do not build: $(cat "$tmp/which") $(head -n 3 "$tmp/cc.err")"
	exit 1
fi
while read -r line; do
	file=${line%% %% *}
	rest=${line#* %% }
	subst=${rest%% %% *}
	what=${rest#* %% }
	n=$((n + 1))
	rm -rf "$tmp/tree"
	mkdir -p "$tmp/tree"
	(cd "$srcdir" && cp -r include lib arch tests "$tmp/tree/")
	perl -0pi -e "$subst" "$tmp/tree/$file"
	if cmp -s "$srcdir/$file" "$tmp/tree/$file"; then
		echo "not ok $n - $what: the mutation does not apply to $file"
		fails=$((fails + 1))
		continue
	fi
	build_and_run "$tmp/tree" > "$tmp/which"
	case $? in
	1) echo "ok $n - killed: $what ($file; $(cat "$tmp/which") fails)" ;;
	2) echo "not ok $n - $what: the mutant does not build"
	   sed 's/^/# /' "$tmp/cc.err" | head -n 5
	   fails=$((fails + 1)) ;;
	*) echo "not ok $n - SURVIVED: $what ($file)"
	   fails=$((fails + 1)) ;;
	esac
done < <(grep -v '^#' "$srcdir/tests/mutants.txt" | grep .)
echo "1..$n"
[ $fails = 0 ]
