#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# insn-profile.pl - where two kernels' instruction counts differ, per
# function, from the ptb-insnprof qemu plugin's window files
# (tests/kernel/plugin/ptb-insnprof.c).
#
#   insn-profile.pl --arch ARCH --out FILE
#       --vanilla MAP,LOG,PREFIX --patched MAP,LOG,PREFIX [--top N]
#
# MAP is the kernel's System.map, LOG the console log of its boot (the
# guest's "PTB bench" lines, one per MADV_PAGEOUT run, say what each window
# measured), PREFIX the plugin's out= prefix: window N is PREFIX.N, one
# "ADDRESS COUNT" line per kernel instruction executed in it. Run N of one
# kernel is compared with run N of the other; both boots must have run the
# same plan.
#
# Each instruction is charged to the function (text symbol of System.map)
# it lies in, so code inlined into a function counts as that function's.
# FILE gets, per run, the total and the N functions whose counts differ
# most, per 4K page of the run (pages= of its PTB bench line).
#
# Exits 2 on a bad argument, 1 when the inputs do not fit together (a
# window without its run, or the other way round; runs of different plans),
# naming the problem.
use strict;
use warnings;
no warnings qw(portable);	# 64-bit kernel addresses
use Getopt::Long;

my $prog = 'insn-profile.pl';
sub usage {
	print STDERR "$prog: $_[0]\n" if @_;
	print STDERR "usage: $prog --arch ARCH --out FILE --vanilla MAP,LOG,PREFIX --patched MAP,LOG,PREFIX [--top N]\n";
	exit 2;
}
sub fail { print STDERR "$prog: $_[0]\n"; exit 1; }

my ($arch, $out, $vanilla, $patched, $top) = ('', '', '', '', 15);
GetOptions('arch=s' => \$arch, 'out=s' => \$out, 'vanilla=s' => \$vanilla,
	   'patched=s' => \$patched, 'top=s' => \$top) or usage();
usage("unexpected argument '$ARGV[0]'") if @ARGV;
usage('--arch is required') unless $arch;
usage('--out is required') unless $out;
usage("--top must be a positive number, not '$top'") unless $top =~ /^[1-9][0-9]*$/;

