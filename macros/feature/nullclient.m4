# FEATURE(nullclient, HUB): a configuration that only forwards all mail to
# HUB over SMTP (cf/README): HUB is the smart host, the mail hub and the
# masquerading name; no aliasing or forwarding; recipients are masqueraded
# too, in the envelope as well.  The mailers come with it, so no FEATURE or MAILER may follow.
_mcc_provide(`feature')
ifelse(_mcc_arg(1), `', `_mcc_error(`FEATURE(nullclient) requires an argument: the mail hub')')
define(`SMART_HOST', _mcc_arg(1))
define(`MAIL_HUB', _mcc_arg(1))
MASQUERADE_AS(_mcc_arg(1))
define(`confFORWARD_PATH', `')
ifdef(`confFROM_HEADER', `', `define(`confFROM_HEADER', `<$g>')')
undefine(`ALIAS_FILE')
FEATURE(`allmasquerade')
FEATURE(`masquerade_envelope')
MAILER(`local')
MAILER(`smtp')
