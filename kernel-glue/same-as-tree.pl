#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# same-as-tree.pl LIBFILE TREEFILE
#
# lib/pgtable.h and lib/mm_internal.h are copies of code the target kernel
# already has: the tests trust them to behave as the kernel's own helpers.
# Check that every function, macro and typedef LIBFILE defines is defined
# identically (modulo whitespace) in TREEFILE (include guards aside). Exit 1
# listing what differs.
use strict;
use warnings;

sub slurp {
	my ($path) = @_;
	open(my $fh, '<', $path) or die "same-as-tree.pl: cannot read $path: $!\n";
	local $/;
	return <$fh>;
}

# name => [ normalised definitions ]
sub definitions {
	my ($text) = @_;
	my %defs;
	my @lines = split(/^/m, $text);
	for (my $i = 0; $i < @lines; $i++) {
		my $l = $lines[$i];
		if ($l =~ /^static\s+(?:__always_inline|inline)\b[^;{=]*?\b(\w+)\s*\(/) {
			my $name = $1;
			my $def = '';
			my $j = $i;
			$def .= $lines[$j++] while $j < @lines && $lines[$j] ne "}\n";
			$def .= "}\n";
			push @{$defs{$name}}, $def;
		} elsif ($l =~ /^#\s*define\s+(\w+)/) {
			my $name = $1;
			my $def = $l;
			my $j = $i;
			$def .= $lines[++$j] while $lines[$j] =~ /\\\n\z/ && $j + 1 < @lines;
			push @{$defs{$name}}, $def;
		} elsif ($l =~ /^typedef\b.*\b(\w+)\s*;/) {
			push @{$defs{$1}}, $l;
		}
	}
	for my $list (values %defs) {
		s/\s+/ /g for @$list;
	}
	return \%defs;
}

@ARGV == 2 or die "usage: same-as-tree.pl LIBFILE TREEFILE\n";
my ($lib, $tree) = @ARGV;
my $mine = definitions(slurp($lib));
my $theirs = definitions(slurp($tree));
my @bad;
for my $name (sort grep { !/^_PTEBATCH_/ } keys %$mine) {
	for my $def (@{$mine->{$name}}) {
		next if grep { $_ eq $def } @{$theirs->{$name} // []};
		push @bad, $theirs->{$name} ? "$name differs" : "$name is missing";
	}
}
if (@bad) {
	print STDERR "same-as-tree.pl: $lib vs $tree: ", join(', ', @bad), "\n";
	exit 1;
}
printf "%s: %d definitions identical to %s\n", $lib, scalar(grep { !/^_PTEBATCH_/ } keys %$mine), $tree;
