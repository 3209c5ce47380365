#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# report.pl - judge and summarise the qemu runs of run-kernel-test.
#
# Reads OUT/results/ARCH-KIND-FLAVOUR.log (KIND vanilla|patched, FLAVOUR
# debug|icount|wall), writes OUT/report.md, OUT/ratios.csv, OUT/ratios.dat
# (for ratios.gp), OUT/benchmark.txt (the table for the cover letter),
# OUT/mremap-ratios.csv, OUT/mremap-ratios.dat and OUT/benchmark-mremap.txt
# (the same for the mremap() benchmark), OUT/mprotect-ratios.{csv,dat} and
# OUT/benchmark-mprotect.txt (mprotect()), and exits 1 after listing every
# failure:
#  - a guest program or mm selftest of the patched kernel that fails where
#    the vanilla one (when it ran) did not;
#  - a failed integrity scenario of the patched kernel;
#  - any WARNING/BUG/Oops/bad page state in the patched kernel's log;
#  - a benchmark run that did not produce its results, or produced them
#    from the wrong folio size (fault_ok=0), or wrong data.
use strict;
use warnings;
use Getopt::Long;

my ($out, $arches, $mode, $version, $sizes, $mib, $khz, $kunit, $profile) = ('', 'x86', 'quick', '?', '', 256, 0, 'no', 'no');
my $costs = '';
GetOptions('out=s' => \$out, 'arches=s' => \$arches, 'mode=s' => \$mode,
	   'kunit=s' => \$kunit, 'profile=s' => \$profile, 'costs=s' => \$costs,
	   'version=s' => \$version, 'sizes=s' => \$sizes, 'mib=i' => \$mib,
	   'host-khz=i' => \$khz)
	or die "report.pl: bad arguments\n";
die "report.pl: --out is needed\n" unless $out;

my @fail;
my @retried;	# failed attempts of retried programs, for the report
my %log;	# "$arch-$kind-$flavour" => parsed

sub parse_kv {
	my ($s) = @_;
	my %kv;
	$kv{$1} = $2 while $s =~ /(\S+?)=(\S+)/g;
	return \%kv;
}

sub max0 { my ($x, $y) = @_; return $x > $y ? $x : $y; }

