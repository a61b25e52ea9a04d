"""All rule files of a run, loaded and compiled once per process.

The built-in `rules/` folder comes first; each `--rules DIR` is layered on top
(a rule with the same id overrides, new ids are added).

Compiling the rules (mostly the `regex` module parsing the large MONEY/DATE
patterns) took about a second of every start-up, so the compiled ruleset is
also kept on disk, in the user's cache folder (`$KDEAL_CACHE_DIR`, else
`$XDG_CACHE_HOME/kdeal`, else `~/.cache/kdeal`; `KDEAL_CACHE_DIR=off` switches
it off). A cache file is keyed by everything the compiled ruleset depends on —
the rule folders' names and file contents, the source of the `pipeline`
package, the Python and `regex` versions, and the files of the libraries whose
objects it holds — so a change to any of them compiles afresh; a cache file
that cannot be read or written is ignored. Unpickling a compiled `regex`
pattern restores its compiled code directly, without parsing the pattern
again: about 0.05 s instead of 1 s.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.problems import RuleError, RuleProblem


def default_rules_dir() -> Path:
    """The repository's `rules/` folder, or the copy installed with the package."""
    repo_rules = Path(__file__).resolve().parent.parent / "rules"
    if repo_rules.is_dir():
        return repo_rules
    return Path(str(resources.files("pipeline") / "builtin_rules"))


def rule_dirs(extra: list[Path] | None = None, include_default: bool = True) -> list[Path]:
    dirs = [default_rules_dir()] if include_default else []
    return dirs + [Path(d) for d in extra or []]


