#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel series carries lib/ byte for byte, and the generator fails
# cleanly. TAP output. Needs the kernel tree that configure found
# (LINUX_SRC); without one the test is skipped.
#
#  - every lib/ fragment the series splices appears verbatim, exactly once,
#    in the patched file, and as one contiguous block of added lines in the
#    patch that splices it; the glue patches add no lib/ code of their own;
#  - the test-only KUnit patch comes only with --kunit, and carries
#    tests/shared/pte_batch_cases.h verbatim;
#  - a missing tree, a tree of another version, and a tree the series does
#    not apply to each give a non-zero exit and a message naming the
#    problem, and leave a previous series in place.
set -u

srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
glue=$srcdir/kernel-glue
target=$glue/${KERNEL_TARGET:-linux-6.12}

if [ -z "${LINUX_SRC:-}" ] || [ ! -e "${LINUX_SRC:-}" ]; then
	echo "1..0 # SKIP no kernel tree configured (kernel target ${KERNEL_TARGET:-linux-6.12})"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/tap.sh
. "$srcdir/tests/tap.sh"

gen() {
	bash "$glue/gen-series" --target "$target" --lib "$srcdir/lib" \
		--signoff "Test Author <test@example.org>" "$@"
}

# --- a good series from the configured tree -----------------------------
if gen --tree "$LINUX_SRC" --out "$tmp/good" --kunit > "$tmp/good.log" 2>&1; then
	ok "gen-series --kunit makes the series from $(basename "$LINUX_SRC")"
else
	not_ok "gen-series --kunit makes the series from $(basename "$LINUX_SRC")"
	sed 's/^/# /' "$tmp/good.log"
	echo "1..$n"
	exit 1
fi
repo=$tmp/good/series.work/repo
base_dir=$tmp/good/series.work/base
patches=$tmp/good/patches

# added_lines FILE PATCH: the '+' lines a patch adds to FILE
added_lines() {
	perl -ne '
		BEGIN { $f = shift; }
		$in = ($1 eq $f) if m{^\+\+\+ b/(\S+)};
		$in = 0 if m{^diff --git};
		print substr($_, 1) if $in && /^\+(?!\+\+)/;
	' "$1" "$2"
}

# count_in BODYFILE FILE: how often BODYFILE's text occurs in FILE
count_in() {
	perl -0ne 'BEGIN { local $/; open(F, "<", shift) or die; $b = <F>; }
		$c = () = /\Q$b\E/g; print $c;' "$1" "$2"
}

# unit NAME FILE: the definition of NAME in FILE (KernelUnits.pm), or nothing;
# units NAME FILE: how many definitions of NAME FILE has
unit() {
	perl -I"$glue" -MKernelUnits=parse_units,slurp,find_units,unit_text -e '
		my ($u, $l) = parse_units(slurp($ARGV[1]));
		print unit_text($l, $_) for find_units($u, $ARGV[0]);' "$1" "$2"
}
units() {
	perl -I"$glue" -MKernelUnits=parse_units,slurp,find_units -e '
		my ($u, $l) = parse_units(slurp($ARGV[1]));
		print scalar(find_units($u, $ARGV[0]));' "$1" "$2"
}