sub parse_log {
	my ($path) = @_;
	my %r = (exits => {}, integrity => [], bench => [], dmesg => [],
		 mremap => [], realloc => [], bench_errors => [],
		 mprotect => [], mprotect_uffd => [], mprotect_small => [],
		 totals => {}, done => 0, kunit => undef, kunit_cases => [],
		 profile => {}, profile_total => {}, attempts => {}, tlb => []);
	open(my $fh, '<', $path) or return undef;
	my ($cur, $in_kunit, $err, $cut) = ('', 0, undef, undef);
	while (my $l = <$fh>) {
		$l =~ s/\r//g;
		# with out=stdout, qemu prints the ptb-tlbcount plugin's line on
		# the stdout the guest's console goes to, and once did so in the
		# middle of a console line ("... pgPTB tlbcount window=49 ...\nlazyfreed=0
		# ..."): the plugin's line is taken out, and the console line
		# it cut goes on at the next line
		if (defined $cut) {
			$l = $cut . $l;
			$cut = undef;
		}
		if ($l =~ /^(.+?)(PTB tlbcount .*\n?)$/s) {
			($cut, $l) = ($1, $2);
		}
		if ($l =~ /^PTB run cmd=(\S+)/) {
			($cur, $err) = ($1, undef);
		} elsif ($l =~ /^PTB exit (.*)/) {
			my $kv = parse_kv($1);
			# the last attempt counts; every one is reported
			$r{exits}{$kv->{cmd}} = $kv->{status};
			push @{$r{attempts}{$kv->{cmd}}},
				{ status => $kv->{status}, error => $err };
			$cur = '';
		} elsif ($l =~ /^PTB integrity (.*)/) {
			push @{$r{integrity}}, parse_kv($1);
		} elsif ($l =~ /^PTB profile (.*)/) {
			my $kv = parse_kv($1);
			$r{profile}{$kv->{size}}{$kv->{func}} = $kv;
		} elsif ($l =~ /^PTB profile-total (.*)/) {
			my $kv = parse_kv($1);
			$r{profile_total}{$kv->{size}} = $kv->{self_us};
		} elsif ($l =~ /^PTB tlbcount (.*)/) {
			# the plugin's count of the window a run's madvise() was
			# in: qemu prints it when the window closes, the guest's
			# console line of the run can come out later (after the
			# next window's), so they are paired by order below
			push @{$r{tlb}}, parse_kv($1);
		} elsif ($l =~ /^PTB bench (.*)/) {
			my $kv = parse_kv($1);

			# a second thread on another CPU: x86 defers the flush
			$kv->{fill} .= '+thread' if ($kv->{threads} // 1) > 1;
			# reclaim through a memory cgroup, not MADV_PAGEOUT
			$kv->{fill} .= '+memcg' if ($kv->{reclaim} // 'madvise') eq 'memcg';
			push @{$r{bench}}, $kv;
		} elsif ($l =~ /^PTB mremap_bench (.*)/) {
			push @{$r{mremap}}, parse_kv($1);
		} elsif ($l =~ /^PTB mremap_realloc (.*)/) {
			push @{$r{realloc}}, parse_kv($1);
		} elsif ($l =~ /^PTB (mremap_(?:bench|realloc)-error .*)/) {
			push @{$r{bench_errors}}, $1;
		} elsif ($l =~ /^PTB mprotect_bench (.*)/) {
			push @{$r{mprotect}}, parse_kv($1);
		} elsif ($l =~ /^PTB mprotect_uffd_wp (.*)/) {
			push @{$r{mprotect_uffd}}, parse_kv($1);
		} elsif ($l =~ /^PTB mprotect_small (.*)/) {
			push @{$r{mprotect_small}}, parse_kv($1);
		} elsif ($l =~ /^PTB (mprotect_(?:bench|uffd_wp|small)-error .*)/) {
			push @{$r{bench_errors}}, $1;
		} elsif ($l =~ /^PTB-DMESG (.*)/) {
			push @{$r{dmesg}}, $1;
		} elsif ($l =~ /^PTB (init-error .*)/) {
			push @{$r{dmesg}}, $1;
		} elsif ($l =~ /# Subtest: pte_batch\s*$/) {
			$in_kunit = 1;
		} elsif ($in_kunit && $l =~ /# pb_run_case: pass:(\d+) fail:(\d+) skip:(\d+) total:(\d+)/) {
			$r{kunit} = { pass => $1, fail => $2, skip => $3, total => $4 };
		} elsif ($in_kunit && $l =~ /\b((?:not )?ok) \d+ (\w+)/) {
			if ($2 eq 'pte_batch') {
				$in_kunit = 0;
				# the suite failed without running its cases
				$r{kunit} //= { pass => 0, fail => 1, skip => 0, total => 0 }
					if $1 ne 'ok';
			} elsif ($2 ne 'pb_run_case') {
				push @{$r{kunit_cases}}, "$2: $1";
			}
		} elsif ($cur ne '' && !defined $err && $l !~ /^PTB/ &&
			 $l =~ /\b(?:ERROR|FAIL(?:ED)?|not ok)\b/) {
			# the first failure a program prints, for the report
			($err = $l) =~ s/\s+$//;
			$err =~ s/\s*\(errno=.*//;
			$err =~ s/\|/\\|/g;
			$err = substr($err, 0, 100);
		} elsif ($l =~ /^PTB done/) {
			$r{done} = 1;
		} elsif ($l =~ /Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) skip:(\d+) error:(\d+)/) {
			$r{totals}{$cur} = { pass => $1, fail => $2, skip => $5, error => $6 };
		}
	}
	close($fh);
	# run-kernel-test has the plugin write its counts to a file of their
	# own beside the log (out=PATH); a log from before that has them
	# among the console lines (above)
	(my $tlb = $path) =~ s/\.log$/.tlb/;
	if (open(my $th, '<', $tlb)) {
		while (my $l = <$th>) {
			push @{$r{tlb}}, parse_kv($1) if $l =~ /^PTB tlbcount (.*)/;
		}
		close($th);
	}
	# one window per pageout_bench run, both in run order
	my @w = sort { $a->{window} <=> $b->{window} } @{$r{tlb}};
	if (@w == @{$r{bench}}) {
		$r{bench}[$_]{tlb} = $w[$_] for 0 .. $#w;
	} elsif (@w) {
		$r{tlb_mismatch} = scalar(@w) . " ptb-tlbcount windows for " .
			scalar(@{$r{bench}}) . " MADV_PAGEOUT runs";
	}
	return \%r;
}

for my $arch (split ' ', $arches) {
	for my $k (qw(vanilla patched)) {
		for my $f (qw(debug icount wall profile bench)) {
			my $p = parse_log("$out/results/$arch-$k-$f.log");
			$log{"$arch-$k-$f"} = $p if $p;
		}
		# bench mode: bench-kernel's runs on a real machine take the
		# place of the -icount ones
		$log{"$arch-$k-icount"} = $log{"$arch-$k-bench"} if $mode eq 'bench';
	}
}
my $benchmarks = $mode eq 'full' || $mode eq 'bench';
# what the times of the benchmark tables are
my ($timed, $timed_short) = $mode eq 'bench' ?
	('Wall-clock time of the machine (bench-kernel), median of the runs', 'wall-clock, bench-kernel') :
	('Guest instruction-time (qemu -icount), deterministic', 'guest instruction-time, qemu -icount');

my $md = '';
if ($mode eq 'bench') {
	$md .= "# ptebatch kernel benchmarks on a real machine: Linux $version\n\n";
	$md .= "Mode: bench. The guest programs of make kernel-test, run by bench-kernel\n";
	$md .= "on one machine under each kernel; times are the machine's wall-clock.\n\n";
} else {
	$md .= "# ptebatch kernel tests: Linux $version, vanilla vs patched\n\n";
	$md .= "Mode: $mode. Guests: qemu TCG (no KVM), 2 vCPUs, 1 GiB, zram swap; ";
	$md .= "benchmark runs under `-icount shift=0,align=off,sleep=off` (guest time = ";
	$md .= "instructions, deterministic), wall-clock TCG beside them.\n\n";
}

# --- correctness ---------------------------------------------------------------
$md .= "## Correctness (DEBUG_VM, PAGE_TABLE_CHECK kernels)\n\n" .
	"| arch | kernel | program | result | detail |\n|---|---|---|---|---|\n"
	unless $mode eq 'bench';
for my $arch (split ' ', $arches) {
	last if $mode eq 'profile' || $mode eq 'bench';
	push @fail, "$arch patched debug kernel: no log" unless $log{"$arch-patched-debug"};
	for my $k (qw(vanilla patched)) {
		my $r = $log{"$arch-$k-debug"} or next;
		my $v = $log{"$arch-vanilla-debug"};
		push @fail, "$arch $k debug kernel: the run did not finish" unless $r->{done};
		for my $cmd (sort keys %{$r->{exits}}) {
			my $st = $r->{exits}{$cmd};
			my $t = $r->{totals}{$cmd};
			my $detail = $t ? "pass $t->{pass}, fail $t->{fail}, skip $t->{skip}, error $t->{error}" : '';
			my @att = @{$r->{attempts}{$cmd} // []};
			for my $i (0 .. $#att - 1) {
				$detail .= '; ' if $detail ne '';
				$detail .= sprintf("attempt %d of %d: exit %s%s", $i + 1,
					scalar(@att), $att[$i]{status},
					$att[$i]{error} ? " ($att[$i]{error})" : '');
				push @retried, "$arch $k: `$cmd` attempt " . ($i + 1) .
					" exits $att[$i]{status}" .
					($att[$i]{error} ? ": $att[$i]{error}" : '');
			}
			$md .= "| $arch | $k | `$cmd` | " . ($st eq '0' ? 'ok' : "exit $st") . " | $detail |\n";
			next if $st eq '0' || $k eq 'vanilla';
			my $vst = $v ? $v->{exits}{$cmd} : undef;
			if (defined $vst && $vst eq $st && (!$t || !$v->{totals}{$cmd} ||
			    $v->{totals}{$cmd}{fail} >= $t->{fail})) {
				$md .= "| $arch | | | | (vanilla fails the same way) |\n";
				next;
			}
			push @fail, "$arch patched: $cmd exits $st" .
				(defined $vst ? " (vanilla: $vst)" : '');
		}
		for my $i (@{$r->{integrity}}) {
			next if ($i->{result} // '') ne 'fail';
			push @fail, "$arch $k: integrity $i->{scenario} at $i->{size} failed" if $k eq 'patched';
		}
		if ($k eq 'patched' && $kunit eq 'yes') {
			my $ku = $r->{kunit};
			if (!$ku) {
				push @fail, "$arch patched: the KUnit suite pte_batch did not run";
			} else {
				$md .= "| $arch | $k | KUnit pte_batch | " .
					($ku->{fail} ? "$ku->{fail} failed" : 'ok') .
					" | pass $ku->{pass}, fail $ku->{fail}, skip $ku->{skip}, total $ku->{total} |\n";
				push @fail, "$arch patched: KUnit: $_" for grep { /not ok/ } @{$r->{kunit_cases}};
				push @fail, "$arch patched: KUnit pte_batch: $ku->{fail} failed" if $ku->{fail};
			}
		}
		my $n = scalar @{$r->{dmesg}};
		$md .= "| $arch | $k | kernel log | " . ($n ? "$n bad lines" : 'clean') . " | |\n";
		push @fail, "$arch $k: kernel log: $_" for ($k eq 'patched' ? @{$r->{dmesg}} : ());
	}
}
for my $arch (split ' ', $arches) {
	my $r = $log{"$arch-patched-debug"} or next;
	my ($pass, $fail) = (0, 0);
	$pass += ($_->{result} // '') eq 'pass' for @{$r->{integrity}};
	$fail += ($_->{result} // '') eq 'fail' for @{$r->{integrity}};
	$md .= "\n$arch patched: $pass integrity scenarios passed, $fail failed.\n";
}
if (@retried) {
	$md .= "\nRetried programs (the plan gives uffd-unit-tests and mremap_test up to two\n";
	$md .= "more attempts on both kernels: uffd-unit-tests' events case has failed now\n";
	$md .= "and then under qemu TCG, and mremap_test's regions at random addresses can\n";
	$md .= "collide; the last attempt counts, every failed one is listed here):\n\n";
	$md .= "* $_\n" for @retried;
}

# --- benchmark -------------------------------------------------------------------
sub stats {
	my @v = sort { $a <=> $b } @_;
	return (undef, undef, 0) unless @v;
	my $med = @v % 2 ? $v[$#v / 2] : ($v[@v / 2 - 1] + $v[@v / 2]) / 2;
	return ($v[0], $med, scalar @v);
}

# vanilla against patched, from the ns of each one's runs: min, median and n
# of each, the ratio of the medians, and the table cells that show them
sub ab {
	my ($vns, $pns) = @_;
	my %r;
	@r{qw(vmin vmed vn)} = stats(@$vns);
	@r{qw(pmin pmed pn)} = stats(@$pns);
	$r{ratio} = $r{vmed} / $r{pmed};
	$r{cells} = sprintf("%.2f (%.2f) | %.2f (%.2f) | %.3fx | %d",
			    $r{vmed} / 1e6, $r{vmin} / 1e6, $r{pmed} / 1e6,
			    $r{pmin} / 1e6, $r{ratio}, $r{pn});
	$r{csv} = join(',', @r{qw(vmin vmed pmin pmed)}, sprintf('%.4f', $r{ratio}),
		       @r{qw(vn pn)});
	return \%r;
}

my (@csv, @dat, $table);
if ($benchmarks) {
	$md .= "\n## MADV_PAGEOUT of $mib MiB (anonymous: private, and shared for shmem; a clean file for erofs)\n\n";
	for my $timing ($mode eq 'bench' ? ('icount') : qw(icount wall)) {
		my $t = "| arch | folio | fill | vanilla median (min) ms | patched median (min) ms | vanilla/patched | n | patched, per run: done/fallback/split |\n";
		$t .= "|---|---|---|---|---|---|---|---|\n";
		my ($rows, $thread_rows, $memcg_rows) = (0, 0, 0);
		for my $arch (split ' ', $arches) {
			my $v = $log{"$arch-vanilla-$timing"};
			my $p = $log{"$arch-patched-$timing"};
			unless ($v && $p && $v->{done} && $p->{done}) {
				push @fail, "$arch $timing benchmark runs missing or unfinished";
				next;
			}
			for my $fill (qw(zero random lazyfree shmem erofs uffd-wp zero+memcg zero+thread)) {
				for my $s (split ' ', $sizes) {
					my @vn = map { $_->{ns} } grep { $_->{size} eq $s && $_->{fill} eq $fill } @{$v->{bench}};
					my @pr = grep { $_->{size} eq $s && $_->{fill} eq $fill } @{$p->{bench}};
					my @pn = map { $_->{ns} } @pr;
					next unless @vn || @pn;
					unless (@vn && @pn) {
						push @fail, "$arch $timing $s $fill: no results";
						next;
					}
					my $ab = ab(\@vn, \@pn);
					my @keys = $fill eq 'lazyfree' ? qw(pglazyfreed split) :
						$fill eq 'erofs' ? qw(dropped fault_fallback split) :
						$fill =~ /^(zero|shmem|uffd-wp)/ ? qw(swpout_zero swpout_fallback split) :
						qw(swpout swpout_fallback split);
					my $chk = join('/', map { $pr[0]{$_} // '-' } @keys);
					$t .= "| $arch | $s | $fill | $ab->{cells} | $chk |\n";
					push @csv, join(',', $timing, $arch, $s, $fill, $ab->{csv});
					push @dat, "$arch-$s-$fill $ab->{ratio}" if $timing eq 'icount';
					$rows++;
					$thread_rows++ if $fill eq 'zero+thread';
					$memcg_rows++ if $fill eq 'zero+memcg';
				}
			}
		}
		my $title = $timing eq 'icount' ? $timed :
			"Wall-clock (qemu TCG, multi-threaded), noisy";
		$t .= "\nzero+memcg: zero fill, reclaimed by a write of the region's size to\n" .
		      "memory.reclaim of a memory cgroup of its own instead of MADV_PAGEOUT\n" .
		      "(the LRU walk of kswapd and direct reclaim, TTU_BATCH_FLUSH).\n"
			if $memcg_rows;
		$t .= "\nzero+thread: zero fill, with a second thread of the process running on\n" .
		      "the other CPU (x86 then defers reclaim's TLB flushes and flushes that\n" .
		      "CPU by IPI). Under -icount each IPI waits for the other vCPU's turn:\n" .
		      "such rows measure qemu's scheduling more than the kernel.\n"
			if $thread_rows;
		$t .= "\n\"done\" counts what MADV_PAGEOUT did, from the guest's /proc/vmstat and mTHP\n" .
		      "stats: zero fill: swpout_zero (pages found zero-filled, not written);\n" .
		      "random: swpout (folios of the size written to swap); lazyfree:\n" .
		      "pglazyfreed (pages discarded). fallback and split must be 0 (na: the\n" .
		      "counter does not exist for 4K). shmem: MAP_SHARED anonymous memory,\n" .
		      "zero-filled: shmem folios, file folios to try_to_unmap_one(). erofs:\n" .
		      "a clean file of an EROFS mount read in folios of the size (readahead\n" .
		      "window of that size), mapped read-only: done is the pages dropped\n" .
		      "from the page cache, fallback the folios of other sizes readahead\n" .
		      "made (its first windows), no writeback. uffd-wp:\n" .
		      "zero-filled, in a range registered and write-protected with a\n" .
		      "userfaultfd (swap PTEs carry uffd-wp).\n";
		$md .= "### $title\n\n$t\n";
		$table = "$title, MADV_PAGEOUT of $mib MiB:\n\n$t" if $timing eq 'icount';
	}
	$md .= "ratios.png plots vanilla/patched of the -icount medians.\n";
}

# --- TLB invalidations per folio (ptb-tlbcount plugin, -icount runs) -------------
# The model's exact costs of unmapping one folio (make costs, --costs):
# "ARCH  WHAT  batched|per-PTE  reads raw write clear tlbiP tlbiR rPgs ...".
my %model;
if ($costs ne '') {
	open(my $ch, '<', $costs) or die "report.pl: cannot read --costs $costs: $!\n";
	while (my $l = <$ch>) {
		next unless $l =~ /^(x86|arm64)\s+(\S.*?)\s+(batched|per-PTE)((?:\s+\d+){10})\s*$/;
		my @n = split ' ', $4;
		$model{$1}{$2}{$3} = { tlbi_page => $n[4], tlbi_ranges => $n[5], range_pages => $n[6] };
	}
	close($ch);
	die "report.pl: --costs $costs has no cost rows\n" unless %model;
}

# TLB invalidation instructions one flush of PAGES pages issues.
# arm64 (4K granule, FEAT_TLBIRANGE, no LPA2): 6.12's __flush_tlb_range_op(),
# one range op per scale from 3 down, a single page by itself.
sub arm64_range_tlbis {
	my ($pages) = @_;
	my ($n, $scale) = (0, 3);
	while ($pages > 0) {
		if ($pages == 1) {
			$n++;
			last;
		}
		my $shift = 5 * $scale + 1;
		my $p = $pages < (32 << $shift) ? $pages : (32 << $shift);
		my $num = ($p >> $shift) - 1;
		if ($num >= 0) {
			$n++;
			$pages -= ($num + 1) << $shift;
		}
		$scale--;
	}
	return $n;
}

# x86-64: flush_tlb_mm_range() invalidates up to tlb_single_page_flush_ceiling
# (33) pages one INVLPG each, a longer range with one full flush (a CR3
# write, or INVPCID with PCID).
sub x86_range_tlbis {
	my ($pages) = @_;
	return $pages <= 33 ? $pages : 1;
}

# Instructions per folio a model row predicts: its page flushes plus its
# ranges (of equal length), each as the architecture issues it.
sub model_tlbis {
	my ($arch, $c) = @_;
	return undef unless $c;
	my $n = $c->{tlbi_page};
	if ($c->{tlbi_ranges}) {
		my $each = $c->{range_pages} / $c->{tlbi_ranges};
		$n += $c->{tlbi_ranges} * ($arch eq 'arm64' ? arm64_range_tlbis($each) : x86_range_tlbis($each));
	}
	return $n;
}

# The model row for a benchmark row: MADV_PAGEOUT reclaims with
# TTU_BATCH_FLUSH, so arm64 defers the flush (always) and x86 does not
# (one thread: the mm never ran on the other CPU).
sub model_row {
	my ($arch, $fill, $s) = @_;
	my $what;

	$fill =~ s/\+memcg$//;	# the same unmap, through the LRU
	if ($fill eq 'lazyfree') {
		$what = "$s lazyfree";
	} elsif ($fill eq 'shmem' || $fill eq 'erofs') {
		# a clean file folio flushes as a shmem one: the markers are
		# PTE writes, not flushes
		$what = "$s shmem, uffd-wp markers";
	} elsif ($fill =~ /^(zero|random|uffd-wp)$/) {
		$what = $arch eq 'arm64' && exists $model{$arch}{"$s anon, deferred flush"} ?
			"$s anon, deferred flush" : "$s anon, sync flush";
	}
	return (undef, undef) unless defined $what && $model{$arch}{$what};
	return ($what, $model{$arch}{$what});
}

sub tlbis_of {
	my ($arch, $t) = @_;
	return $arch eq 'arm64' ? $t->{tlbi} :
		$t->{invlpg} + $t->{invpcid} + $t->{cr3};
}

my ($ttable, @tcsv);
if ($mode eq 'full') {
	my $t = "| arch | folio | fill | TLBIs per folio, vanilla | patched | model: per-PTE | batched | DSB ISH per folio, vanilla | patched | model row |\n";
	$t .= "|---|---|---|---|---|---|---|---|---|---|\n";
	my $rows = 0;
	for my $arch (split ' ', $arches) {
		my $v = $log{"$arch-vanilla-icount"} or next;
		my $p = $log{"$arch-patched-icount"} or next;
		for my $k ([ 'vanilla', $v ], [ 'patched', $p ]) {
			push @fail, "$arch $k->[0] icount: $k->[1]{tlb_mismatch}: cannot pair them"
				if $k->[1]{tlb_mismatch};
		}
		for my $fill (qw(zero random lazyfree shmem erofs uffd-wp zero+memcg)) {
			for my $s (split ' ', $sizes) {
				my @vr = grep { $_->{size} eq $s && $_->{fill} eq $fill } @{$v->{bench}};
				my @pr = grep { $_->{size} eq $s && $_->{fill} eq $fill } @{$p->{bench}};
				next unless @vr && @pr;
				my $fpages = $s =~ /^(\d+)K$/ ? $1 / 4 : $s =~ /^(\d+)M$/ ? $1 * 256 : 1;
				my $per = sub {
					my ($runs, $key) = @_;
					my @x = map { $_->{tlb} ? $key->($_->{tlb}) * $fpages / $_->{pages} : () } @$runs;
					return @x == @$runs ? (stats(@x))[1] : undef;
				};
				my $vt = $per->(\@vr, sub { tlbis_of($arch, $_[0]) });
				my $pt = $per->(\@pr, sub { tlbis_of($arch, $_[0]) });
				unless (defined $vt && defined $pt) {
					push @fail, "$arch icount $s $fill: a run has no ptb-tlbcount line (plugin not loaded?)";
					next;
				}
				my ($vd, $pd) = map { $per->($_, sub { $_[0]{dsb_ish} // 0 }) } \@vr, \@pr;
				my ($what, $c) = model_row($arch, $fill, $s);
				my ($mv, $mp) = $c ? (model_tlbis($arch, $c->{'per-PTE'}), model_tlbis($arch, $c->{batched})) : ();
				# A 2M folio is PMD-mapped: reclaim splits the PMD
				# first, and pmdp_invalidate() flushes its 512 pages
				# (arm64: one range TLBI at PMD stride; x86: one full
				# flush) before the model's PTE-mapped folio exists.
				if ($c && $fpages == 512 && $fill ne 'shmem') {
					my $split = $arch eq 'arm64' ? arm64_range_tlbis(512) : x86_range_tlbis(512);
					$mv += $split;
					$mp += $split;
				}
				# The window counts the whole guest: another CPU's or a
				# kworker's flushes in it come on top of the folio's.
				for ([ 'vanilla', $vt, $mv ], [ 'patched', $pt, $mp ]) {
					my ($k, $got, $want) = @$_;
					next unless defined $want;
					push @fail, sprintf("%s icount %s %s: %s kernel %.2f TLB invalidations per folio, the model says %d",
							    $arch, $s, $fill, $k, $got, $want)
						if $got < $want - 0.02 || $got > $want * 1.05 + 0.5;
				}
				$t .= sprintf("| %s | %s | %s | %.2f | %.2f | %s | %s | %s | %s | %s |\n",
					      $arch, $s, $fill, $vt, $pt, $mv // '-', $mp // '-',
					      $arch eq 'arm64' ? sprintf('%.2f', $vd) : '-',
					      $arch eq 'arm64' ? sprintf('%.2f', $pd) : '-', $what // '-');
				push @tcsv, join(',', $arch, $s, $fill, sprintf('%.4f', $vt), sprintf('%.4f', $pt),
						 $mv // '', $mp // '');
				$rows++;
			}
		}
	}
	if ($rows) {
		$t .= "\nCounted by the ptb-tlbcount qemu plugin (tests/kernel/plugin) in a window\n" .
		      "around each run's madvise() (or memory.reclaim write), over the whole\n" .
		      "guest, divided by the run's folios; median of the runs. arm64: TLBI\n" .
		      "instructions (a range TLBI counts one); x86-64: INVLPG + INVPCID + CR3\n" .
		      "writes. The model columns are make costs' page flushes and range flushes\n" .
		      "of one folio, each range as 6.12 issues it (arm64 __flush_tlb_range_op():\n" .
		      "range ops by scale; x86 flush_tlb_mm_range(): an INVLPG per page up to 33\n" .
		      "pages, else one full flush); at 2M, one more for the split of the\n" .
		      "PMD-mapped THP (pmdp_invalidate()). A count below the model, or above it\n" .
		      "by more than 5% + 0.5 (other kernel work in the window), fails the run.\n";
		$md .= "\n## TLB invalidations per folio, MADV_PAGEOUT (qemu plugin counts)\n\n$t";
		$ttable = "TLB invalidation instructions per folio (qemu plugin count, model):\n\n$t";
	}
}

# --- call-site benchmarks: mremap(), mprotect() (-icount only) ------------------
# One table per call site. %cs: name (for messages), prog (the guest
# program whose plan lines say the site was benchmarked), check (called
# with arch, kind and parsed log: pushes the runs' own failures to @fail),
# groups (the rows in order, each with desc for messages, key (the
# parsed-log list), sel (which results), csv (the CSV key fields), dat
# (the plot label)), row (called with the group and the patched results:
# label, folio, chk); a group's ns gives a result's time (default: its ns).
# Returns the table (undef without rows), the CSV rows and the plot rows.
sub planned {
	my ($r, $prog) = @_;
	return scalar grep { m{/bin/\Q$prog\E} } keys %{$r->{exits}};
}
sub call_site_section {
	my (%cs) = @_;
	my $t = "| arch | what | folio | vanilla median (min) ms | patched median (min) ms | vanilla/patched | n | patched check |\n";
	$t .= "|---|---|---|---|---|---|---|---|\n";
	my (@csv, @dat);
	for my $arch (split ' ', $arches) {
		my $v = $log{"$arch-vanilla-icount"};
		my $p = $log{"$arch-patched-icount"};
		next unless $v && $p && (planned($v, $cs{prog}) || planned($p, $cs{prog}));
		$cs{check}->($arch, $_, $log{"$arch-$_-icount"}) for qw(vanilla patched);
		for my $g (@{$cs{groups}}) {
			my @vr = grep { $g->{sel}->($_) } @{$v->{$g->{key}}};
			my @pr = grep { $g->{sel}->($_) } @{$p->{$g->{key}}};
			unless (@vr && @pr) {
				push @fail, "$arch icount $cs{name} $g->{desc}: no results";
				next;
			}
			my $ns = $g->{ns} // sub { $_[0]{ns} };
			my $ab = ab([map { $ns->($_) } @vr], [map { $ns->($_) } @pr]);
			my ($label, $folio, $chk) = $cs{row}->($g, \@pr);
			$t .= "| $arch | $label | $folio | $ab->{cells} | $chk |\n";
			push @csv, join(',', $arch, @{$g->{csv}}, $ab->{csv});
			push @dat, "$arch-$g->{dat} $ab->{ratio}";
		}
	}
	return (@csv ? $t : undef, \@csv, \@dat);
}

my ($mtable, $mcsv, $mdat, $ptable, $pcsv, $pdat);
if ($benchmarks) {
	# moves at each (size, offset), then the realloc growth
	my @groups = map {
		my $s = $_;
		{ desc => "move $s offset 1024 KiB", key => 'mremap', csv => ['move', $s, 1024],
		  dat => "move-$s", what => 'move', off => 1024,
		  sel => sub { $_[0]{size} eq $s && $_[0]{offset_kib} == 1024 } }
	} split ' ', $sizes;
	push @groups,
		{ desc => 'move 64K offset 0 KiB', key => 'mremap', csv => ['move', '64K', 0],
		  dat => 'move-64K-aligned', what => 'move', off => 0,
		  sel => sub { $_[0]{size} eq '64K' && $_[0]{offset_kib} == 0 } },
		{ desc => 'realloc 4K', key => 'realloc', csv => ['realloc', '4K', ''],
		  dat => 'realloc-4K', what => 'realloc',
		  sel => sub { $_[0]{size} eq '4K' } };
	my $check = sub {
		my ($arch, $k, $r) = @_;
		push @fail, "$arch $k: $_" for @{$r->{bench_errors}};
		for my $b (@{$r->{mremap}}) {
			push @fail, "$arch $k: mremap_bench $b->{size} run $b->{run}: mremap() failed ($b->{mremap})"
				if ($b->{mremap} // '') ne '0';
			push @fail, "$arch $k: mremap_bench $b->{size}: not faulted in as $b->{size} folios (fault_ok=0)"
				if ($b->{fault_ok} // '') eq '0';
		}
		for my $b (@{$r->{realloc}}) {
			push @fail, "$arch $k: mremap_realloc run $b->{run}: $b->{moved_calls} of $b->{calls} growths moved, $b->{bad_pages} bad pages"
				if ($b->{moved_calls} // -1) != ($b->{calls} // -2) || ($b->{bad_pages} // 1) != 0 ||
				   ($b->{mremap} // '') ne '0';
		}
	};
	my $row = sub {
		my ($g, $pr) = @_;
		return ("realloc, $pr->[0]{maps} maps", '4K', "moved $pr->[0]{moved_calls}/$pr->[0]{calls}")
			if $g->{what} eq 'realloc';
		return ($g->{off} ? "move, $g->{off} KiB past 2M" : 'move, 2M-aligned (control)',
			$g->{csv}[1],
			"fault_ok=$pr->[0]{fault_ok} thp_split_pmd=" . ($pr->[0]{thp_split_pmd} // '-'));
	};
	my $t;
	($t, $mcsv, $mdat) = call_site_section(name => 'mremap', prog => 'mremap_bench',
		check => $check, groups => \@groups, row => $row);
	if ($t) {
		$t .= "\nmove: $mib MiB faulted in as folios of the size, then moved back and\n" .
		      "forth 8 times by mremap(), only the mremap() calls timed. KiB past 2M\n" .
		      "is where the second address lies: off a 2M boundary every PTE goes\n" .
		      "through move_ptes(); 2M-aligned, whole page tables move and move_ptes()\n" .
		      "does not run (the control). realloc: small anonymous mappings of 4K\n" .
		      "pages grown from 16 KiB to 1 MiB by doubling, every growth a move.\n";
		$md .= "\n## mremap() ($timed_short)\n\n$t";
		$mtable = "$timed, mremap():\n\n$t";
	}
}
if ($benchmarks) {
	my @groups = map {
		my $s = $_;
		{ desc => "mprotect $s", key => 'mprotect', csv => ['mprotect', $s],
		  dat => "mprotect-$s", what => 'mprotect', sel => sub { $_[0]{size} eq $s } }
	} split ' ', $sizes;
	push @groups, { desc => 'uffd-wp 64K', key => 'mprotect_uffd', csv => ['uffd-wp', '64K'],
			dat => 'uffd-wp-64K', what => 'uffd-wp', sel => sub { $_[0]{size} eq '64K' } };
	push @groups, map {
		my $len = $_;
		{ desc => "small $len", key => 'mprotect_small', csv => ['small', $len],
		  dat => "small-$len", what => 'small', sel => sub { $_[0]{len} eq $len },
		  # one call's time in ns, in the ms columns' place
		  ns => sub { $_[0]{ns_per_call} * 1e6 } }
	} qw(4K 16K 64K 400K 4M);
	my $check = sub {
		my ($arch, $k, $r) = @_;
		for my $b (@{$r->{mprotect}}, @{$r->{mprotect_uffd}}) {
			my $call = $b->{mprotect} // $b->{ioctl} // '';
			push @fail, "$arch $k: mprotect_bench $b->{size} run $b->{run}: a call failed ($call)"
				if $call ne '0';
			push @fail, "$arch $k: mprotect_bench $b->{size}: not faulted in as $b->{size} folios (fault_ok=0)"
				if ($b->{fault_ok} // '') eq '0';
		}
		for my $b (@{$r->{mprotect_small}}) {
			push @fail, "$arch $k: mprotect_small $b->{len} run $b->{run}: $b->{bad_pages} bad pages, mprotect=$b->{mprotect}"
				if ($b->{bad_pages} // 1) != 0 || ($b->{mprotect} // '') ne '0';
		}
	};
	my $row = sub {
		my ($g, $pr) = @_;
		my ($s, $r) = ($g->{csv}[1], $pr->[0]);
		return ("one mprotect() of $s (ns per call)", '4K', "$r->{calls} calls")
			if $g->{what} eq 'small';
		return (($g->{what} eq 'uffd-wp' ? 'UFFDIO_WRITEPROTECT' : 'mprotect()') .
			" x $r->{rounds}, $r->{mib} MiB", $s,
			"fault_ok=$r->{fault_ok}" .
			($s eq '2M' ? " pte_mapped=" . ($r->{pte_mapped} // '-') : ''));
	};
	my $t;
	($t, $pcsv, $pdat) = call_site_section(name => 'mprotect', prog => 'mprotect_bench',
		check => $check, groups => \@groups, row => $row);
	if ($t) {
		$t .= "\nmprotect(): $mib MiB faulted in as folios of the size (2M: PTE-mapped),\n" .
		      "then PROT_READ and PROT_READ|PROT_WRITE in turn, only the calls timed.\n" .
		      "UFFDIO_WRITEPROTECT: the same with write-protect and resolve on a\n" .
		      "uffd-wp registered area. Small calls: one mprotect() of the length on\n" .
		      "4K pages, in ns per call (the columns' ms are ns here).\n";
		$md .= "\n## mprotect() ($timed_short)\n\n$t";
		$ptable = "$timed, mprotect():\n\n$t";
	}
}

# --- profile: where the guest's instructions go --------------------------------
if (($mode eq 'full' && $profile eq 'yes') || $mode eq 'profile') {
	my $pm = "# MADV_PAGEOUT of 64 MiB, zero-filled: self time per function\n\n";
	$pm .= "ftrace's function profiler (graph-time and sleep-time off: a function's\n";
	$pm .= "own CPU time, not its callees' nor time scheduled out), one run under\n";
	$pm .= "qemu -icount, so time is guest instruction-time, tracing overhead included\n";
	$pm .= "(it is per call: functions called per page look heavier than they are).\n";
	$pm .= "Functions inlined into others are counted there (the batch helpers are\n";
	$pm .= "inlined into try_to_unmap_one()). Top 25 functions, by the larger of the\n";
	$pm .= "two self times.\n";
	for my $arch (split ' ', $arches) {
		my $v = $log{"$arch-vanilla-profile"};
		my $p = $log{"$arch-patched-profile"};
		unless ($v && $p && $v->{done} && $p->{done}) {
			push @fail, "$arch profile runs missing or unfinished";
			next;
		}
		for my $s (sort keys %{$p->{profile}}) {
			my ($vp, $pp) = ($v->{profile}{$s} // {}, $p->{profile}{$s});
			my ($vt, $pt) = ($v->{profile_total}{$s} // 0, $p->{profile_total}{$s} // 0);
			my %f = map { $_ => 1 } (keys %$vp, keys %$pp);
			my $key = sub { my $x = $vp->{$_[0]}; my $y = $pp->{$_[0]};
				max0($x ? $x->{self_us} : 0, $y ? $y->{self_us} : 0) };
			$pm .= "\n## $arch, $s folios\n\n";
			$pm .= sprintf("Total self time: vanilla %.1f ms, patched %.1f ms (%.3fx).\n\n",
				       $vt / 1e3, $pt / 1e3, $pt ? $vt / $pt : 0);
			$pm .= "| function | vanilla ms (calls) | share | patched ms (calls) | share | saved ms |\n";
			$pm .= "|---|--:|--:|--:|--:|--:|\n";
			my $n = 0;
			for my $fn (sort { $key->($b) <=> $key->($a) } keys %f) {
				last if ++$n > 25;
				my ($x, $y) = ($vp->{$fn}, $pp->{$fn});
				my ($xu, $yu) = ($x ? $x->{self_us} : 0, $y ? $y->{self_us} : 0);
				$pm .= sprintf("| %s | %s | %s | %s | %s | %.2f |\n", $fn,
					$x ? sprintf("%.2f (%d)", $xu / 1e3, $x->{hits}) : '< top 40',
					$x && $vt ? sprintf("%.1f%%", 100 * $xu / $vt) : '',
					$y ? sprintf("%.2f (%d)", $yu / 1e3, $y->{hits}) : '< top 40',
					$y && $pt ? sprintf("%.1f%%", 100 * $yu / $pt) : '',
					($xu - $yu) / 1e3);
			}
		}
	}
	open(my $ph, '>', "$out/profile.md") or die;
	print $ph $pm;
	close($ph);
	$md .= "\nprofile.md breaks one MADV_PAGEOUT down by function (ftrace function profiler);\n" .
		"insn-profile-ARCH.md counts the instructions each function executed per page\n" .
		"(the ptb-insnprof qemu plugin: exact, inlined code included, no tracing cost).\n";
}

open(my $fh, '>', "$out/report.md") or die;
print $fh $md;
close($fh);
if (@tcsv) {
	open($fh, '>', "$out/tlb-counts.csv") or die;
	print $fh "arch,folio,fill,vanilla_per_folio,patched_per_folio,model_per_pte,model_batched\n";
	print $fh "$_\n" for @tcsv;
	close($fh);
}
if (@csv) {
	open($fh, '>', "$out/ratios.csv") or die;
	print $fh "timing,arch,folio,fill,vanilla_min_ns,vanilla_median_ns,patched_min_ns,patched_median_ns,ratio,vanilla_n,patched_n\n";
	print $fh "$_\n" for @csv;
	close($fh);
	open($fh, '>', "$out/ratios.dat") or die;
	print $fh "$_\n" for @dat;
	close($fh);
	open($fh, '>', "$out/benchmark.txt") or die;
	print $fh $mode eq 'bench' ? "Linux $version, on one machine (bench-kernel).\n$table" :
		"Linux $version, qemu TCG guests (2 vCPUs, 1 GiB, zram swap).\n$table";
	print $fh "\n$ttable" if $ttable;
	close($fh);
}
if ($pcsv && @$pcsv) {
	open($fh, '>', "$out/mprotect-ratios.csv") or die;
	print $fh "arch,what,folio,vanilla_min_ns,vanilla_median_ns,patched_min_ns,patched_median_ns,ratio,vanilla_n,patched_n\n";
	print $fh "$_\n" for @$pcsv;
	close($fh);
	open($fh, '>', "$out/mprotect-ratios.dat") or die;
	print $fh "$_\n" for @$pdat;
	close($fh);
	open($fh, '>', "$out/benchmark-mprotect.txt") or die;
	print $fh "Linux $version, qemu TCG guests (2 vCPUs, 1 GiB), the patched kernel\n" .
		  "with the three series applied.\n$ptable";
	close($fh);
}
if ($mcsv && @$mcsv) {
	open($fh, '>', "$out/mremap-ratios.csv") or die;
	print $fh "arch,what,folio,offset_kib,vanilla_min_ns,vanilla_median_ns,patched_min_ns,patched_median_ns,ratio,vanilla_n,patched_n\n";
	print $fh "$_\n" for @$mcsv;
	close($fh);
	open($fh, '>', "$out/mremap-ratios.dat") or die;
	print $fh "$_\n" for @$mdat;
	close($fh);
	open($fh, '>', "$out/benchmark-mremap.txt") or die;
	print $fh "Linux $version, qemu TCG guests (2 vCPUs, 1 GiB), the patched kernel\n" .
		  "with both series applied.\n$mtable";
	close($fh);
}
print $md;
if (@fail) {
	print STDERR "report.pl: FAILED:\n";
	print STDERR "  $_\n" for @fail;
	exit 1;
}
exit 0;
