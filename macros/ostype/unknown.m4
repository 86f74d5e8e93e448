# OSTYPE(unknown): no system-specific settings; the tree's defaults apply.
_mcc_provide(`ostype')
