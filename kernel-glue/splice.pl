#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# splice.pl - put a lib/ fragment into a kernel source file, verbatim.
#
#   splice.pl after-function FILE PREFIX FRAGMENT
#	insert after the definition whose first line starts with PREFIX (up to
#	its closing "}" in column 0), separated by one blank line
#   splice.pl before-function FILE PREFIX FRAGMENT
#	insert before the definition whose first line starts with PREFIX,
#	above the comment block that documents it
#   splice.pl body FRAGMENT
#	print the part of FRAGMENT that gets spliced
#
# A fragment starts with its SPDX line and a "ptebatch: ..." line, then a
# blank line; the rest is spliced byte for byte. The anchor must occur
# exactly once, or nothing is written and the exit status is non-zero.
use strict;
use warnings;

sub fail { print STDERR "splice.pl: @_\n"; exit 1; }

sub slurp {
	my ($path) = @_;
	open(my $fh, '<', $path) or fail("cannot read $path: $!");
	local $/;
	my $text = <$fh>;
	close($fh);
	return $text;
}

sub fragment_body {
	my ($path) = @_;
	my $text = slurp($path);
	$text =~ s/\A(\/\* SPDX-License-Identifier: [^\n]*\*\/\n\/\* ptebatch: [^\n]*\*\/\n\n)//
		or fail("$path: no SPDX + 'ptebatch:' header followed by a blank line");
	fail("$path: empty fragment") unless length $text;
	fail("$path: fragment does not end with a newline") unless $text =~ /\n\z/;
	return $text;
}

my $mode = shift @ARGV // '';
if ($mode eq 'body') {
	@ARGV == 1 or fail("usage: splice.pl body FRAGMENT");
	print fragment_body($ARGV[0]);
	exit 0;
}
($mode eq 'after-function' || $mode eq 'before-function') && @ARGV == 3
	or fail("usage: splice.pl after-function|before-function FILE PREFIX FRAGMENT");
my ($file, $prefix, $frag) = @ARGV;
my $body = fragment_body($frag);
my @lines = split(/^/m, slurp($file));

my @hits = grep { index($lines[$_], $prefix) == 0 } 0 .. $#lines;
fail("$file: no line starts with '$prefix'") unless @hits;
fail("$file: " . scalar(@hits) . " lines start with '$prefix'") if @hits > 1;
my $at = $hits[0];

my @out;
if ($mode eq 'after-function') {
	my $end = $at;
	$end++ while $end <= $#lines && $lines[$end] ne "}\n";
	fail("$file: no closing brace after line " . ($at + 1)) if $end > $#lines;
	@out = (@lines[0 .. $end], "\n", $body, @lines[$end + 1 .. $#lines]);
} else {
	my $start = $at;
	$start-- while $start > 0 && $lines[$start - 1] =~ m{^(/\*| \*)};
	fail("$file: no blank line before the comment of line " . ($at + 1))
		unless $start > 0 && $lines[$start - 1] eq "\n";
	@out = (@lines[0 .. $start - 1], $body, "\n", @lines[$start .. $#lines]);
}

my $tmp = "$file.splice.$$";
open(my $fh, '>', $tmp) or fail("cannot write $tmp: $!");
print $fh @out;
close($fh) or fail("cannot write $tmp: $!");
rename($tmp, $file) or fail("cannot replace $file: $!");
