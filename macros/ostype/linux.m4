# OSTYPE(linux): Linux paths; procmail delivers local mail.
_mcc_provide(`ostype')
define(`confEBINDIR', `/usr/sbin')
ifdef(`PROCMAIL_MAILER_PATH', `', `define(`PROCMAIL_MAILER_PATH', `/usr/bin/procmail')')
FEATURE(`local_procmail')
