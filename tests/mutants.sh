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
# A copy is configured and built once (CFLAGS=-O1, no kernel tree); each
# mutant then costs the suites up to the first failing one, each rebuilt
# just before it runs: fastest first (as timed on the unmutated sources),
# except that the program that killed the last mutant goes first (mutants
# of one file follow each other, and the suite that catches one bug in a
# file usually catches the next). Every program still runs before a
# mutant is declared a survivor.
# MUTANT_JOBS mutants are tried at a time (default: the number of CPUs),
# each in a copy of its own, built once and then one mutant after another:
# a worker takes the next file's mutants as a whole (they share their
# killer). The TAP lines come out in tests/mutants.txt's order.
set -u
srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(pwd)
jobs=${MUTANT_JOBS:-$(nproc)}

# It takes no arguments; MUTANT_JOBS is a positive number of workers.
[ $# = 0 ] || { echo "mutants.sh: takes no arguments, not '$*' (MUTANT_JOBS sets the parallel workers)" >&2; exit 2; }
case "$jobs" in
''|*[!0-9]*|0*) echo "mutants.sh: MUTANT_JOBS must be a positive number, not '$jobs'" >&2; exit 2 ;;
esac
[ -f "$builddir/Makefile" ] ||
	{ echo "mutants.sh: run it from a configured build directory (make check-mutants)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bail() { echo "Bail out! $*"; exit 1; }

echo "# the distribution files, configured and built once per worker (CFLAGS=-O1)"
make -s -C "$builddir" distdir distdir="$tmp/orig" > "$tmp/dist.log" 2>&1 ||
	bail "make distdir failed: $(tail -n 3 "$tmp/dist.log")"
# the mutants, one per line as "NUMBER FILE %% SUBST %% WHAT"
grep -v "^#" "$tmp/orig/tests/mutants.txt" | grep . | nl -w1 -s' ' > "$tmp/mutants"
n=$(wc -l < "$tmp/mutants")
# the work: one line per file, the numbers of its mutants, in order
awk '{ f = $2; if (!(f in at)) { at[f] = ++nf; name[nf] = f }
	list[at[f]] = list[at[f]] " " $1 }
	END { for (i = 1; i <= nf; i++) print list[i] }' "$tmp/mutants" > "$tmp/work"
echo 0 > "$tmp/next"
mkdir "$tmp/result"

# W's copy of the sources (each mutant is undone from $tmp/orig, not from
# the source directory, which may change while the run goes on) and its
# build; mk TARGET... builds in it
setup() {
	local w=$1
	{ cp -a "$tmp/orig" "$tmp/$w/src" && mkdir "$tmp/$w/build"; } ||
		{ echo "cannot copy the distribution files to $tmp/$w"; return 1; }
	(cd "$tmp/$w/build" && "$tmp/$w/src/configure" --without-linux \
		CFLAGS="-O1 -g0" > "$tmp/$w/configure.log" 2>&1) ||
		{ echo "configure of the copy failed: $(tail -n 3 "$tmp/$w/configure.log")"; return 1; }
	make -s -C "$tmp/$w/build" check TESTS= > "$tmp/$w/build.log" 2>&1 ||
		{ echo "the unmutated sources do not build: $(grep -m 3 error "$tmp/$w/build.log")"; return 1; }
}

# run W PROGRAM as make check's AM_TESTS_ENVIRONMENT does, silently
# (without make, whose check target would first look over every program)
run() {
	(cd "$tmp/$1/build" && env srcdir="$tmp/$1/src" CK_VERBOSITY=silent \
		CK_TAP_LOG_FILE_NAME=- CK_DEFAULT_TIMEOUT=120 "./$2" < /dev/null) \
		> /dev/null 2>&1
}

# the next line of $tmp/work, or nothing when there is none
take() {
	local i
	exec 9> "$tmp/next.lock"
	flock 9
	i=$(($(cat "$tmp/next") + 1))
	echo "$i" > "$tmp/next"
	flock -u 9
	sed -n "${i}p" "$tmp/work"
}

# mutant W NUMBER: apply it in W's copy, write its TAP line to
# $tmp/result/NUMBER, undo it. Each program is rebuilt just before it
# runs, so that a mutant killed early costs only the programs up to its
# killer; the rest are rebuilt with the next mutant that needs them (make
# sees the restored file as new).
mutant() {
	local w=$1 m=$2 line file rest subst what killer='' broken='' p
	line=$(sed -n "${m}p" "$tmp/mutants")
	line=${line#* }
	file=${line%% %% *}
	rest=${line#* %% }
	subst=${rest%% %% *}
	what=${rest#* %% }
	perl -0pi -e "$subst" "$tmp/$w/src/$file"
	if cmp -s "$tmp/orig/$file" "$tmp/$w/src/$file"; then
		echo "not ok $m - $what: the mutation does not apply to $file"
		return
	fi
	while read -r p; do
		make -s -C "$tmp/$w/build" "$p" > "$tmp/$w/build.log" 2>&1 ||
			{ broken=$p; break; }
		run "$w" "$p" || { killer=$p; break; }
	done < "$tmp/$w/programs"
	if [ -n "$broken" ]; then
		echo "not ok $m - $what: the mutant does not build ($broken)"
		grep -m 5 error "$tmp/$w/build.log" | sed 's/^/# /'
	elif [ -n "$killer" ]; then
		echo "ok $m - killed: $what ($file; $killer fails)"
		{ echo "$killer"; grep -vxF "$killer" "$tmp/$w/programs"; } > "$tmp/$w/programs.next"
		mv "$tmp/$w/programs.next" "$tmp/$w/programs"
	else
		echo "not ok $m - SURVIVED: $what ($file)"
	fi
	cp -p "$tmp/orig/$file" "$tmp/$w/src/$file"
	touch "$tmp/$w/src/$file"
} > "$tmp/result/$2"

worker() {
	local w=$1 ms m
	cp "$tmp/programs" "$tmp/$w/programs"
	while ms=$(take) && [ -n "$ms" ]; do
		for m in $ms; do mutant "$w" "$m"; done
	done
}

workers=$jobs
[ "$workers" -le "$(wc -l < "$tmp/work")" ] || workers=$(wc -l < "$tmp/work")
for w in $(seq "$workers"); do
	mkdir "$tmp/$w"
	setup "$w" > "$tmp/$w/setup.err" &
done
wait
for w in $(seq "$workers"); do
	[ -s "$tmp/$w/setup.err" ] && bail "$(cat "$tmp/$w/setup.err")"
done

echo "# baseline: every Check program passes on the unmutated sources"
for p in $(make -s -C "$tmp/1/build" list-check-programs); do
	t0=$(date +%s%N)
	run 1 "$p" || bail "the unmutated sources fail $p"
	echo "$(( ($(date +%s%N) - t0) / 1000000 )) $p"
done | sort -n | cut -d' ' -f2 > "$tmp/programs"
[ -s "$tmp/programs" ] || bail "make list-check-programs named no program"
echo "# $(wc -l < "$tmp/programs") programs, fastest first; $n mutants, $workers at a time"

for w in $(seq "$workers"); do worker "$w" & done
wait
fails=0
for m in $(seq "$n"); do
	[ -s "$tmp/result/$m" ] || echo "not ok $m - no result (a worker stopped)" > "$tmp/result/$m"
	cat "$tmp/result/$m"
	head -n 1 "$tmp/result/$m" | grep -q "^ok " || fails=$((fails + 1))
done
echo "1..$n"
[ $fails = 0 ]
