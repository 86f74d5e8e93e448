# FEATURE(local_procmail [, PATH [, ARGV [, FLAGS]]]): deliver local mail with procmail.
_mcc_provide(`feature')
ifdef(`_mcc_mailer_local', `_mcc_error(`FEATURE(local_procmail) must occur before MAILER(local)')')
define(`LOCAL_MAILER_PATH', ifelse(_mcc_arg(1), `', `ifdef(`PROCMAIL_MAILER_PATH', `PROCMAIL_MAILER_PATH', `/usr/local/bin/procmail')', `_mcc_arg(1)'))
define(`LOCAL_MAILER_ARGS', ifelse(_mcc_arg(2), `', `procmail -a $h -d $u', `_mcc_arg(2)'))
define(`LOCAL_MAILER_FLAGS', ifelse(_mcc_arg(3), `', `SPfhn9', `_mcc_arg(3)'))