def rules_hash(dirs: list[Path]) -> str:
    """A hash of every rule file's name and bytes: output made with other rules is redone."""
    digest = hashlib.sha256()
    for folder in dirs:
        for path in sorted(Path(folder).glob("*.yaml")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Ruleset:
    """The compiled matchers of one run."""

    dirs: list[Path]
    values: Any
    companies: Any
    deals: Any
    problems: list[RuleProblem] = field(default_factory=list)

    @property
    def hash(self) -> str:
        return rules_hash(self.dirs)

    def check_examples(self) -> tuple[int, list[RuleProblem]]:
        """Run every example of every rule file; returns the count and the failures."""
        total, failures = 0, []
        for part in (self.values, self.companies, self.deals):
            if part is None:
                continue
            count, problems = part.check_examples()
            total += count
            failures.extend(problems)
        return total, failures


_LOADED: dict[tuple[tuple[str, ...], bool, str], Ruleset] = {}


def load_ruleset(dirs: list[Path], strict: bool = True) -> Ruleset:
    """Load every rule file; with `strict`, raise `RuleError` listing all problems.

    Loaded once per process for the same folders and file contents: the runner asks
    in the main process and again in each worker (with `--jobs 1` the same process),
    and workers forked from the main process inherit what it loaded. A new process
    reads the compiled ruleset from the disk cache when it has one for exactly these
    folders, files and code (see the module's docstring).
    """
    hashed = rules_hash(dirs)
    key = (tuple(str(Path(d)) for d in dirs), hashed)
    ruleset = _LOADED.get(key)
    if ruleset is None:
        cache = _cache_file(dirs, hashed)
        ruleset = _read_cache(cache) if cache is not None else None
        if ruleset is None:
            ruleset = _load(dirs, strict=False)
            # kept only if no rule file or code file changed while it was compiled
            if cache is not None and _unchanged(cache, dirs):
                _write_cache(cache, ruleset)
        else:
            ruleset.dirs = dirs
        if len(_LOADED) >= 4:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = ruleset
    if strict and ruleset.problems:
        raise RuleError(ruleset.problems)
    return ruleset


# --- the disk cache of compiled rulesets --------------------------------------------------

CACHE_ENV = "KDEAL_CACHE_DIR"
CACHE_OFF = ("off", "0", "no", "false", "none")
CACHE_KEEP = 8  # cache files kept; older ones are removed when a new one is written
_PIPELINE_DIR = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """The folder of the compiled-ruleset cache, or None when it is switched off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None and chosen.strip().lower() in CACHE_OFF:
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kdeal"


def _source_hash() -> str:
    """A hash of the `pipeline` package's source: the classes a cached ruleset holds."""
    digest = hashlib.sha256()
    for path in sorted(_PIPELINE_DIR.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# The source this process runs, taken when this module is imported (before the rule
# modules are); a ruleset is cached only if the source is still the same after
# compiling it (`load_ruleset`), so code edited meanwhile never gets a cache file.
try:
    _code_fingerprint: str | None = _source_hash()
except OSError:  # an unreadable install: no cache
    _code_fingerprint = None


def _cache_file(dirs: list[Path], hashed: str, code: str | None = None) -> Path | None:
    folder = cache_dir()
    if folder is None or _code_fingerprint is None:
        return None
    try:
        import regex

        digest = hashlib.sha256()
        for part in (__version__, sys.version, getattr(regex, "__version__", "?"),
                     str(pickle.HIGHEST_PROTOCOL), code or _code_fingerprint, hashed,
                     *(str(Path(d)) for d in dirs)):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    except OSError:
        return None
    return folder / f"ruleset-{digest.hexdigest()[:32]}.pickle"


def _unchanged(cache: Path, dirs: list[Path]) -> bool:
    """Whether the rule files and the code are still those the cache file is named by."""
    try:
        return cache == _cache_file(dirs, rules_hash(dirs), _source_hash())
    except OSError:
        return False


class _ModuleRecorder(pickle.Unpickler):
    """Unpickles while noting the modules whose classes and functions the data names."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self.modules: set[str] = set()

    def find_class(self, module: str, name: str) -> Any:
        self.modules.add(module)
        return super().find_class(module, name)


def _module_files(names: list[str]) -> list[tuple[str, str, int, int]]:
    """Each module's file with its modification time and size: another installed
    version of a library (say pyahocorasick, whose automaton is in the ruleset) must
    not read objects pickled by this one."""
    found = []
    for name in sorted(names):
        module = importlib.import_module(name)
        file = getattr(module, "__file__", None) or ""
        info = os.stat(file) if file else None
        found.append((name, file, info.st_mtime_ns if info else 0, info.st_size if info else 0))
    return found


def _read_cache(path: Path) -> Ruleset | None:
    """The cached ruleset, or None when there is none or it cannot be trusted or read.

    A cache file is a pickled list of the library files its objects come from, then
    the pickled ruleset; the ruleset is read only when those files are unchanged.
    """
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
                return None  # only a file this user wrote, that nobody else could change
            modules = pickle.load(handle)
            if _module_files([entry[0] for entry in modules]) != modules:
                return None
            ruleset = pickle.load(handle)
    except Exception:  # noqa: BLE001 — missing, truncated, stale: compile afresh
        return None
    if not isinstance(ruleset, Ruleset):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return ruleset


def _write_cache(path: Path, ruleset: Ruleset) -> None:
    """Keep the compiled ruleset for the next process; failing to is not an error."""
    try:
        data = pickle.dumps(ruleset, protocol=pickle.HIGHEST_PROTOCOL)
        recorder = _ModuleRecorder(data)
        recorder.load()
        libraries = [m for m in recorder.modules if m.partition(".")[0] != "pipeline"]
        header = pickle.dumps(_module_files(libraries), protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ruleset-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(header)
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune_cache(path.parent)
    except Exception:  # noqa: BLE001 — unpicklable, read-only or full disk: no cache
        return


def _prune_cache(folder: Path) -> None:
    files = sorted(folder.glob("ruleset-*.pickle"), key=lambda p: p.stat().st_mtime,
                   reverse=True)
    for old in files[CACHE_KEEP:]:
        old.unlink(missing_ok=True)


def _load(dirs: list[Path], strict: bool) -> Ruleset:
    from pipeline.companies import load_company_rules
    from pipeline.deals import load_deal_rules
    from pipeline.valuerules import load_value_rules

    problems: list[RuleProblem] = []
    for folder in dirs:
        if not Path(folder).is_dir():
            problems.append(RuleProblem(str(folder), None, "rules folder does not exist"))
    values, found = load_value_rules(dirs)
    problems += found
    companies, found = load_company_rules(dirs)
    problems += found
    deals, found = load_deal_rules(dirs)
    problems += found
    if strict and problems:
        raise RuleError(problems)
    return Ruleset(dirs=dirs, values=values, companies=companies, deals=deals, problems=problems)
