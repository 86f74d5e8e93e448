# FEATURE(access_db [, MAPDEF [, skip] [, lookupdotdomain] [, relaytofulladdress]]):
# the access map; the cf side lives in macros/proto/ (access.j2, rules_check.j2).
_mcc_provide(`feature')
ifdef(`_mcc_used_feature_greet_pause',
`_mcc_warning(`FEATURE(greet_pause) before FEATURE(access_db): greet_pause will not use the access map')')
ifelse(_mcc_arg(1), `', `', _mcc_arg(1), `LDAP', `',
`ifelse(index(_mcc_arg(1), `-T<TMPF>'), `-1', `ifelse(regexp(_mcc_arg(1), `^sequence '), `0', `',
`_mcc_warning(`the map definition of FEATURE(access_db) has no -T<TMPF>: added')')')')
