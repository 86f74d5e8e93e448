# FEATURE(msp [, MTAHOST [, MSA]]): a configuration for the mail submission
# program (submit.cf): deliver everything to MTAHOST (default [localhost]),
# on port 587 when the second argument is `MSA'.  Variables set here with
# ifdef() may be given before the FEATURE; the others are fixed (cf/README,
# "MESSAGE SUBMISSION PROGRAM").
_mcc_provide(`feature')
define(`confDELIVERY_MODE', `i')
define(`confQUEUE_FILE_MODE', `0660')
define(`confFORWARD_PATH', `')
define(`confUSE_MSP', `True')
define(`confPRIVACY_FLAGS', `goaway,noetrn,restrictqrun')
define(`confDONT_PROBE_INTERFACES', `True')
ifdef(`MSP_QUEUE_DIR', `', `define(`MSP_QUEUE_DIR', `/var/spool/clientmqueue')')
define(`QUEUE_DIR', defn(`MSP_QUEUE_DIR'))
ifdef(`STATUS_FILE', `', `define(`STATUS_FILE', defn(`MSP_QUEUE_DIR')`/sm-client.st')')
ifdef(`confPID_FILE', `', `define(`confPID_FILE', defn(`MSP_QUEUE_DIR')`/sm-client.pid')')
ifdef(`confRUN_AS_USER', `', `define(`confRUN_AS_USER', `smmsp')')
ifdef(`confTRUSTED_USER', `', `define(`confTRUSTED_USER', defn(`confRUN_AS_USER'))')
undefine(`ALIAS_FILE')
ifelse(_mcc_arg(2), `MSA', `define(`RELAY_MAILER_ARGS', `TCP $h 587')')
ifdef(`_mcc_have_daemon_options', `', `DAEMON_OPTIONS(`Name=NoMTA, Addr=127.0.0.1, M=E')')
MAILER(`local')
MAILER(`smtp')
