# MAILER(procmail): hand mail to procmail (for mailertable routes).
_mcc_provide(`mailer')
ifdef(`PROCMAIL_MAILER_PATH', `', `define(`PROCMAIL_MAILER_PATH', `/usr/local/bin/procmail')')
ifdef(`PROCMAIL_MAILER_FLAGS', `', `define(`PROCMAIL_MAILER_FLAGS', `SPhnu9')')
ifdef(`PROCMAIL_MAILER_ARGS', `', `define(`PROCMAIL_MAILER_ARGS', `procmail -Y -m $h $f $u')')
