# FEATURE(greet_pause [, MILLISECONDS]): the greet_pause ruleset says how long to
# wait before the 220 greeting (GreetPause: access entries, else the argument).
_mcc_provide(`feature')
ifelse(_mcc_arg(1), `', `ifdef(`_mcc_used_feature_access_db', `',
`_mcc_error(`FEATURE(greet_pause) without a pause argument requires FEATURE(access_db) before it')')')