sub kernel {
	my ($name, $spec) = @_;
	usage("--$name is required") unless $spec;
	my @f = split /,/, $spec, -1;
	usage("--$name must be MAP,LOG,PREFIX, not '$spec'") unless @f == 3 && !grep { $_ eq '' } @f;
	my ($map, $log, $prefix) = @f;
	-f $map or fail("$name: no System.map '$map'");
	-f $log or fail("$name: no boot log '$log'");

	my @syms;
	open my $m, '<', $map or fail("$name: $map: $!");
	while (<$m>) {
		my ($a, $t, $n) = split;
		next unless defined $n && $t =~ /^[TtWw]$/ && $a =~ /^[0-9a-f]+$/i;
		push @syms, [hex $a, $n];
	}
	close $m;
	@syms or fail("$name: no text symbols in '$map'");
	@syms = sort { $a->[0] <=> $b->[0] } @syms;

	my @runs;
	open my $l, '<', $log or fail("$name: $log: $!");
	while (<$l>) {
		s/\r$//;
		next unless /^PTB bench (.*)/;
		my %k = map { split /=/, $_, 2 } grep { /=/ } split ' ', $1;
		defined $k{size} && defined $k{fill} && ($k{pages} // '') =~ /^[1-9][0-9]*$/ or
			fail("$name: $log: a PTB bench line without size, fill and pages: $_");
		push @runs, { %k, what => "$k{size} $k{fill} reclaim=" . ($k{reclaim} // 'madvise') .
			(($k{threads} // 1) > 1 ? " threads=$k{threads}" : '') .
			(defined $k{peer} ? " peer=$k{peer}" : '') };
	}
	close $l;
	@runs or fail("$name: no PTB bench line in '$log'");

	my $n = 0;
	$n++ while -f "$prefix." . ($n + 1);
	$n == @runs or fail("$name: " . scalar(@runs) . " runs in $log but $n window files $prefix.N: cannot pair them");
	return { name => $name, syms => \@syms, runs => \@runs, prefix => $prefix };
}

# the function an address lies in: the last text symbol at or below it
sub func_of {
	my ($syms, $va) = @_;
	my ($lo, $hi) = (0, $#$syms);
	return '(below the first symbol)' if $va < $syms->[0][0];
	while ($lo < $hi) {
		my $mid = int(($lo + $hi + 1) / 2);
		if ($syms->[$mid][0] <= $va) { $lo = $mid } else { $hi = $mid - 1 }
	}
	return $syms->[$lo][1];
}

sub window {
	my ($k, $i) = @_;
	my $file = "$k->{prefix}.$i";
	my (%per, $total);
	open my $w, '<', $file or fail("$k->{name}: $file: $!");
	while (<$w>) {
		my ($va, $c) = split;
		defined $c && $va =~ /^[0-9a-f]+$/i && $c =~ /^[0-9]+$/ or
			fail("$k->{name}: $file line $.: not 'ADDRESS COUNT': $_");
		$per{func_of($k->{syms}, hex $va)} += $c;
		$total += $c;
	}
	close $w;
	return (\%per, $total // 0);
}

my $v = kernel('vanilla', $vanilla);
my $p = kernel('patched', $patched);
@{$v->{runs}} == @{$p->{runs}} or
	fail(scalar(@{$v->{runs}}) . " vanilla runs but " . scalar(@{$p->{runs}}) . " patched runs");

open my $o, '>', $out or fail("$out: $!");
print $o "## $arch: kernel instructions per 4K page, by function (ptb-insnprof)\n\n";
print $o "Instructions the guest kernel executed in each MADV_PAGEOUT run's window\n",
	"(all vCPUs), charged to the function they lie in (inlined code counts\n",
	"where it was inlined), divided by the run's 4K pages. Under -icount this\n",
	"is the run's time. The $top functions whose counts differ most.\n";
print $o "\nA run with a second thread (threads=2) counts that thread's kernel\n",
	"work too: with peer=yield a sched_yield() loop (compare the functions,\n",
	"not the total), with peer=spin the interrupts its CPU takes (the flush\n",
	"IPIs among them).\n" if grep { ($_->{threads} // 1) > 1 } @{$v->{runs}};
for my $i (1 .. @{$v->{runs}}) {
	my ($rv, $rp) = ($v->{runs}[$i - 1], $p->{runs}[$i - 1]);
	$rv->{what} eq $rp->{what} && $rv->{pages} == $rp->{pages} or
		fail("run $i: vanilla ran '$rv->{what}' ($rv->{pages} pages), patched '$rp->{what}' ($rp->{pages} pages): not the same plan");
	my ($fv, $tv) = window($v, $i);
	my ($fp, $tp) = window($p, $i);
	my $pages = $rv->{pages};
	printf $o "\n### %s (%d pages): %.1f -> %.1f instructions per page (%+.1f), vanilla/patched %.4fx\n\n",
		$rv->{what}, $pages, $tv / $pages, $tp / $pages, ($tp - $tv) / $pages,
		$tp ? $tv / $tp : 0;
	print $o "| function | vanilla | patched | difference |\n|---|---:|---:|---:|\n";
	my %all = (%$fv, %$fp);
	my @f = sort { abs(($fp->{$b} // 0) - ($fv->{$b} // 0)) <=> abs(($fp->{$a} // 0) - ($fv->{$a} // 0)) || $a cmp $b } keys %all;
	splice @f, $top if @f > $top;
	for my $f (@f) {
		my ($x, $y) = (($fv->{$f} // 0) / $pages, ($fp->{$f} // 0) / $pages);
		printf $o "| %s | %.2f | %.2f | %+.2f |\n", $f, $x, $y, $y - $x;
	}
}
close $o or fail("$out: $!");
