#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every tool rejects bad arguments: a non-zero exit, a message that names
# the problem, and no partial output. TAP output; run by make check from the
# build directory (srcdir from Automake, the test programs already built).
#
#  - kernel-glue/gen-series and kernel-glue/check-series: unknown options,
#    an option without its value, bad values, a missing tree;
#  - kernel-glue/splice.pl and kernel-glue/check-copies: usage, missing
#    files, an anchor that is missing or not unique, a bad fragment; the
#    target file is left as it was;
#  - tests/mutants.sh: arguments (it takes none), a bad MUTANT_JOBS;
#  - tests/kernel/run-kernel-test: unknown options, an option without its
#    value, bad values, a missing tree or series;
#  - the bench programs (tests/bench/<arch>/bench) and make bench: bad
#    options and values, an unwritable output file;
#  - the Check harness (every tests/<arch>/check_* program): arguments, a
#    bad PTEBATCH_SEED or PTEBATCH_ITERATIONS, and the fuzz replay suites'
#    PTB_FUZZ_CORPUS;
#  - make fuzz / check-valgrind / coverage with bad settings;
#  - configure with a bad --enable-* value.
# None of these cases needs a kernel tree; each tool must fail before doing
# any work, so a hang is a failure too (every run is bounded by timeout).
set -u

srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(pwd)
glue=$srcdir/kernel-glue
MAKE=${MAKE:-make}
export srcdir builddir glue MAKE

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/tap.sh
. "$srcdir/tests/tap.sh"

# expect_reject WHAT PATTERN CMD...: CMD exits non-zero and its output
# (stdout and stderr) matches the extended regex PATTERN. A CMD still
# running after $reject_limit s hangs instead of refusing: the limit only
# catches that, and is far above what a refusal takes on a loaded machine
# (configure's refusals come after its compiler checks: over 60 s once,
# beside two kernel builds).
reject_limit=600
expect_reject() {
	local what=$1 pattern=$2 rc
	shift 2
	# the shell functions below are exported for this bash -c
	timeout $reject_limit bash -c '"$@"' bash "$@" > "$tmp/out" 2>&1 < /dev/null
	rc=$?
	if [ $rc = 0 ]; then
		not_ok "$what: exit status 0"
	elif [ $rc = 124 ]; then
		not_ok "$what: still running after $reject_limit s instead of refusing"
	elif ! grep -Eq -- "$pattern" "$tmp/out"; then
		not_ok "$what: the message does not name the problem (/$pattern/)"
	else
		ok "$what: exit $rc, '$(grep -E -m1 -- "$pattern" "$tmp/out" | cut -c1-100)'"
		return
	fi
	sed 's/^/# /' "$tmp/out" | head -n 8
}

# check WHAT CMD...: CMD succeeds

# --- kernel-glue/gen-series ------------------------------------------------
gen() {
	bash "$glue/gen-series" --target "$glue/${KERNEL_TARGET:-linux-6.12}" --lib "$srcdir/lib" "$@"
}
export -f gen
mkdir -p "$tmp/faketree"
out=$tmp/gen-out
expect_reject "gen-series: unknown option" "unknown argument '--bogus'" \
	gen --bogus --tree "$tmp/faketree" --out "$out"
expect_reject "gen-series: option without a value" "--out.*(needs|requires|missing).*value" \
	gen --tree "$tmp/faketree" --out
expect_reject "gen-series: option with an empty value" "no output directory \(--out\)" \
	gen --tree "$tmp/faketree" --out ''
expect_reject "gen-series: missing glue target" "no glue target directory \(--target\)" \
	bash "$glue/gen-series" --target "$tmp/nothing" --lib "$srcdir/lib" \
	--tree "$tmp/faketree" --out "$out"
expect_reject "gen-series: missing lib/" "no lib/ directory \(--lib\)" \
	bash "$glue/gen-series" --target "$glue/${KERNEL_TARGET:-linux-6.12}" --lib "$tmp/nothing" \
	--tree "$tmp/faketree" --out "$out"
