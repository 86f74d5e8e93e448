# FEATURE(relay_hosts_only): relay for the exact hosts in $=R and To:/Connect: RELAY entries only.
_mcc_provide(`feature')
