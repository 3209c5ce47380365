#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mutation testing through the project's own build: apply each realistic
# bug of tests/mutants.txt, one at a time, to a copy of the distribution
# files, rebuild with make, and require that one of the Check programs of
# make check (every one of check_PROGRAMS, both backends) fails. TAP
# output, one line per mutant ("make check-mutants", from the build
# directory; .ci/run runs it).
#
# The copy is configured and built once (CFLAGS=-O1, no kernel tree); each
# mutant then costs the suites up to the first failing one, each rebuilt
# just before it runs: fastest first (as timed on the unmutated sources),
# except that the program that killed the last mutant goes first (mutants
# of one file follow each other, and the suite that catches one bug in a
# file usually catches the next). Every program still runs before a
# mutant is declared a survivor.
# MUTANT_JOBS sets make -j (default: the number of CPUs).
set -u
srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(pwd)
jobs=${MUTANT_JOBS:-$(nproc)}

# It takes no arguments; MUTANT_JOBS is a positive number of parallel jobs.
[ $# = 0 ] || { echo "mutants.sh: takes no arguments, not '$*' (MUTANT_JOBS sets the parallel builds)" >&2; exit 2; }
case "$jobs" in
''|*[!0-9]*|0*) echo "mutants.sh: MUTANT_JOBS must be a positive number, not '$jobs'" >&2; exit 2 ;;
esac
[ -f "$builddir/Makefile" ] ||
	{ echo "mutants.sh: run it from a configured build directory (make check-mutants)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src
build=$tmp/build
mk() { make -s -C "$build" -j"$jobs" "$@"; }
bail() { echo "Bail out! $*"; exit 1; }

echo "# the distribution files, configured and built once (CFLAGS=-O1)"
make -s -C "$builddir" distdir distdir="$src" > "$tmp/dist.log" 2>&1 ||
	bail "make distdir failed: $(tail -n 3 "$tmp/dist.log")"
# each mutant is undone from this copy (not from the source directory,
# which may change while the run goes on)
cp -a "$src" "$tmp/orig"
mkdir -p "$build"
(cd "$build" && "$src/configure" --without-linux CFLAGS="-O1 -g0" \
	> "$tmp/configure.log" 2>&1) ||
	bail "configure of the copy failed: $(tail -n 3 "$tmp/configure.log")"
mk check TESTS= > "$tmp/build.log" 2>&1 ||
	bail "the unmutated sources do not build: $(grep -m 3 error "$tmp/build.log")"

# run PROGRAM as make check's AM_TESTS_ENVIRONMENT does, silently (without
# make, whose check target would first look over every program again)
run() {
	(cd "$build" && env srcdir="$src" CK_VERBOSITY=silent \
		CK_TAP_LOG_FILE_NAME=- CK_DEFAULT_TIMEOUT=120 "./$1") \
		> /dev/null 2>&1
}

echo "# baseline: every Check program passes on the unmutated sources"
for p in $(mk list-check-programs); do
	t0=$(date +%s%N)
	run "$p" || bail "the unmutated sources fail $p"
	echo "$(( ($(date +%s%N) - t0) / 1000000 )) $p"
done | sort -n | cut -d' ' -f2 > "$tmp/programs"
[ -s "$tmp/programs" ] || bail "make list-check-programs named no program"
echo "# $(wc -l < "$tmp/programs") programs, fastest first"

n=0 fails=0
while read -r line; do
	file=${line%% %% *}
	rest=${line#* %% }
	subst=${rest%% %% *}
	what=${rest#* %% }
	n=$((n + 1))
	perl -0pi -e "$subst" "$src/$file"
	if cmp -s "$tmp/orig/$file" "$src/$file"; then
		echo "not ok $n - $what: the mutation does not apply to $file"
		fails=$((fails + 1))
		continue
	fi
	# Each program is rebuilt just before it runs, so that a mutant
	# killed early costs only the programs up to its killer; the rest
	# are rebuilt with the next mutant that needs them (make sees the
	# restored file as new).
	killer= broken=
	while read -r p; do
		mk "$p" > "$tmp/build.log" 2>&1 || { broken=$p; break; }
		run "$p" || { killer=$p; break; }
	done < "$tmp/programs"
	if [ -n "$broken" ]; then
		echo "not ok $n - $what: the mutant does not build ($broken)"
		grep -m 5 error "$tmp/build.log" | sed 's/^/# /'
		fails=$((fails + 1))
	elif [ -n "$killer" ]; then
		echo "ok $n - killed: $what ($file; $killer fails)"
		{ echo "$killer"; grep -vxF "$killer" "$tmp/programs"; } > "$tmp/programs.next"
		mv "$tmp/programs.next" "$tmp/programs"
	else
		echo "not ok $n - SURVIVED: $what ($file)"
		fails=$((fails + 1))
	fi
	cp -p "$tmp/orig/$file" "$src/$file"
	touch "$src/$file"
done < <(grep -v "^#" "$tmp/orig/tests/mutants.txt" | grep .)
echo "1..$n"
[ $fails = 0 ]
