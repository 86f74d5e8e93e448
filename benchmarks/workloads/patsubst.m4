divert(-1)
# patsubst.m4 -- regular expressions over a large text.
#
# Builds a 115 KiB string of mail-log-like lines (no commas, so the text
# can be passed around unquoted) by repeated doubling, then
# runs patsubst with back-references and character classes over all of it,
# a regexp search with a replacement, and translit of the whole text.
define(`line', `Nov 25 05:04:01 mta sm-mta[4242]: 5AP54O: from=<user@example.com>; size=1234; relay=client.example.net [192.0.2.7]
')
define(`double', `define(`$1', defn(`$1')defn(`$1'))')
define(`text', defn(`line'))
double(`text')double(`text')double(`text')double(`text')double(`text')
double(`text')double(`text')double(`text')double(`text')double(`text')
divert(0)dnl
len(defn(`text'))
patsubst(defn(`text'), `from=<\([a-z]+\)@\([a-z.]+\)>', `sender \2 user \1')dnl
patsubst(defn(`text'), `\[\([0-9.]+\)\]', `(\1)')dnl
regexp(defn(`text'), `size=\([0-9]+\); relay=\([^ ]*\)', `size \1 relay \2')
len(translit(defn(`text'), `a-z', `A-Z'))
len(patsubst(defn(`text'), `[0-9]'))