# Walk the series description: each series, its patches, their syncs,
# splices and glue diffs. nr counts a series' patches, gi all of them.
nr=0 gi=0 sdir=$target pdir=$patches
while read -r kind rest; do
	case "$kind" in
	series)
		set -- $rest
		sdir=$target/$2 pdir=$tmp/good/patches-$1 nr=0
		check "series $1 is in patches-$1" test -d "$pdir"
		;;
	patch)
		nr=$((nr + 1)) gi=$((gi + 1))
		p=$(ls "$pdir"/$(printf '%04d' $nr)-*.patch)
		;;
	sync)
		# shellcheck disable=SC2086
		set -- $rest
		file=$1 libf=$2
		shift 2
		added_lines "$file" "$p" > "$tmp/added"
		for name in "$@"; do
			unit "$name" "$srcdir/lib/$libf" > "$tmp/unit"
			check "patched $file has one definition of $name, lib/$libf's" \
				test "$(units "$name" "$repo/$file")" = 1 -a \
				"$(unit "$name" "$repo/$file" | md5sum)" = "$(md5sum < "$tmp/unit")"
			if [ "$(units "$name" "$base_dir/$file")" = 1 ]; then
				check "$(basename "$p") changes 6.12's $name in place, not as a new copy" \
					test "$(count_in "$tmp/unit" "$tmp/added")" = 0
			else
				check "$(basename "$p") adds $name verbatim from lib/$libf" \
					test "$(count_in "$tmp/unit" "$tmp/added")" = 1
			fi
		done
		;;
	splice)
		set -- $rest
		file=$2
		frag=${rest##* }
		perl "$glue/splice.pl" body "$srcdir/lib/$frag" > "$tmp/body"
		check "lib/$frag appears verbatim exactly once in patched $file" \
			test "$(count_in "$tmp/body" "$repo/$file")" = 1
		added_lines "$file" "$p" > "$tmp/added"
		check "$(basename "$p") adds lib/$frag as one verbatim block" \
			test "$(count_in "$tmp/body" "$tmp/added")" = 1
		# besides the fragment and a blank line, only the patch's glue
		glue_lines=0
		for d in $(awk -v n=$gi '
				$1 == "patch" { i++ }
				$1 == "glue" && i == n { print $2 }' "$target/series"); do
			glue_lines=$((glue_lines + $(added_lines "$file" "$sdir/glue/$d" | wc -l)))
		done
		# ... and the lines its sync lines add to the same file, as
		# diff counts them between 6.12's definition and lib/'s
		while read -r sfile slib snames; do
			[ "$sfile" = "$file" ] || continue
			for name in $snames; do
				glue_lines=$((glue_lines + $(diff \
					<(unit "$name" "$base_dir/$file") \
					<(unit "$name" "$srcdir/lib/$slib") |
					grep -c '^>')))
			done
		done < <(awk -v n=$gi '
				$1 == "patch" { i++ }
				$1 == "sync" && i == n { $1 = ""; print }' "$target/series")
		extra=$(( $(wc -l < "$tmp/added") - $(wc -l < "$tmp/body") - 1 ))
		check "$(basename "$p") adds to $file only lib/$frag, a blank line, its sync lines and its glue" \
			test "$extra" = "$glue_lines"
		;;
	esac
done < <(grep -E '^(series|patch|sync|splice|glue) ' "$target/series")
# all_patches DIR: the patches of every series gen-series wrote to DIR
all_patches() {
	local d
	while read -r d; do
		ls "$1/$d"/[0-9][0-9][0-9][0-9]-*.patch | grep -v '/0000-'
	done < "$1/patches.list"
}
check "the --kunit series have as many patches as the description" \
	test "$(all_patches "$tmp/good" | wc -l)" = "$gi"

# newfile SRC DST: SRC's text is DST in the patched tree, byte for byte
while read -r kind src dst; do
	check "$dst in the patched tree is $src, verbatim" \
		cmp -s "$srcdir/$src" "$repo/$dst"
done < <(grep -E '^newfile ' "$target/series")

# --- every copy of kernel code matches its tree, less what it lists --------
copy_matches() {
	perl "$glue/check-copies" --manifest "$1" --root "$srcdir" \
		--expect "$target/copies.d" --pristine "$base_dir" \
		--patched "$repo" > /dev/null 2> "$tmp/copy.err" && return 0
	sed 's/^/# /' "$tmp/copy.err"
	return 1
}
while read -r line; do
	printf '%s\n' "$line" > "$tmp/one-copy"
	set -- $line
	check "$2 is the $3 tree's code, less the differences it lists" \
		copy_matches "$tmp/one-copy"
done < <(grep -vE '^[[:space:]]*(#|$)' "$target/copies")

# ... and a copy that drifts fails the check, naming itself: a line added to
# a definition of each kind of copy (lib/, a model, an arch file, a header)
for fn in lib/mm_internal.h:folio_pte_batch tests/model/ttu_batched.c:ttu_batched \
		arch/arm64/mm/contpte.c:contpte_convert \
		arch/x86/include/asm/pgtable.h:pte_dirty; do
	f=${fn%:*}
	rm -rf "$tmp/drift-src"
	mkdir -p "$tmp/drift-src/tests"
	cp -r "$srcdir/lib" "$srcdir/arch" "$srcdir/include" "$tmp/drift-src/"
	cp -r "$srcdir/tests/model" "$tmp/drift-src/tests/"
	FN=${fn#*:} perl -0pi -e 's/(\b\Q$ENV{FN}\E\([^)]*\)\n\{\n)/$1\t(void)0;\t\/* drift *\/\n/' \
		"$tmp/drift-src/$f"
	if perl "$glue/check-copies" --manifest "$target/copies" \
		--root "$tmp/drift-src" --expect "$target/copies.d" \
		--pristine "$base_dir" --patched "$repo" > "$tmp/drift.log" 2>&1; then
		not_ok "a drifted copy of $f fails the copy check"
	elif grep -q "^check-copies: $f.* is not what" "$tmp/drift.log" &&
	     grep -q '^+.*drift' "$tmp/drift.log"; then
		ok "a drifted copy of $f fails the copy check, naming it and the line"
	else
		not_ok "a drifted copy of $f: the message does not name it"
		sed 's/^/# /' "$tmp/drift.log"
	fi
done

# without --kunit, the series for submission: no test-only patch
nr_kunit=$(grep -cE '^patch [^ ]+ kunit$' "$target/series")
check "the series marks a test-only KUnit patch" test "$nr_kunit" -ge 1
if gen --tree "$LINUX_SRC" --out "$tmp/plain" > "$tmp/plain.log" 2>&1; then
	ok "gen-series makes the series for submission"
else
	not_ok "gen-series makes the series for submission"
	sed 's/^/# /' "$tmp/plain.log"
fi
check "the series for submission leave out the KUnit patch" \
	test "$(all_patches "$tmp/plain" | wc -l)" = "$((gi - nr_kunit))"
check "the series for submission do not mention KUnit" \
	bash -c "! grep -qi 'kunit' $(all_patches "$tmp/plain" | tr '\n' ' ')"

check "the cover letters have no placeholder left" \
	bash -c "! grep -q '\*\*\*' $tmp/good/patches*/0000-cover-letter.patch"
check "every patch is signed off" \
	bash -c "for p in $(all_patches "$tmp/good" | tr '\n' ' '); do grep -q '^Signed-off-by: Test Author <test@example.org>' \"\$p\" || exit 1; done"
check "patches.list names the series in the order of the description" \
	test "$(tr '\n' ' ' < "$tmp/good/patches.list")" = \
	"patches $(awk '$1 == "series" { printf "patches-%s ", $2 }' "$target/series")"

# --- failures are clean ------------------------------------------------------
# gen-series rebuilds series.work on every run: keep the pristine files
cp -r "$tmp/good/series.work/base" "$tmp/pristine"
base=$tmp/pristine
sum_before=$(cat "$patches"/*.patch | md5sum)

expect_fail() {
	local what=$1 pattern=$2; shift 2
	if gen "$@" --out "$tmp/good" > "$tmp/fail.log" 2>&1; then
		not_ok "$what: gen-series succeeded"
		return
	fi
	if grep -q -- "$pattern" "$tmp/fail.log"; then
		ok "$what: non-zero exit, message names it"
	else
		not_ok "$what: message lacks '$pattern'"
		sed 's/^/# /' "$tmp/fail.log"
	fi
	check "$what: the previous series is left in place" \
		test "$(cat "$patches"/*.patch | md5sum)" = "$sum_before"
}

expect_fail "missing tree" "kernel tree '$tmp/no-such-tree' does not exist" \
	--tree "$tmp/no-such-tree"

cp -r "$base" "$tmp/old"
sed -i 's/^PATCHLEVEL = .*/PATCHLEVEL = 6/' "$tmp/old/Makefile"
expect_fail "tree of another version" "is Linux 6.6" --tree "$tmp/old"

cp -r "$base" "$tmp/drift"
perl -0pi -e 's/(if \(swap_duplicate\(entry\) < 0\) \{\n)/$1\t\t\t\tcond_resched();\n/' \
	"$tmp/drift/mm/rmap.c"
expect_fail "tree the glue does not apply to" "does not apply" --tree "$tmp/drift"

cp -r "$base" "$tmp/noanchor"
sed -i 's/^int swap_duplicate(swp_entry_t entry)$/int swap_dup(swp_entry_t entry)/' \
	"$tmp/noanchor/mm/swapfile.c"
expect_fail "tree without the splice anchor" "requires\|has no 'int swap_duplicate" \
	--tree "$tmp/noanchor"

cp -r "$base" "$tmp/drifted_helper"
perl -0pi -e 's/(\treturn min\(nr, max_nr\);\n)/\tnr = min(nr, max_nr);\n\treturn nr;\n/' \
	"$tmp/drifted_helper/mm/internal.h"
expect_fail "tree whose folio_pte_batch() is not the one lib/ extends" \
	"lib/mm_internal.h is not what the pristine tree's mm/internal.h is" \
	--tree "$tmp/drifted_helper"

cp -r "$base" "$tmp/has"
printf '\nstatic inline int folio_dup_swap_pages(void) { return 0; }\n' >> "$tmp/has/mm/swapfile.c"
expect_fail "tree that already has a helper" "already has folio_dup_swap_pages" \
	--tree "$tmp/has"

tap_done