expect_reject "gen-series: missing kernel tree" "kernel tree '$tmp/no-tree' does not exist" \
	gen --tree "$tmp/no-tree" --out "$out" --signoff "A U Thor <a@example.org>"
expect_reject "gen-series: bad Signed-off-by" "'nobody' is not 'Name <email>'" \
	gen --tree "$tmp/faketree" --out "$out" --signoff nobody
check "gen-series: no output directory left by any bad argument" test ! -e "$out"

# --- kernel-glue/check-series ----------------------------------------------
out=$tmp/check-out
mkdir -p "$tmp/patches"
: > "$tmp/patches/0001-x.patch"
cs() { bash "$glue/check-series" "$@"; }
export -f cs
expect_reject "check-series: unknown option" "unknown argument '--bogus'" \
	cs --bogus --tree "$tmp/faketree" --patches "$tmp/patches" --out "$out"
expect_reject "check-series: option without a value" "--jobs.*(needs|requires|missing).*value" \
	cs --tree "$tmp/faketree" --patches "$tmp/patches" --out "$out" --jobs
expect_reject "check-series: --jobs not a number" "--jobs.*'many'" \
	cs --tree "$tmp/faketree" --patches "$tmp/patches" --out "$out" --jobs many
expect_reject "check-series: --jobs 0" "--jobs.*'0'" \
	cs --tree "$tmp/faketree" --patches "$tmp/patches" --out "$out" --jobs 0
expect_reject "check-series: missing kernel tree" "kernel tree '$tmp/no-tree' does not exist" \
	cs --tree "$tmp/no-tree" --patches "$tmp/patches" --out "$out"
expect_reject "check-series: no patch series" "no patch series in '$tmp/nothing'" \
	cs --tree "$tmp/faketree" --patches "$tmp/nothing" --out "$out"
check "check-series: no output directory left by any bad argument" test ! -e "$out"

# --- kernel-glue/splice.pl -------------------------------------------------
frag=$tmp/frag.c
printf '/* SPDX-License-Identifier: GPL-2.0 */\n/* ptebatch: test. */\n\nint spliced;\n' > "$frag"
printf 'int a(void)\n{\n\treturn 0;\n}\n\nint b(void)\n{\n\treturn 1;\n}\n' > "$tmp/target.c"
printf 'no header\n' > "$tmp/bad-frag.c"
cp "$tmp/target.c" "$tmp/target.orig"
sp() { perl "$glue/splice.pl" "$@"; }
export -f sp
expect_reject "splice.pl: no arguments" "usage: splice.pl" sp
expect_reject "splice.pl: unknown mode" "usage: splice.pl" sp sideways "$tmp/target.c" 'int a' "$frag"
expect_reject "splice.pl: too few arguments" "usage: splice.pl" sp after-function "$tmp/target.c" 'int a'
expect_reject "splice.pl: missing file" "cannot read $tmp/nothing.c" \
	sp after-function "$tmp/nothing.c" 'int a' "$frag"
expect_reject "splice.pl: missing fragment" "cannot read $tmp/nothing-frag.c" \
	sp after-function "$tmp/target.c" 'int a' "$tmp/nothing-frag.c"
expect_reject "splice.pl: fragment without its header" "no SPDX \+ 'ptebatch:' header" \
	sp after-function "$tmp/target.c" 'int a' "$tmp/bad-frag.c"
expect_reject "splice.pl: anchor not found" "no line starts with 'int c'" \
	sp after-function "$tmp/target.c" 'int c' "$frag"
expect_reject "splice.pl: anchor not unique" "2 lines start with 'int '" \
	sp before-function "$tmp/target.c" 'int ' "$frag"
check "splice.pl: the target file is unchanged after every refusal" \
	cmp -s "$tmp/target.c" "$tmp/target.orig"
check "splice.pl: no temporary file left" \
	bash -c "! ls '$tmp'/target.c.splice.* >/dev/null 2>&1"

