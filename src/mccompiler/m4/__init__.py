"""The GNU m4 1.4.19 compatible engine (the compiled build is used when current)."""

from mccompiler.m4 import native as _native

_native.install()
