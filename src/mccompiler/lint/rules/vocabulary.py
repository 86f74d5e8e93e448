"""MCC2xx: names that do not exist in the cf tree or in sendmail's documentation."""

from __future__ import annotations

import re

from mccompiler.lint.context import LintContext, closest, did_you_mean
from mccompiler.lint.findings import Severity
from mccompiler.lint.registry import check, rule
from mccompiler.lint.rules.syntax_rules import TYPOGRAPHIC
from mccompiler.lint.syntax import Leaf, Quoted
from mccompiler.lint.vocab import BUILTIN_TREE_MACROS, M4_BUILTINS

_KIND_RULES = {
    "FEATURE": ("MCC201", "feature"),
    "MAILER": ("MCC202", "mailer"),
    "OSTYPE": ("MCC203", "ostype"),
    "DOMAIN": ("MCC204", "domain"),
    "HACK": ("MCC205", "hack"),
}

for _macro, (_code, _kind) in _KIND_RULES.items():
    rule(
        _code, f"unknown-{_kind}", Severity.ERROR,
        f"{_macro}() names {'an' if _kind[0] in 'aeiou' else 'a'} {_kind} the cf tree does not have",
        f"""
        {_macro}(`name') includes the file {_kind}/name.m4 of the cf tree. When
        there is no such file m4 prints "cannot open" and exits with status 1,
        and the cf is built without it. The names come from the cf tree lint
        found (or sendmail's documented list when no tree is installed), so a
        site's own {_kind} files count too. Check the spelling; the message
        names the closest existing {_kind}.
        """,
    )

rule(
    "MCC206", "unknown-option", Severity.WARNING,
    "define() of a conf* option that sendmail's cf tree does not know",
    """
    Options are set with define(`confNAME', `value'). A misspelled name is
    silently ignored: nothing reads it, and the option keeps its default.
    The known names are those the cf tree reads (its proto.m4 _OPTION table
    and every ifdef of a conf name) or, without a tree, cf/README's table.
    """,
)
rule(
    "MCC207", "misspelled-variable", Severity.WARNING,
    "define() of a name that is close to a known m4 variable",
    """
    Besides conf* options, an mc sets variables such as SMART_HOST,
    MAIL_HUB, LOCAL_MAILER_PATH or PROCMAIL_MAILER_ARGS. A name nothing
    reads is silently ignored. This rule fires when the name is unknown to
    the cf tree but very close to one it knows, which is nearly always a
    typo.
    """,
)
rule(
    "MCC208", "unknown-macro", Severity.ERROR,
    "a call to a macro that neither m4 nor the cf tree defines",
    """
    m4 leaves a name it does not know as text, so FEATUER(`x') lands in
    sendmail.cf verbatim: sendmail reads "FEATUER(x)" as an F line (a class
    read from a file) or rejects it. The closest known macro is suggested.
    In a part of the file whose output is discarded (divert(-1)) the call
    is only a warning.
    """,
)

_DEFINE_IN_TEXT = re.compile(r"(?:define|pushdef)\(\s*`?([A-Za-z_][A-Za-z0-9_]*)")


def _value_pos(ctx: LintContext, event, index):  # type: ignore[no-untyped-def]
    """Where the value of argument *index* starts (inside its quote)."""
    if index < len(event.call.args):
        arg = event.call.args[index]
        for item in arg.items:
            if isinstance(item, Leaf) and item.kind == "text" and not item.text.strip():
                continue
            if isinstance(item, Quoted) and item.items:
                return item.items[0].pos
            return item.pos
    return event.arg_pos(index)


value_pos = _value_pos


@check
def unknown_names(ctx: LintContext) -> None:
    for event in ctx.all_calls():
        spec = _KIND_RULES.get(event.name)
        if spec is None or not event.call.args:
            continue
        code, kind = spec
        name = event.arg(0).strip()
        known = ctx.vocab.names.get(kind, frozenset())
        if not name or name in known or not known:
            continue
        if "/" in name or "$" in name:
            continue
        if name.startswith("'") or any(c in TYPOGRAPHIC for c in name):
            continue  # a quoting mistake: MCC102/MCC103 report it with the fix
        from mccompiler.lint.rules.features import DEPRECATED

        if (event.name, name) in DEPRECATED:
            continue  # a removed name: MCC405 reports it with its replacement
        hint = did_you_mean(name, known, f"{event.name}(`{{}}')")
        where = f" in {ctx.vocab.source}" if ctx.vocab.tree else ""
        ctx.report(
            code, _value_pos(ctx, event, 0),
            f"unknown {kind} '{name}': no {kind}/{name}.m4{where}{hint}",
        )


@check
def unknown_options(ctx: LintContext) -> None:
    vocab = ctx.vocab
    variables = set(vocab.options) | set(vocab.tested)
    for event in ctx.all_calls("define", "undefine", "pushdef"):
        name = event.arg(0).strip()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            continue
        if name.startswith("conf"):
            if vocab.is_known_variable(name):
                continue
            hint = did_you_mean(name, vocab.options, "`{}'")
            ctx.report(
                "MCC206", _value_pos(ctx, event, 0),
                f"unknown option '{name}': sendmail's cf tree never reads it{hint}",
            )
        elif not name.startswith("_") and name.upper() == name:
            if vocab.is_known_variable(name) or name in vocab.macros:
                continue
            # MAX_MESSAGE_SIZE for confMAX_MESSAGE_SIZE: the prefix was left out.
            match = f"conf{name}" if f"conf{name}" in vocab.options else None
            match = match or closest(name, variables, cutoff=0.88)
            if match and match != name:
                ctx.report(
                    "MCC207", _value_pos(ctx, event, 0),
                    f"nothing reads '{name}'; did you mean `{match}'?",
                )


def _known_macros(ctx: LintContext) -> set[str]:
    known = set(M4_BUILTINS) | set(BUILTIN_TREE_MACROS) | set(ctx.vocab.macros)
    known.update(_DEFINE_IN_TEXT.findall(ctx.text))
    return known


@check
def unknown_macros(ctx: LintContext) -> None:
    known: set[str] | None = None
    for event in ctx.events:
        name = event.name
        if event.call.pos.offset < ctx.parsed.split and ctx.parsed.include_call is not None:
            continue
        if known is None:
            known = _known_macros(ctx)
        if name in known:
            continue
        candidates = [k for k in known if not k.startswith("_")]
        match = closest(name, candidates, cutoff=0.8)
        looks_like_macro = re.fullmatch(r"[A-Z][A-Z0-9_]*", name) is not None
        if not match and not looks_like_macro:
            continue
        severity = Severity.ERROR if event.diversion >= 0 else Severity.WARNING
        hint = f"; did you mean {match}()?" if match else ""
        where = "lands in sendmail.cf as text" if event.diversion >= 0 else "is discarded"
        ctx.report(
            "MCC208", event.call.pos,
            f"unknown macro {name}(): m4 leaves it unexpanded and it {where}{hint}",
            severity=severity,
        )