# --- kernel-glue/splice.pl sync --------------------------------------------
printf 'int a(void)\n{\n\treturn 2;\n}\n\nint c(void)\n{\n\treturn 3;\n}\n' > "$tmp/lib.c"
printf 'int z(void)\n{\n\treturn 0;\n}\n' > "$tmp/lib-first.c"
expect_reject "splice.pl sync: too few arguments" "usage: splice.pl sync" \
	sp sync "$tmp/target.c" "$tmp/lib.c"
expect_reject "splice.pl sync: a name the library file does not define" \
	"does not define nope" sp sync "$tmp/target.c" "$tmp/lib.c" nope
expect_reject "splice.pl sync: a new first definition, nothing to put it after" \
	"z is the first definition" sp sync "$tmp/target.c" "$tmp/lib-first.c" z
check "splice.pl sync: the target file is unchanged after every refusal" \
	cmp -s "$tmp/target.c" "$tmp/target.orig"

# --- kernel-glue/check-copies ------------------------------------------------
chkc() { perl "$glue/check-copies" "$@"; }
export -f chkc
printf 'parts lib.c pristine target.c\n' > "$tmp/manifest"
expect_reject "check-copies: no manifest" "no manifest" \
	chkc --root "$tmp" --expect "$tmp/exp" --pristine "$tmp"
expect_reject "check-copies: unknown option" "unknown argument '--frobnicate'" \
	chkc --frobnicate x
printf 'copy lib.c pristine target.c\n' > "$tmp/manifest-kind"
expect_reject "check-copies: a manifest line of an unknown kind" "unknown kind 'copy'" \
	chkc --manifest "$tmp/manifest-kind" --root "$tmp" --expect "$tmp/exp" --pristine "$tmp"
printf 'parts lib.c upstream target.c\n' > "$tmp/manifest-against"
expect_reject "check-copies: AGAINST neither pristine nor patched" \
	"AGAINST must be pristine or patched, not 'upstream'" \
	chkc --manifest "$tmp/manifest-against" --root "$tmp" --expect "$tmp/exp" --pristine "$tmp"
printf 'parts lib.c patched target.c\n' > "$tmp/manifest-patched"
expect_reject "check-copies: a patched copy without --patched" "no --patched tree" \
	chkc --manifest "$tmp/manifest-patched" --root "$tmp" --expect "$tmp/exp" --pristine "$tmp"
printf 'parts lib.c pristine no-such.c\n' > "$tmp/manifest-missing"
expect_reject "check-copies: a tree file the tree lacks" "the tree has no no-such.c" \
	chkc --manifest "$tmp/manifest-missing" --root "$tmp" --expect "$tmp/exp" --pristine "$tmp"
expect_reject "check-copies: a copy that differs, none listed" "lib.c is not what the pristine tree's target.c is" \
	chkc --manifest "$tmp/manifest" --root "$tmp" --expect "$tmp/exp" --pristine "$tmp"
check "check-copies: nothing written without --update" test ! -e "$tmp/exp"

# --- tests/mutants.sh ------------------------------------------------------
expect_reject "mutants.sh: an argument (it takes none)" "mutants.sh.*(no arguments|argument)" \
	env srcdir="$srcdir" bash "$srcdir/tests/mutants.sh" --fast
expect_reject "mutants.sh: MUTANT_JOBS not a number" "MUTANT_JOBS.*'lots'" \
	env srcdir="$srcdir" MUTANT_JOBS=lots bash "$srcdir/tests/mutants.sh"

# --- tests/kernel/run-kernel-test (make kernel-test) ------------------------
rkt() {
	bash "$srcdir/tests/kernel/run-kernel-test" --srcdir "$srcdir" "$@"
}
export -f rkt
out=$tmp/rkt-out
mkdir -p "$tmp/rkt-patches"
: > "$tmp/rkt-patches/0001-x.patch"
rkt_ok_args="--tree $tmp/faketree --patches $tmp/rkt-patches --out $out"
expect_reject "run-kernel-test: unknown option" "unknown argument '--bogus'" \
	rkt $rkt_ok_args --bogus
expect_reject "run-kernel-test: option without a value" "--mode needs a value" \
	rkt $rkt_ok_args --mode
