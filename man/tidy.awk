# Tidies scdoc's roff so that mandoc -T lint has nothing to say, without
# changing the rendered page:
# - drops the empty paragraphs that scdoc emits after headings and before
#   the ends of indented blocks ("skipping paragraph macro"); a paragraph
#   break before .RE moves after it, so the spacing stays;
# - drops the blank line that scdoc puts at the end of a list, before the
#   .RE and .P that end it: the one change to the rendered page, where it
#   left twice the space after a list;
# - breaks filled text lines longer than 80 bytes at a space ("input text
#   line longer than 80 bytes"): scdoc adds escapes to every line, so the
#   source cannot keep them short.  In fill mode a line break is a space.

# Prints s, broken at spaces into lines of at most 80 bytes where it can.
function emit(s,    i, cut) {
	while (length(s) > 80) {
		cut = 0
		for (i = 81; i > 1; i--)
			if (substr(s, i, 1) == " " &&
			    substr(s, i - 1, 1) != "\\" &&
			    substr(s, i + 1, 1) !~ /^[.' ]?$/) {
				cut = i
				break
			}
		if (cut == 0)
			break
		print substr(s, 1, cut - 1)
		s = substr(s, cut + 1)
	}
	print s
}

/^$/ && !nofill {
	blank = 1
	next
}
blank && !/^\.RE/ {
	print ""
	prev = ""
}
{
	blank = 0
}
/^\.(P|PP|LP)$/ {
	if (prev !~ /^\.(TH|SH|SS|P|PP|LP)( |$)/)
		held = 1
	next
}
/^\.RE/ && held {
	print
	prev = $0
	next
}
{
	if (held && $0 !~ /^\.(SH|SS)( |$)/)
		print ".P"
	held = 0
	if ($0 ~ /^\.nf/)
		nofill = 1
	else if ($0 ~ /^\.fi/)
		nofill = 0
	else if ($0 ~ /^\.TS/)
		table = 1
	else if ($0 ~ /^\.TE/)
		table = 0
	if ($0 ~ /^[.']/ || nofill || (table && !cell))
		print
	else
		emit($0)
	if (table && $0 ~ /^T\}/)
		cell = 0
	if (table && $0 ~ /T\{$/)
		cell = 1
	if ($0 !~ /^\.\\"/)
		prev = $0
}
