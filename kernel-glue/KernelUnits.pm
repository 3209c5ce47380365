# SPDX-License-Identifier: GPL-2.0
#
# KernelUnits - the top-level definitions of a kernel-style C source file.
#
# A unit is one definition at column 0 together with the block comment
# directly above it (no blank line in between), as kernel-doc attaches it:
#
#   macro     #define NAME ..., with its continuation lines
#   guard     #define NAME right after #ifndef NAME (an include guard, or
#             an arch override marker), which check-copies does not compare
#   function  a definition with a body: from its first line to "}" in column 0
#   struct    struct/union/enum NAME { ... };  (name "struct NAME", ...)
#   typedef   typedef ... NAME;  (possibly over several lines)
#   variable  an initialised definition: ... NAME = { ... };
#
# Declarations (prototypes, extern variables, EXPORT_SYMBOL() lines) and
# preprocessor conditionals are not units. splice.pl, check-copies and the
# tests use this one parser, so that "the definition of NAME" means the same
# text everywhere.
package KernelUnits;

use strict;
use warnings;
use Exporter 'import';

our @EXPORT_OK = qw(parse_units slurp unit_text find_units);

sub slurp {
	my ($path) = @_;
	open(my $fh, '<', $path) or die "cannot read $path: $!\n";
	local $/;
	my $text = <$fh>;
	close($fh);
	return $text;
}

# The block comment ending on line $i - 1, if any: its first line index.
sub comment_start {
	my ($lines, $i) = @_;
	my $j = $i - 1;
	return $i if $j < 0 || $lines->[$j] !~ m{\*/\s*$};
	while ($j >= 0) {
		return $j if $lines->[$j] =~ m{^\s*/\*};
		return $i if $lines->[$j] =~ /^\s*$/;
		$j--;
	}
	return $i;
}

