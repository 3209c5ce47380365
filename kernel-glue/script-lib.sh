# SPDX-License-Identifier: GPL-2.0
#
# What gen-series, check-series, tests/kernel/run-kernel-test and
# tests/kernel/bench-kernel (make bench-kernel ships this file beside it)
# share:
# messages, option values and the checks of what they need. Sourced after
# prog=NAME is set; every refusal names the problem and exits 1.

die() { echo "$prog: error: $*" >&2; exit 1; }
note() { echo "$prog: $*"; }

# need_value "$@": the option in $1 has its value in $2 (it may be empty)
need_value() { [ $# -ge 2 ] || die "option $1 needs a value"; }

# positive_number OPTION VALUE [WHAT]: VALUE is a whole number above 0
positive_number() {
	case "$2" in
	''|*[!0-9]*|0*) die "$1 takes a positive number${3:+ of $3}, not '$2'" ;;
	esac
}

# folio_sizes OPTION "SIZES": every one of SIZES is a folio size the guest
# benchmark programs fault in
folio_sizes() {
	local s
	for s in $2; do
		case "$s" in 4K|16K|32K|64K|128K|256K|512K|1M|2M) ;;
		*) die "$1: '$s' is not a folio size (4K 16K 32K 64K 128K 256K 512K 1M 2M)" ;;
		esac
	done
}

pkg_hint="install the Debian linux-source package of the kernel target (linux-6.12: apt-get install linux-source-6.12) or run ./configure --with-linux=DIR|TARBALL"

# need_tree TREE: a kernel tree (directory or tarball) was configured and
# exists
need_tree() {
	[ -n "$1" ] || die "no kernel tree configured: $pkg_hint"
	[ -e "$1" ] || die "kernel tree '$1' does not exist: $pkg_hint"
}

# need_tools [STEP:] TOOL...: every TOOL is installed
need_tools() {
	local step= t
	case "${1:-}" in *:) step="step ${1%:} "; shift ;; esac
	for t in "$@"; do
		command -v "$t" > /dev/null ||
			die "${step}'$t' is needed but not installed (see .ci/setup)"
	done
}
