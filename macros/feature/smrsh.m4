# FEATURE(smrsh [, PATH]): run programs through the restricted shell.
_mcc_provide(`feature')
ifdef(`_mcc_mailer_local', `_mcc_error(`FEATURE(smrsh) must occur before MAILER(local)')')
define(`LOCAL_SHELL_PATH', ifelse(_mcc_arg(1), `', `ifdef(`confEBINDIR', `confEBINDIR', `/usr/libexec')/smrsh', `_mcc_arg(1)'))
define(`LOCAL_SHELL_ARGS', `smrsh -c $u')
