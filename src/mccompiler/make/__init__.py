"""`mcc make`: rebuild sendmail.cf, submit.cf and the map databases in a
directory laid out like /etc/mail, only what is stale, never half-written.

:mod:`.declared` finds the databases a cf declares, :mod:`.deps` what a cf
depends on, :mod:`.engine` plans and runs, :mod:`.atomic` writes files,
:mod:`.lint_gate` asks the linter, :mod:`.command` is the click command.
"""