expect_reject "run-kernel-test: bad --arch" "--arch must be x86, arm64 or both, not 'sparc'" \
	rkt $rkt_ok_args --arch sparc
expect_reject "run-kernel-test: bad --mode" "--mode must be quick, full or profile, not 'slow'" \
	rkt $rkt_ok_args --mode slow
expect_reject "run-kernel-test: --jobs 0" "positive number, not '0'" \
	rkt $rkt_ok_args --jobs 0
expect_reject "run-kernel-test: --runs not a number" "positive number, not 'few'" \
	rkt $rkt_ok_args --runs few
expect_reject "run-kernel-test: bad --sizes" "'3K' is not a folio size" \
	rkt $rkt_ok_args --sizes "4K 3K"
expect_reject "run-kernel-test: missing kernel tree" "kernel tree '$tmp/no-tree' does not exist" \
	rkt --tree "$tmp/no-tree" --patches "$tmp/rkt-patches" --out "$out"
expect_reject "run-kernel-test: no patch series" "no patch series in '$tmp/nothing'" \
	rkt --tree "$tmp/faketree" --patches "$tmp/nothing" --out "$out"
check "run-kernel-test: no output directory left by any bad argument" test ! -e "$out"

# The patched tree really is patched when OUT lies inside a git work tree
# (make kernel-test's default kernel-build/ktest in a clone): git apply there
# once skipped every patch in silence. A fake tree stops the run at the
# selftests step, after the sources are made.
nest=$tmp/rkt-nest
mkdir -p "$nest/tree/mm" "$nest/patches" "$nest/repo"
printf 'kernelversion:\n\t@echo 6.12.117\n' > "$nest/tree/Makefile"
printf 'int a;\n' > "$nest/tree/mm/a.c"
printf '%s\n' 'diff --git a/mm/a.c b/mm/a.c' '--- a/mm/a.c' '+++ b/mm/a.c' \
	'@@ -1 +1,2 @@' ' int a;' '+int b;' > "$nest/patches/0001-add-b.patch"
git -C "$nest/repo" init -q
if command -v qemu-system-x86_64 > /dev/null && command -v flex > /dev/null &&
   command -v bison > /dev/null && command -v bc > /dev/null; then
	timeout $reject_limit bash "$srcdir/tests/kernel/run-kernel-test" --srcdir "$srcdir" \
		--tree "$nest/tree" --patches "$nest/patches" \
		--out "$nest/repo/kb" --arch x86 --mode quick --jobs 1 \
		> "$tmp/out" 2>&1 < /dev/null
	check "run-kernel-test: OUT inside a git work tree still gets a patched tree" \
		grep -qx 'int b;' "$nest/repo/kb/src/patched/mm/a.c"
	check "run-kernel-test: ... and leaves the vanilla tree alone" \
		test "$(cat "$nest/tree/mm/a.c" "$nest/repo/kb/src/vanilla/mm/a.c")" = "$(printf 'int a;\nint a;')"
else
	n=$((n + 1)); echo "ok $n # SKIP run-kernel-test in a git work tree: qemu-system-x86_64, flex, bison or bc missing"
	n=$((n + 1)); echo "ok $n # SKIP (the same)"
fi

