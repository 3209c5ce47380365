# SPDX-License-Identifier: GPL-2.0
#
# TAP output for the shell tests (sourced): ok/not_ok/check number the
# results, tap_done prints the plan and returns the verdict.
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
# check WHAT COMMAND...: ok when COMMAND succeeds
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
tap_done() { echo "1..$n"; [ "$fails" = 0 ]; }
