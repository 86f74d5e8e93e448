# DOMAIN(debian-msp): Debian's settings for the mail submission program.
_mcc_provide(`domain')
define(`DEBIAN_MSP')
define(`STATUS_FILE', `/var/lib/sendmail/sendmail.st')
define(`confPID_FILE', `/var/run/sendmail/msp/sendmail.pid')
define(`confCONTROL_SOCKET_NAME', `/var/run/sendmail/msp/smcontrol')
define(`confPROCESS_TITLE_PREFIX', `MSP')
define(`confQUEUE_FILE_MODE', `0660')
define(`confTEMP_FILE_MODE', `0660')
