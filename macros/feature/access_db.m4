# FEATURE(access_db): recorded; the cf side lives in macros/proto/ and mccompiler.builtin.
_mcc_provide(`feature')