# --- the bench programs (make bench) ---------------------------------------
for arch in x86 arm64; do
	prog=$builddir/tests/bench/$arch/bench
	if [ ! -x "$prog" ]; then
		not_ok "bench ($arch): $prog is not built"
		continue
	fi
	export prog
	csv=$tmp/bench-$arch.csv
	expect_reject "bench ($arch): unknown option" "unknown option '--bogus'" \
		"$prog" --csv="$csv" --bogus
	expect_reject "bench ($arch): option without a value" "option '--repeats' needs an argument" \
		"$prog" --csv="$csv" --repeats
	expect_reject "bench ($arch): --repeats not a number" "invalid --repeats 'many'" \
		"$prog" --csv="$csv" --repeats=many
	expect_reject "bench ($arch): --repeats=0" "invalid --repeats '0'" \
		"$prog" --csv="$csv" --repeats=0
	expect_reject "bench ($arch): --ptes negative" "invalid --ptes '-1'" \
		"$prog" --csv="$csv" --ptes=-1
	expect_reject "bench ($arch): unknown folio size" "unknown folio size '3K'" \
		"$prog" --csv="$csv" --sizes=64K,3K
	expect_reject "bench ($arch): empty list" "empty list of shapes" \
		"$prog" --csv="$csv" --shapes=,
	expect_reject "bench ($arch): unknown kind" "unknown kind 'file'" \
		"$prog" --csv="$csv" --kind=file
	expect_reject "bench ($arch): unknown op" "unknown op 'zap'" \
		"$prog" --op=zap --csv="$csv"
	expect_reject "bench ($arch): --kind with a move" "--kind and --deferred are for --op=unmap" \
		"$prog" --op=move --kind=lazyfree --csv="$csv"
	expect_reject "bench ($arch): --helpers with an op" "--helpers times the batch detection; it takes no --op" \
		"$prog" --op=move-swapped --helpers --csv="$csv"
	expect_reject "bench ($arch): an argument" "unexpected argument 'now'" \
		"$prog" --csv="$csv" now
	expect_reject "bench ($arch): unwritable --csv" "cannot write '$tmp/nothing/b.csv'" \
		"$prog" --csv="$tmp/nothing/b.csv" --sizes=4K --repeats=1 --ptes=64
	check "bench ($arch): no CSV written after any refusal" test ! -e "$csv"
	check "bench ($arch): nothing on stdout after a refusal" \
		bash -c '! "$prog" --repeats=x 2>/dev/null | grep -q .'
done

# --- the Check harness: every tests/<arch>/check_* program ----------------
prog=$builddir/tests/x86/check_pte_batch
if [ -x "$prog" ]; then
	run_suite() { env CK_TAP_LOG_FILE_NAME=- CK_VERBOSITY=silent "$@" "$prog"; }
	export prog
	export -f run_suite
	no_tap() {
		if grep -Eq '^(not )?ok ' "$tmp/out"; then
			not_ok "$1: tests ran (partial output)"
		else
			ok "$1: no test ran"
		fi
	}
	expect_reject "harness: an argument" "check_pte_batch.*(no arguments|argument)" \
		"$prog" --seed 1
	no_tap "harness: an argument"
	expect_reject "harness: PTEBATCH_SEED not a number" "PTEBATCH_SEED.*'0xzz'" \
		run_suite PTEBATCH_SEED=0xzz
	no_tap "harness: PTEBATCH_SEED not a number"
	expect_reject "harness: PTEBATCH_ITERATIONS not a number" "PTEBATCH_ITERATIONS.*'many'" \
		run_suite PTEBATCH_ITERATIONS=many
	no_tap "harness: PTEBATCH_ITERATIONS not a number"
	expect_reject "harness: PTEBATCH_ITERATIONS=0" "PTEBATCH_ITERATIONS.*'0'" \
		run_suite PTEBATCH_ITERATIONS=0
	expect_reject "harness: PTEBATCH_ITERATIONS negative" "PTEBATCH_ITERATIONS.*'-5'" \
		run_suite PTEBATCH_ITERATIONS=-5
else
	not_ok "harness: $prog is not built"
fi
prog=$builddir/tests/x86/check_fuzz_unmap
if [ -x "$prog" ]; then
	expect_reject "fuzz replay: PTB_FUZZ_CORPUS that does not exist" \
		"cannot read corpus directory '$tmp/nothing'" \
		env PTB_FUZZ_CORPUS="$tmp/nothing" CK_VERBOSITY=silent "$prog"
	mkdir -p "$tmp/empty"
	expect_reject "fuzz replay: an empty corpus is not a pass" \
		"corpus directory '$tmp/empty' holds no input" \
		env PTB_FUZZ_CORPUS="$tmp/empty" CK_VERBOSITY=silent "$prog"
	expect_reject "fuzz replay: PTB_FUZZ_CORPUS empty" "PTB_FUZZ_CORPUS is empty" \
		env PTB_FUZZ_CORPUS= CK_VERBOSITY=silent "$prog"
