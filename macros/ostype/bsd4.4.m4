# OSTYPE(bsd4.4): 4.4BSD; mail.local delivers local mail.
_mcc_provide(`ostype')
ifdef(`STATUS_FILE', `', `define(`STATUS_FILE', `/var/log/sendmail.st')')
ifdef(`LOCAL_MAILER_PATH', `', `define(`LOCAL_MAILER_PATH', `/usr/libexec/mail.local')')
