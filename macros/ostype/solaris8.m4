# OSTYPE(solaris8): Solaris 8 and later; LMTP delivery to /usr/lib/mail.local,
# an IPv4 and an IPv6 daemon unless the mc gives its own DAEMON_OPTIONS.
_mcc_provide(`ostype')
ifdef(`confEBINDIR', `', `define(`confEBINDIR', `/usr/lib')')
ifdef(`confPID_FILE', `', `define(`confPID_FILE', `/var/run/sendmail.pid')')
FEATURE(`local_lmtp')
# The two daemons are a default: any DAEMON_OPTIONS of the mc, before or
# after the OSTYPE, replaces them (as in sendmail's tree), so they are
# recorded at end of input, attributed to the OSTYPE line, only when the mc
# gave none.
_mcc_real_define(`_mcc_solaris8_site', _mcc_pos)
_mcc_real_define(`_mcc_dump_all',
`ifdef(`_mcc_have_daemon_options', `',
`pushdef(`_mcc_site', defn(`_mcc_solaris8_site'))DAEMON_OPTIONS(`Name=MTA-v4, Family=inet')DAEMON_OPTIONS(`Name=MTA-v6, Family=inet6')popdef(`_mcc_site')')'defn(`_mcc_dump_all'))
