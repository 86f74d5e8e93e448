# OSTYPE(solaris8): Solaris 8 and later; LMTP delivery to /usr/lib/mail.local, IPv4 and IPv6 daemons.
_mcc_provide(`ostype')
ifdef(`confEBINDIR', `', `define(`confEBINDIR', `/usr/lib')')
ifdef(`confPID_FILE', `', `define(`confPID_FILE', `/var/run/sendmail.pid')')
DAEMON_OPTIONS(`Name=MTA-v4, Family=inet')
DAEMON_OPTIONS(`Name=MTA-v6, Family=inet6')
FEATURE(`local_lmtp')
