# FEATURE(domaintable): recorded; the cf side (Kdomaintable, the ruleset 3 rewrite) is in macros/proto/.
_mcc_provide(`feature')
