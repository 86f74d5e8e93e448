"""Map sources (access, virtusertable, aliases, ...) and the databases sendmail reads.

:mod:`.source` and :mod:`.aliases` read sources as makemap and newaliases
do, :mod:`.kinds` checks what each map means, :mod:`.db` writes and reads
Berkeley DB files, :mod:`.build` ties them together, :mod:`.command` is
`mcc map`.
"""
