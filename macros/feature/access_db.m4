# FEATURE(access_db [, MAPDEF [, skip] [, lookupdotdomain] [, relaytofulladdress]]):
# the access map; the cf side lives in macros/proto/ (access.j2, rules_check.j2).
_mcc_provide(`feature')
ifdef(`_mcc_used_feature_greet_pause',
`_mcc_warning(`FEATURE(greet_pause) before FEATURE(access_db): greet_pause will not use the access map')')
