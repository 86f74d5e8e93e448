"""The MTA core: load any sendmail.cf, rewrite addresses as sendmail does, -bt.

``from mccompiler.mta.api import MTA`` for the Python API; ``mcc test`` and
``mcc route`` (mccompiler.mta.command) on the command line.
"""