# Strip comments and string/char literals from one line, for brace and
# parenthesis counting. $state->{comment} carries a /* ... */ across lines.
sub code_of {
	my ($line, $state) = @_;
	my $out = '';
	my $s = $line;
	while (length $s) {
		if ($state->{comment}) {
			if ($s =~ s{^.*?\*/}{}s) {
				$state->{comment} = 0;
			} else {
				return $out;
			}
		} elsif ($s =~ s{^/\*}{}) {
			$state->{comment} = 1;
		} elsif ($s =~ m{^//}) {
			return $out;
		} elsif ($s =~ s/^("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')//) {
			$out .= '""';
		} else {
			$s =~ s/^(.)//s;
			$out .= $1;
		}
	}
	return $out;
}

# parse_units(TEXT) -> list of { name, kind, start, body, end } (line
# indexes: start is the first comment line, body the definition's first
# line, end its last line, inclusive) and a reference to the lines.
sub parse_units {
	my ($text) = @_;
	my @lines = split(/^/m, $text);
	my @units;
	my $n = scalar @lines;
	my $i = 0;
	my %cstate = (comment => 0);

	while ($i < $n) {
		my $l = $lines[$i];

		# skip a block comment that starts in column 0 and is not
		# followed by a definition (the definition picks it up later)
		if ($l =~ m{^//}) {
			$i++;
			next;
		}
		if ($l =~ m{^/\*}) {
			$i++ while $i < $n && $lines[$i] !~ m{\*/};
			$i++;
			next;
		}
		if ($l =~ /^#\s*define\s+(\w+)/) {
			my ($name, $e) = ($1, $i);
			$e++ while $e + 1 < $n && $lines[$e] =~ /\\\n?\z/;
			# an include guard: "#ifndef X" then "#define X"
			my $guard = $l =~ /^#\s*define\s+\w+\s*$/ && $i > 0 &&
				$lines[$i - 1] =~ /^#\s*ifndef\s+\Q$name\E\s*$/;
			push @units, { name => $name,
				kind => $guard ? 'guard' : 'macro',
				start => comment_start(\@lines, $i),
				body => $i, end => $e };
			$i = $e + 1;
			next;
		}
		if ($l =~ /^(?:#|\s|$|\}|\{)/) {
			$i++;
			next;
		}
		if ($l =~ /^(struct|union|enum)\s+(\w+)\s*\{/) {
			my ($kind, $name) = ($1, "$1 $2");
			my $e = $i;
			$e++ while $e < $n && $lines[$e] !~ /^\}.*;\s*$/;
			push @units, { name => $name, kind => 'struct',
				start => comment_start(\@lines, $i),
				body => $i, end => $e };
			$i = $e + 1;
			next;
		}
		if ($l =~ /^typedef\b/) {
			# up to the ";" outside any braces or parentheses
			my ($e, $depth, $code) = ($i, 0, '');
			my %st = (comment => 0);
			TD: while ($e < $n) {
				for my $c (split //, code_of($lines[$e], \%st)) {
					$depth++ if $c =~ /[({\[]/;
					$depth-- if $c =~ /[)}\]]/;
					last TD if $c eq ';' && $depth == 0;
					$code .= $depth ? ' ' : $c;
				}
				$code .= ' ';
				$e++;
			}
			last if $e >= $n;
			my ($name) = $lines[$i] =~ /\(\s*\*\s*(\w+)\s*\)/;
			$code =~ s/__attribute__\s*//g;
			($name) = $code =~ /(\w+)\s*$/ unless $name;
			push @units, { name => $name, kind => 'typedef',
				start => comment_start(\@lines, $i),
				body => $i, end => $e } if $name;
			$i = $e + 1;
			next;
		}
		# Collect the head up to the first ";" or "{" at depth 0.
		my ($e, $depth, $head, $end_char) = ($i, 0, '', '');
		my %st = (comment => 0);
		HEAD: while ($e < $n) {
			my $code = code_of($lines[$e], \%st);
			for my $c (split //, $code) {
				if ($c eq '(' || $c eq '[') {
					$depth++;
				} elsif ($c eq ')' || $c eq ']') {
					$depth--;
				} elsif ($depth == 0 && ($c eq ';' || $c eq '{')) {
					$end_char = $c;
					$head .= $c;
					last HEAD;
				}
				$head .= $c;
			}
			$head .= ' ';
			$e++;
		}
		last if $e >= $n;
		if ($end_char eq ';') {
			$i = $e + 1;		# a declaration
			next;
		}
		# "{": a function body, or an initialiser of a variable
		my ($kind, $name);
		if ($head =~ /=\s*\{$/) {
			($name) = $head =~ /(\w+)\s*(?:\[[^\]]*\]\s*)*=\s*\{$/;
			$kind = 'variable';
		} else {
			(my $h = $head) =~ s/\s+/ /g;
			# the identifier before the parameter list: the last
			# "NAME(" at depth 0 that is followed by the body
			my $d = 0;
			my $pos = -1;
			for my $k (0 .. length($h) - 1) {
				my $c = substr($h, $k, 1);
				if ($c eq '(') {
					$pos = $k if $d == 0;
					$d++;
				} elsif ($c eq ')') {
					$d--;
				}
			}
			if ($pos >= 0) {
				($name) = substr($h, 0, $pos) =~ /(\w+)\s*$/;
			}
			$kind = 'function';
		}
		my $be = $e;
		$be++ while $be < $n && $lines[$be] !~ /^\}/;
		if (defined $name && $be < $n) {
			push @units, { name => $name, kind => $kind,
				start => comment_start(\@lines, $i),
				body => $i, end => $be };
		}
		$i = $be + 1;
	}
	return (\@units, \@lines);
}

sub unit_text {
	my ($lines, $u) = @_;
	return join('', @{$lines}[$u->{start} .. $u->{end}]);
}

# find_units(UNITS, NAME) -> the units named NAME
sub find_units {
	my ($units, $name) = @_;
	return grep { $_->{name} eq $name } @$units;
}

1;
