divert(-1)
# recursion.m4 -- deep and wide recursion.
#
# Three shapes of recursive macro: a chain that nests its argument
# collection 1500 levels deep (each level waits inside eval for the next),
# a doubly recursive Fibonacci (thousands of calls, shallow), and
# Ackermann's function (deep and bushy).  Output is a few numbers, so the
# time is spent expanding, not writing.
define(`sum_to', `ifelse(`$1', `0', `0', `eval($1 + sum_to(decr($1)))')')
define(`fib', `ifelse(eval($1 < 2), 1, `$1', `eval(fib(decr($1)) + fib(eval($1 - 2)))')')
define(`ack', `ifelse(`$1', `0', `incr($2)',
  `ifelse(`$2', `0', `ack(decr($1), 1)', `ack(decr($1), ack($1, decr($2)))')')')
divert(0)dnl
sum_to(1500)
fib(15)
ack(2, 60)