else
	not_ok "fuzz replay: $prog is not built"
fi

# --- make targets with bad settings ----------------------------------------
if [ -f "$builddir/Makefile" ]; then
	mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $MAKE -s -C "$builddir" "$@"; }
	export -f mk
	expect_reject "make fuzz: FUZZ_SECONDS not a number" "FUZZ_SECONDS='soon'" \
		mk fuzz FUZZ_SECONDS=soon
	expect_reject "make fuzz: unknown FUZZ_TARGETS" "no fuzz target 'nope'" \
		mk fuzz FUZZ_TARGETS=nope
	expect_reject "make fuzz: unknown FUZZ_ARCHES" "no backend 'sparc'" \
		mk fuzz FUZZ_ARCHES=sparc
	expect_reject "make check-valgrind: VALGRIND_ITERATIONS not a number" \
		"VALGRIND_ITERATIONS='x'|has ASan|no valgrind" \
		mk check-valgrind VALGRIND_ITERATIONS=x
	expect_reject "make bench: bad BENCH_ARGS" "invalid --repeats 'x'" \
		mk bench BENCH_OUT="$tmp/bench-out" BENCH_ARGS=--repeats=x
	check "make bench: no results written after a refusal" \
		bash -c "! ls '$tmp/bench-out'/bench* >/dev/null 2>&1"
	# KTEST_ARCH/KTEST_MODE reach run-kernel-test from the command line
	# and from the environment (it refuses them before building anything)
	if [ -n "${LINUX_SRC:-}" ] && [ -e "${LINUX_SRC:-}" ]; then
		expect_reject "make kernel-test KTEST_ARCH=sparc (command line)" \
			"--arch must be x86, arm64 or both, not 'sparc'" \
			mk kernel-test KTEST_ARCH=sparc KERNEL_BUILD="$tmp/kb" \
			SIGNOFF="T <t@example.org>"
		expect_reject "KTEST_ARCH=sparc make kernel-test (environment)" \
			"--arch must be x86, arm64 or both, not 'sparc'" \
			env KTEST_ARCH=sparc bash -c "mk kernel-test KERNEL_BUILD='$tmp/kb' SIGNOFF='T <t@example.org>'"
		expect_reject "KTEST_MODE=slow make kernel-test (environment)" \
			"--mode must be quick, full or profile, not 'slow'" \
			env KTEST_MODE=slow bash -c "mk kernel-test KERNEL_BUILD='$tmp/kb' SIGNOFF='T <t@example.org>'"
	fi
	if grep -q '^CODE_COVERAGE_CFLAGS = *$' "$builddir/Makefile"; then
		expect_reject "make coverage: without --enable-code-coverage" \
			"configure --enable-code-coverage" mk coverage
	fi
fi

# --- configure ---------------------------------------------------------------
# In a scratch copy (configure refuses to run elsewhere when the source
# directory itself is configured): the script, its helpers and the file
# AC_CONFIG_SRCDIR names.
if [ -x "$srcdir/configure" ]; then
	mkdir -p "$tmp/conf/lib"
	cp -r "$srcdir/configure" "$srcdir/build-aux" "$tmp/conf/"
	: > "$tmp/conf/lib/mm_internal.h"
	expect_reject "configure: --enable-asan=maybe" "bad value 'maybe' for --enable-asan" \
		bash -c "cd '$tmp/conf' && ./configure --enable-asan=maybe"
	expect_reject "configure: --enable-code-coverage=sometimes" \
		"bad value 'sometimes' for --enable-code-coverage" \
		bash -c "cd '$tmp/conf' && ./configure --enable-code-coverage=sometimes"
	expect_reject "configure: a kernel target without a series" \
		"no kernel target kernel-glue/linux-9.9" \
		bash -c "cd '$tmp/conf' && ./configure --with-kernel-target=linux-9.9"
	check "configure: no Makefile or config.status left" \
		test ! -e "$tmp/conf/Makefile" -a ! -e "$tmp/conf/config.status"
fi

tap_done
