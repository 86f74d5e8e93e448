"""The work behind `mcc make`: decide what is stale, rebuild it safely.

Order: sendmail.cf and submit.cf first (the map types come from the cf),
then each map database the cf declares (or, for the usual sources, a hash
map beside them), then aliases.db.  Every output is written to a temporary
file beside it and renamed into place, so a failed step leaves the old file
byte for byte.  Exit statuses follow make: 0 done, 2 when something failed
(and with -q: 0 up to date, 1 something is stale).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mccompiler.make import declared, deps
from mccompiler.make.declared import MapDecl

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mccompiler.maps.kinds import Check

CF_NAMES = ("sendmail", "submit")
CF_MODE = 0o644


class BuildError(Exception):
    """A step failed; the message (and printed findings) say why."""


@dataclass
class Job:
    """One thing `mcc make` can build."""

    name: str  # what the user types: sendmail.cf, access.db
    path: Path
    source: Path
    kind: str  # "cf", "map" or "aliases"
    decl: MapDecl | None = None
    deps: list[Path] = field(default_factory=list)
    tree: Path | None = None
    note: str = ""

    def why_stale(self) -> str | None:
        """Why the job must run (a sentence), or None when it is up to date."""
        reason = deps.why_stale(self.path, [self.source, *self.deps], self.tree)
        if reason is None and self.decl is not None:
            reason = self._layout_differs()
        return reason

    def _layout_differs(self) -> str | None:
        """A database whose type or -N no longer matches its declaration (the
        cf changed it): sendmail would fail to read it, so it is stale."""
        from mccompiler.maps.db import db_type, stores_nul

        assert self.decl is not None
        found = db_type(self.path)
        if found is not None and found != self.decl.dbtype:
            return f"{self.name} is a {found} database but {self.decl.origin} declares {self.decl.dbtype}"
        if self.kind == "map":
            nul = stores_nul(self.path)
            if nul is not None and nul != self.decl.nul:
                has = "with" if nul else "without"
                wants = "with" if self.decl.nul else "without"
                return f"{self.name} stores keys {has} a trailing NUL but {self.decl.origin} wants them {wants} (-N)"
        return None


Echo = Callable[[str], None]


@dataclass
class Maker:
    """A make run in one directory (the /etc/mail of the configuration)."""

    directory: Path
    dry_run: bool = False
    question: bool = False  # -q: build nothing, exit 1 when something is stale
    keep_going: bool = False
    lint: bool = True
    always: bool = False
    verbose: bool = False
    out: Echo = print
    err: Echo = print
    failed: list[str] = field(default_factory=list)
    done: int = 0

    # ---- planning -------------------------------------------------------

    def cf_jobs(self) -> list[Job]:
        """sendmail.cf and submit.cf, for each mc present."""
        jobs = []
        for base in CF_NAMES:
            mc = self.directory / f"{base}.mc"
            if mc.is_file():
                includes, tree = deps.mc_includes(mc)
                jobs.append(Job(f"{base}.cf", self.directory / f"{base}.cf", mc, "cf", deps=includes, tree=tree))
        return jobs

    def declarations(self) -> list[MapDecl]:
        """The databases the (current) sendmail.cf declares, else the mc's."""
        cf = self.directory / "sendmail.cf"
        mc = self.directory / "sendmail.mc"
        if cf.is_file():
            return declared.from_cf(cf)
        if mc.is_file():
            return declared.from_mc(mc)
        return [MapDecl("aliases", "hash", self.directory / "aliases.db", nul=True, origin="the default")]

    def map_jobs(self) -> list[Job]:
        """Each declared database whose source is present in the directory."""
        jobs: list[Job] = []
        seen: set[Path] = set()
        here = self.directory.resolve()
        for decl in self.declarations():
            path = decl.path if decl.path.is_absolute() else self.directory / decl.path
            note = f"declared at {decl.origin}"
            if path.parent.resolve() != here:
                note = f"{decl.origin} declares {path}; built here as {path.name}"
                path = self.directory / path.name
            source = path.with_suffix("") if path.suffix == ".db" else path
            if path.resolve() in seen or not source.is_file():
                continue
            seen.add(path.resolve())
            kind = "aliases" if decl.name == "aliases" else "map"
            jobs.append(Job(path.name, path, source, kind, decl=decl, note=note))
        for name in declared.DEFAULT_SOURCES:
            source = self.directory / name
            path = self.directory / f"{name}.db"
            if path.resolve() not in seen and source.is_file():
                seen.add(path.resolve())
                decl = MapDecl(name, "hash", path, origin="hash by default")
                jobs.append(Job(path.name, path, source, "map", decl=decl, note="not declared by the cf; hash by default"))
        # aliases last, as newaliases runs after make in the usual recipe
        jobs.sort(key=lambda j: j.kind == "aliases")
        return jobs

    # ---- running ----------------------------------------------------------

    def run(self, targets: list[str]) -> int:
        """Build *targets* (names; empty or "all" means everything)."""
        if "clean" in targets:
            if len(targets) > 1:
                self.err("mcc make: clean cannot be combined with other targets")
                return 2
            return self.clean()
        wanted = list(dict.fromkeys(t for t in targets if t != "all"))
        everything = not wanted or "all" in targets
        cf_jobs = self.cf_jobs()
        stop = False
        todo = list(wanted)  # in the order given, as make builds its goals
        for job in cf_jobs:
            if everything or job.name in todo:
                if job.name in todo:
                    todo.remove(job.name)
                if not self._run_job(job) and not self.keep_going:
                    stop = True
                    break
        if not stop and (everything or todo):
            map_jobs = self.map_jobs()
            by_name = self._names(map_jobs)
            selected: list[Job] = []
            for name in todo:
                found = by_name.get(name)
                if found is None:
                    if not self.keep_going:
                        self.err(f"mcc make: *** No rule to make target '{name}'.  Stop.")
                        return 2
                    self.err(f"mcc make: *** No rule to make target '{name}'.")
                    self.failed.append(name)
                    continue
                if found not in selected:
                    selected.append(found)
            for job in map_jobs if everything else selected:
                if not self._run_job(job) and not self.keep_going:
                    break
        if self.question and not self.failed:
            return 1 if self.done else 0
        if self.failed:
            if self.keep_going:
                for name in self.failed:
                    self.err(f"mcc make: Target '{name}' not remade because of errors.")
            return 2
        if not self.done:
            if everything:
                self.out("mcc make: Nothing to be done for 'all'.")
            else:
                for name in wanted:
                    self.out(f"mcc make: '{name}' is up to date.")
        return 0

    @staticmethod
    def _names(jobs: list[Job]) -> dict[str, Job]:
        names: dict[str, Job] = {}
        for job in jobs:
            names[job.name] = job
            names.setdefault(job.source.name, job)
            names.setdefault(job.path.stem, job)
            if job.decl is not None:
                names.setdefault(job.decl.name, job)
        if "aliases.db" in names:
            names.setdefault("newaliases", names["aliases.db"])
        return names

    def _run_job(self, job: Job) -> bool:
        """Run *job* when stale; False when it failed."""
        reason = "forced (-B)" if self.always else job.why_stale()
        if reason is None:
            if self.verbose:
                self.out(f"{job.name} is up to date ({job.note or job.source.name})")
            return True
        if self.question:
            self.done += 1
            return True
        if self.dry_run:
            self.out(f"would rebuild {job.name}: {reason}")
            self.done += 1
            return True
        self.out(f"rebuilding {job.name}: {reason}")
        try:
            if job.kind == "cf":
                self._build_cf(job)
            else:
                self._build_map(job)
        except BuildError as exc:
            if str(exc):
                self.err(str(exc))
            self.err(f"mcc make: *** [{job.name}] Error 1 ({job.name} left as it was)")
            self.failed.append(job.name)
            return False
        self.done += 1
        return True

    def _build_cf(self, job: Job) -> None:
        if self.lint:
            from mccompiler.make.lint_gate import lint_errors

            try:
                problems = lint_errors(job.source)
            except OSError as exc:
                raise BuildError(f"{job.source}: cannot lint: {exc}") from None
            except Exception as exc:  # noqa: BLE001 - a linter bug must not look like a clean mc, nor crash make
                raise BuildError(f"{job.source}: the linter failed ({type(exc).__name__}: {exc}); please report this, or run mcc make --no-lint") from None
            if problems:
                raise BuildError("\n".join([*problems, f"{job.source}: lint found errors; fix them or run mcc make --no-lint"]))
        from mccompiler.compile import compile_mc

        try:
            result = compile_mc(job.source, include_dirs=[self.directory])
        except OSError as exc:
            raise BuildError(f"{job.source}: cannot compile: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - a compiler bug must not cost the old cf
            raise BuildError(f"{job.source}: the compiler failed ({type(exc).__name__}: {exc}); please report this") from None
        messages = result.messages.rstrip("\n")
        failed = result.status != 0 or "*** ERROR" in messages or not result.output.strip()
        if failed:
            detail = messages or f"{job.source}: the compile produced no output"
            raise BuildError(detail)
        if messages:
            self.err(messages)
        from mccompiler.make.atomic import write_atomic

        try:
            write_atomic(job.path, result.output.encode("utf-8", "surrogateescape"), CF_MODE)
        except OSError as exc:
            raise BuildError(f"{job.path}: cannot write: {exc}") from None

    def _build_map(self, job: Job) -> None:
        from mccompiler.maps.build import build_aliases, build_map
        from mccompiler.maps.db import MapDbError
        from mccompiler.maps.kinds import kind_for
        from mccompiler.maps.source import MapOptions

        decl = job.decl
        assert decl is not None
        try:
            if job.kind == "aliases":
                outcome = build_aliases(job.source, job.path, decl.dbtype)
            else:
                opts = MapOptions(fold=decl.fold, nul=decl.nul)
                kind = kind_for(decl.name)
                outcome = build_map(job.source, job.path, decl.dbtype, kind, opts, extra_check=self._extra_check(kind))
        except (MapDbError, OSError) as exc:
            raise BuildError(str(exc)) from None
        for finding in outcome.findings:
            self.err(finding.format())
        if not outcome.written:
            raise BuildError("")
        if outcome.used_makemap:
            self.err(f"{job.name}: built with the installed makemap (the berkeleydb binding is missing)")
        if self.verbose:
            self.out(f"{job.name}: {outcome.entries} entries ({decl.dbtype}; {job.note})")

    def _extra_check(self, kind: str) -> Check | None:
        """Checks that need the cf: virtusertable keys in domains it accepts."""
        cf = self.directory / "sendmail.cf"
        if kind != "virtusertable" or not cf.is_file():
            return None
        from mccompiler.maps.kinds import virtuser_domain_check

        exact, subdomains = declared.virtual_domains(cf, self.directory.resolve())
        return virtuser_domain_check(exact, subdomains)

    def clean(self) -> int:
        """Remove what `mcc make` generates (only files it can rebuild)."""
        for job in [*self.cf_jobs(), *self.map_jobs()]:
            if job.path.exists():
                self.out(f"rm -f {job.path}")
                if not self.dry_run:
                    try:
                        os.unlink(job.path)
                    except OSError as exc:
                        self.err(f"mcc make: cannot remove {job.path}: {exc}")
                        self.failed.append(job.name)
        return 2 if self.failed else 0
