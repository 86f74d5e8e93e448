_mcc_provide(`feature')
