divert(-1)
#
#  mcc built-in tree: the entry point an mc file includes (or that is named
#  before the mc on the command line).
#
#  Nothing here writes sendmail.cf.  The macros below only RECORD what the
#  mc asks for; at end of input the record stream is printed and mcc's
#  Python side (mccompiler.builtin) turns it into a Config and renders the
#  cf from the templates in proto/.
#
#  Record stream format (one record per item, in diversion 9):
#      @@@0 KIND FILE:LINE NARGS
#      @@@1 ARG            (NARGS times; an ARG may span lines)
#  Captured text sections (LOCAL_CONFIG, LOCAL_RULE_n, ...) go to
#  diversion 8, each introduced by
#      @@@2 SECTION FILE:LINE
#  and extending to the next @@@2 line.
#

# ---------------------------------------------------------------- basics
define(`_mcc_real_define', defn(`define'))
define(`_mcc_real_undefine', defn(`undefine'))

# Where the tree lives: _CF_DIR_ may be given with -D; else derived from
# the location of this file (strip the trailing m4/cf.m4).
ifdef(`_CF_DIR_', `',
  `define(`_CF_DIR_',
    substr(__file__, 0, eval(len(__file__) - len(`m4/cf.m4'))))')

# FILE:LINE of the current input position, and the position records are
# attributed to: inside a tree file, the mc line that loaded it.
define(`_mcc_here', `__file__:__line__')
define(`_mcc_pos', `ifdef(`_mcc_site', `_mcc_site', `_mcc_here')')

# ---------------------------------------------------------------- records
# _mcc_rec(KIND, ARGS...): print one record into diversion 9, keeping the
# caller`'s diversion.  KIND and ARGS are printed as they are, not rescanned.
define(`_mcc_rec',
`pushdef(`_mcc_d', divnum)divert(9)`@@@0 $1 '_mcc_pos eval($# - 1)
_mcc_args(shift($@))divert(_mcc_d)popdef(`_mcc_d')')
define(`_mcc_args',
`ifelse(`$#', `1', ``@@@1 $1'
', ``@@@1 $1'
'`_mcc_args(shift($@))')')

# _mcc_var(NAME): record the current (expanded) value of variable NAME.
define(`_mcc_var',
`ifdef(`$1', `pushdef(`_mcc_d', divnum)divert(9)`@@@0 var '_mcc_where(`$1') 2
`@@@1 $1'
`@@@1 '_mcc_value(`$1')
divert(_mcc_d)popdef(`_mcc_d')')')
# Variables named like configuration (conf*, or starting with a capital)
# are expanded as sendmail's tree would; anything else is shown verbatim.
define(`_mcc_value',
`ifelse(regexp(`$1', `^\(conf\|[A-Z]\)'), `0', `$1', `defn(`$1')')')
define(`_mcc_where', `ifdef(`_mcc_at_$1', `defn(`_mcc_at_$1')', `-:0')')

define(`_mcc_names', `')
define(`_mcc_dump_all', `_mcc_dump_each(_mcc_names`'_mcc_end_)')
define(`_mcc_dump_each',
`ifelse(`$1', `_mcc_end_', `', `_mcc_var(`$1')_mcc_dump_each(shift($@))')')

# ---------------------------------------------------------------- sections
# A section captures the text that follows, up to the next divert.
define(`_mcc_section', `divert(8)`@@@2 $1 '_mcc_pos
')

# ---------------------------------------------------------------- loading
# _mcc_load(DIR, NAME, ARGS...): read DIR/NAME.m4 from the tree; the file
# itself records what it stands for and sets _mcc_found.
define(`_mcc_load',
`ifdef(`_mcc_site', `pushdef(`_mcc_site', defn(`_mcc_site'))', `pushdef(`_mcc_site', _mcc_here)')pushdef(`_mcc_found', `no')pushdef(`_mcc_cur_args', `shift($@)')pushdef(`_mcc_ld', divnum)divert(-1)sinclude(_CF_DIR_`$1/$2.m4')divert(_mcc_ld)popdef(`_mcc_ld')ifelse(_mcc_found, `no',
`_mcc_rec(`unknown', `$1', `$2')')popdef(`_mcc_cur_args')popdef(`_mcc_found')popdef(`_mcc_site')')
# Called by a tree file: record KIND with the arguments it was loaded with.
# It also defines _mcc_used_KIND_NAME, so a later file can ask what came before.
define(`_mcc_provide', `_mcc_real_define(`_mcc_found', `yes')_mcc_real_define(`_mcc_used_$1_'_mcc_pick(`0', _mcc_cur_args), `1')_mcc_rec(`$1', _mcc_cur_args)')

# _mcc_arg(N): argument N of the FEATURE/MAILER/... being loaded (1 = first
# argument after the name), unexpanded; empty when absent.
define(`_mcc_arg', `_mcc_pick(`$1', _mcc_cur_args)')
define(`_mcc_pick',
`ifelse(`$1', `0', ``$2'', eval(`$#' <= 2), `1', `', `_mcc_pick(decr(`$1'), shift(shift($@)))')')

define(`_mcc_error', `_mcc_rec(`error', `$1')')
# A warning is recorded and printed at once, with the mc position.
define(`_mcc_warning', `_mcc_rec(`warning', `$1')errprint(_mcc_pos`: warning: $1
')')

# ---------------------------------------------------------------- vocabulary
define(`VERSIONID', `_mcc_rec(`versionid', `$1')')
define(`OSTYPE',
`ifdef(`_mcc_have_mailer', `_mcc_error(`OSTYPE() should be before MAILER()')')_mcc_real_define(`_mcc_have_ostype', `$1')_mcc_load(`ostype', $@)')
define(`DOMAIN', `_mcc_load(`domain', $@)')
define(`FEATURE',
`ifdef(`_mcc_have_mailer', `_mcc_error(`FEATURE() should be before MAILER()')')_mcc_load(`feature', $@)')
define(`HACK', `_mcc_load(`hack', $@)')
define(`MAILER',
`ifdef(`_mcc_mailer_$1', `_mcc_error(`MAILER($1) already included')',
`_mcc_real_define(`_mcc_mailer_$1', `1')_mcc_real_define(`_mcc_have_mailer', `1')_mcc_load(`mailer', $@)')')
define(`_mcc_feature_used', `ifdef(`_mcc_used_feature_$1', `1', `0')')

define(`MASQUERADE_AS', `_mcc_rec(`masquerade_as', `$1')')
define(`MASQUERADE_DOMAIN', `_mcc_rec(`class', `M', `$1')')
define(`MASQUERADE_DOMAIN_FILE', `_mcc_rec(`classfile', `M', `$1')')
define(`MASQUERADE_EXCEPTION', `_mcc_rec(`class', `N', `$1')')
define(`MASQUERADE_EXCEPTION_FILE', `_mcc_rec(`classfile', `N', `$1')')
define(`EXPOSED_USER', `_mcc_rec(`class', `E', `$1')')
define(`EXPOSED_USER_FILE', `_mcc_rec(`classfile', `E', `$1')')
define(`GENERICS_DOMAIN', `_mcc_rec(`class', `G', `$1')')
define(`GENERICS_DOMAIN_FILE', `_mcc_rec(`classfile', `G', `$1')')
define(`VIRTUSER_DOMAIN', `_mcc_rec(`class', `{VirtHost}', `$1')')
define(`VIRTUSER_DOMAIN_FILE', `_mcc_rec(`classfile', `{VirtHost}', `$1')')
define(`RELAY_DOMAIN', `_mcc_rec(`class', `R', `$1')')
define(`RELAY_DOMAIN_FILE', `_mcc_rec(`classfile', `R', `$1')')
define(`LOCAL_DOMAIN', `_mcc_rec(`class', `w', `$1')')
define(`LOCAL_USER', `_mcc_rec(`class', `L', `$1')')
define(`CANONIFY_DOMAIN', `_mcc_rec(`class', `{Canonify}', `$1')')
define(`CANONIFY_DOMAIN_FILE', `_mcc_rec(`classfile', `{Canonify}', `$1')')
define(`DAEMON_OPTIONS', `_mcc_real_define(`_mcc_have_daemon_options', `1')_mcc_rec(`daemon_options', `$1')')
define(`CLIENT_OPTIONS', `_mcc_rec(`client_options', `$1')')
define(`INPUT_MAIL_FILTER', `_mcc_rec(`input_mail_filter', `$1', `$2')')
define(`MAIL_FILTER', `_mcc_rec(`mail_filter', `$1', `$2')')
define(`TRUST_AUTH_MECH', `_mcc_rec(`trust_auth_mech', `$1')')
define(`MODIFY_MAILER_FLAGS', `_mcc_rec(`modify_mailer_flags', `$1', `$2')')
define(`MAILER_DEFINITIONS', `_mcc_section(`MAILER_DEFINITIONS')')
define(`LOCAL_CONFIG', `_mcc_section(`LOCAL_CONFIG')')
define(`LOCAL_RULE_0', `_mcc_section(`LOCAL_RULE_0')')
define(`LOCAL_RULE_1', `_mcc_section(`LOCAL_RULE_1')')
define(`LOCAL_RULE_2', `_mcc_section(`LOCAL_RULE_2')')
define(`LOCAL_RULE_3', `_mcc_section(`LOCAL_RULE_3')')
define(`LOCAL_RULESETS', `_mcc_section(`LOCAL_RULESETS')')
define(`LOCAL_NET_CONFIG', `_mcc_section(`LOCAL_NET_CONFIG')')
define(`LOCAL_SRV_FEATURES', `_mcc_section(`LOCAL_SRV_FEATURES')')
define(`LOCAL_CLT_FEATURES', `_mcc_section(`LOCAL_CLT_FEATURES')')
define(`LOCAL_TRY_TLS', `_mcc_section(`LOCAL_TRY_TLS')')
define(`LOCAL_TLS_RCPT', `_mcc_section(`LOCAL_TLS_RCPT')')
define(`LOCAL_TLS_CLIENT', `_mcc_section(`LOCAL_TLS_CLIENT')')
define(`LOCAL_TLS_SERVER', `_mcc_section(`LOCAL_TLS_SERVER')')

# define() is wrapped so that every variable remembers where it was set,
# and is remembered for the end-of-input dump.
_mcc_real_define(`define',
`ifelse(`$#', `0', ``define'',
`_mcc_real_define(`_mcc_at_$1', _mcc_pos)_mcc_remember(`$1')_mcc_real_define($@)')')
define(`_mcc_remember',
`ifdef(`_mcc_seen_$1', `',
`_mcc_real_define(`_mcc_seen_$1', `1')_mcc_real_define(`_mcc_names', defn(`_mcc_names')``$1',')')')
# Values sendmail`'s tree sets unless the mc says otherwise.
include(_CF_DIR_`m4/defaults.m4')

# At end of input: the OSTYPE check, then every variable`'s final value.
m4wrap(`ifdef(`_mcc_have_ostype', `', `ifdef(`__OSTYPE__', `', `_mcc_error(`No system type defined (use OSTYPE macro)')')')_mcc_dump_all`'divert(9)`@@@0 end -:0 0'
')
divert(0)dnl
