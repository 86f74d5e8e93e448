divert(-1)
# calls.m4 -- many thousands of small macro calls.
#
# A counting loop writes 2000 table rows.  Each row runs a handful of
# string builtins (substr, len, index, translit, format), an ifelse chain,
# pushdef/popdef of a scratch macro and a write into one of three
# diversions, which are brought back in a fixed order at the end.
define(`loop', `ifelse(eval(`$1 <= $2'), 1, `$3($1)`'loop(incr($1), `$2', `$3')')')
define(`name', `translit(`host$1', `0123456789', `abcdefghij')')
define(`kind', `ifelse(eval($1 % 15), 0, `both', eval($1 % 5), 0, `five', eval($1 % 3), 0, `three', `plain')')
define(`row', `pushdef(`cur', name($1))divert(eval($1 % 3 + 1))dnl
format(`%05d', $1) cur len(cur) index(cur, `c') substr(cur, 2, 3) kind($1)
divert(-1)popdef(`cur')')
divert(0)dnl
loop(1, 2000, `row')dnl
divert(0)dnl
undivert(3)undivert(1)undivert(2)dnl
