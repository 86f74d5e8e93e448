"""mcc: a sendmail.mc to sendmail.cf compiler with a GNU m4 compatible engine."""

__version__ = "0.1.0"
