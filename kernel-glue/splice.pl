#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# splice.pl - put ptebatch's lib/ code into a kernel source file, verbatim.
#
#   splice.pl after-function FILE PREFIX FRAGMENT
#	insert the fragment after the definition whose first line starts with
#	PREFIX (up to its closing "}" in column 0), separated by one blank line
#   splice.pl before-function FILE PREFIX FRAGMENT
#	insert the fragment before the definition whose first line starts
#	with PREFIX, above the comment block that documents it
#   splice.pl sync FILE LIBFILE NAME...
#	make FILE's definitions NAME... (see KernelUnits.pm: a definition with
#	the block comment above it) LIBFILE's: a definition FILE has is
#	replaced in place, one it lacks is inserted after the definition that
#	precedes it in LIBFILE (past the preprocessor lines that follow that
#	one in LIBFILE), separated by one blank line; an "#ifndef NAME" arch
#	override guard right above it in LIBFILE and the "#endif" right below
#	come along. This is how the series extends a function the tree has,
#	instead of adding a copy beside it.
#   splice.pl body FRAGMENT
#	print the part of FRAGMENT that gets spliced
#
# A fragment (new code only) starts with its SPDX line and a "ptebatch: ..."
# line, then a blank line; the rest is spliced byte for byte. An anchor must
# occur exactly once, or nothing is written and the exit status is non-zero.
use strict;
use warnings;
use File::Basename qw(dirname);
use lib dirname(__FILE__);
use KernelUnits qw(parse_units unit_text find_units);

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
sub write_file {
	my ($file, @out) = @_;
	my $tmp = "$file.splice.$$";
	open(my $fh, '>', $tmp) or fail("cannot write $tmp: $!");
	print $fh @out;
	close($fh) or fail("cannot write $tmp: $!");
	rename($tmp, $file) or fail("cannot replace $file: $!");
}

sub one_unit {
	my ($units, $name, $where) = @_;
	my @u = find_units($units, $name);
	fail("$where has " . scalar(@u) . " definitions of $name") if @u > 1;
	return $u[0];
}

if ($mode eq 'sync') {
	@ARGV >= 3 or fail("usage: splice.pl sync FILE LIBFILE NAME...");
	my ($file, $libfile, @names) = @ARGV;
	my ($lunits, $llines) = parse_units(slurp($libfile));
	for my $name (@names) {
		my $lu = one_unit($lunits, $name, $libfile) or
			fail("$libfile does not define $name");
		my $text = unit_text($llines, $lu);
		my ($funits, $flines) = parse_units(slurp($file));
		my $fu = one_unit($funits, $name, $file);
		my @lines = @$flines;
		if ($fu) {
			splice(@lines, $fu->{start}, $fu->{end} - $fu->{start} + 1, $text);
			write_file($file, @lines);
			next;
		}
		# a new definition: after the one before it in LIBFILE
		my ($k) = grep { $lunits->[$_] == $lu } 0 .. $#$lunits;
		fail("$name is the first definition of $libfile: nothing to put it after")
			unless $k;
		my $prev = $lunits->[$k - 1];
		my $pu = one_unit($funits, $prev->{name}, $file) or
			fail("$file has no $prev->{name}, after which $libfile puts $name");
		my $at = $pu->{end} + 1;
		my @between = grep { !/^\s*$/ } @{$llines}[$prev->{end} + 1 .. $lu->{start} - 1];
		# an arch override guard, "#ifndef NAME" right above the new
		# definition and its "#endif" right below, comes with it
		if (@between && $between[-1] =~ /^#ifndef \Q$name\E\s*$/ &&
		    ($llines->[$lu->{end} + 1] // '') =~ /^#endif\b/) {
			$text = pop(@between) . $text . $llines->[$lu->{end} + 1];
		}
		# the other preprocessor lines between the two in LIBFILE follow
		# the previous definition in FILE too (an #endif closing its
		# #ifndef)
		for my $sep (@between) {
			$at++ while $at < @lines && $lines[$at] =~ /^\s*$/;
			fail("$file: '$sep' does not follow $prev->{name} as in $libfile")
				unless $at < @lines && $lines[$at] eq $sep;
			$at++;
		}
		splice(@lines, $at, 0, "\n", $text);
		write_file($file, @lines);
	}
	exit 0;
}

($mode eq 'after-function' || $mode eq 'before-function') && @ARGV == 3
	or fail("usage: splice.pl after-function|before-function|sync FILE ...");
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

write_file($file, @out);

