# FEATURE(local_lmtp [, PATH [, ARGV]]): deliver local mail over LMTP (mail.local).
_mcc_provide(`feature')
ifdef(`_mcc_mailer_local', `_mcc_error(`FEATURE(local_lmtp) must occur before MAILER(local)')')
define(`LOCAL_MAILER_PATH', ifelse(_mcc_arg(1), `', `ifdef(`confEBINDIR', `confEBINDIR', `/usr/libexec')/mail.local', `_mcc_arg(1)'))
define(`LOCAL_MAILER_FLAGS', `PSXmnz9')
define(`LOCAL_MAILER_ARGS', ifelse(_mcc_arg(2), `', `mail.local -l', `_mcc_arg(2)'))
