"""The one guard every file the tool writes passes: plan and other workbooks, MS Project XML,
CSV, LP files, templates.

What it promises, for every output:

- never an input: a path that is (or links to) a file the command reads is refused;
- never an existing file without ``--force``;
- refused *before* any work: ``claim_outputs`` checks every output of a command (missing,
  read-only or non-folder parent, a folder in the way, two outputs on one path) before the
  portfolio is even read, so a long solve never ends in a refusal;
- atomic: the content goes to a temporary file in the target's folder, is flushed to disk
  (fsync), and is then renamed into place in one step; on any failure or interruption the
  temporary file is removed and nothing appears;
- the user's umask, like any file the user creates (a plain temporary file would be 0600);
- two runs writing the same path at once: the second to finish never silently replaces the
  first. A new file is put in place with a hard link, which fails if the name exists
  (``link`` cannot replace, unlike ``rename``), so whoever comes second gets a refusal and
  the first one's file stays. With ``--force`` the file being replaced must still be the one
  seen when the run started; if another run replaced it meanwhile, it is left alone. This was
  chosen over a lock file because a lock file outlives a crash or a power cut and then blocks
  every later run until someone deletes it by hand; the link check leaves nothing behind.
- inside a command (``output_session``), finished files are held as temporary files and put in
  place together when the command ends, so an interrupted run leaves no output at all, and one
  that fails half-way does not leave some of its files without the others.

``write_output(path, writer)`` is the one way to write: ``writer`` gets a temporary path and
writes the whole file there (``wb.save``, ``tree.write``, ``prob.writeLP``...).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from roadmap.errors import OutputError, RoadmapError
from roadmap.runtime.processes import deferred

Writer = Callable[[Path], object]
Identity = tuple[int, int, int, int]  # device, inode, size, modification time (ns)

TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """Temporary files are hidden dot-files beside the target: '.plan.xlsx.k2j4.tmp'."""
    return f".{path.name}."


class OutputWriteError(OutputError, OSError):
    """Writing failed half-way (disk full, drive gone): nothing was put in place. Not a
    refusal of what the user asked (exit 2) but a failure of the machine (exit 1)."""

    exit_code = 1


@dataclass
class _Claim:
    path: Path
    force: bool
    protect: tuple[Path, ...]
    seen: Identity | None  # the file at ``path`` when the run began (None: there was none)


@dataclass
class _Session:
    claims: dict[str, _Claim] = field(default_factory=dict)
    staged: list[tuple[_Claim, Path]] = field(default_factory=list)


_session: _Session | None = None
_live: set[str] = set()  # temporary files written and not yet renamed or removed
_scratch: set[str] = set()  # private folders for the writing libraries' own temporary files
_written: list[Path] = []  # what the last session put in place


def _identity(path: Path) -> Identity | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _key(path: Path) -> str:
    return os.path.normcase(str(Path(os.path.abspath(path)).resolve()))


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return _key(a) == _key(b)


def _umask() -> int:
    """The process's umask (read without changing it where /proc tells it)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", "rb") as fh:
        for line in fh:
            if line.startswith(b"Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_output(
    path: Path, *, force: bool = False, protect: Iterable[Path] = (), what: str = "output"
) -> Path:
    """Refuse ``path`` (``OutputError``, exit 2) unless the tool may write it now."""
    path = Path(path)
    for source in protect:
        if _same_file(path, Path(source)):
            raise OutputError(
                f"{path} is the input {Path(source).name}; the input is only read. "
                f"Choose another name for the {what}."
            )
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name for the {what}.")
    if (path.exists() or path.is_symlink()) and not force:
        raise OutputError(
            f"{path} already exists; use --force to replace it, or choose another name."
        )
    folder = path.parent
    if not folder.exists():
        raise OutputError(
            f"Folder {folder} does not exist; create it or choose another {what} path."
        )
    if not folder.is_dir():
        raise OutputError(f"{folder} is not a folder; choose another {what} path.")
    _probe(folder, path)
    return path


def _probe(folder: Path, path: Path) -> None:
    """Create and remove a temporary file where the output will go: the only reliable test of
    'can write here' (permissions, read-only mounts, full disks, and root, who passes
    ``os.access`` everywhere)."""
    try:
        with deferred():
            temp = _new_temp(path)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise OutputError(
            f"Cannot write in folder {folder} ({reason}); choose another output folder."
        ) from None
    _discard(temp)


def claim_outputs(
    paths: Iterable[Path | None], *, force: bool = False, protect: Iterable[Path | None] = ()
) -> list[Path]:
    """Check every output of a command before any work, and remember what each path held then
    (so that a file appearing or changing meanwhile is not silently replaced). ``None``
    entries are skipped. Two outputs on one path are refused too."""
    sources = tuple(Path(p) for p in protect if p is not None)
    claimed: list[Path] = []
    seen: dict[str, Path] = {}
    for raw in paths:
        if raw is None:
            continue
        path = Path(raw)
        key = _key(path)
        if key in seen:
            raise OutputError(
                f"{seen[key]} and {path} are the same file; give each output its own name."
            )
        seen[key] = path
        check_output(path, force=force, protect=sources)
        claimed.append(path)
        if _session is not None:
            _session.claims[key] = _Claim(path, force, sources, _identity(path))
    return claimed


def write_output(
    path: Path, writer: Writer, *, force: bool = False, protect: Iterable[Path | None] = ()
) -> Path:
    """Write a whole file through ``writer(temporary_path)`` and put it at ``path`` atomically.

    Inside ``output_session`` a path claimed earlier keeps its claim's ``force`` and inputs,
    and the file is put in place when the session ends; elsewhere the checks run now and the
    file is in place when this returns."""
    path = Path(path)
    claim = _session.claims.get(_key(path)) if _session is not None else None
    if claim is None:
        sources = tuple(Path(p) for p in protect if p is not None)
        check_output(path, force=force, protect=sources)
        claim = _Claim(path, force, sources, _identity(path))
    temp = _write_temp(path, writer)
    if _session is not None:
        _session.staged.append((claim, temp))
        return path
    try:
        _commit(claim, temp)
    finally:
        _discard(temp)
    return path


def _write_temp(path: Path, writer: Writer) -> Path:
    temp: Path | None = None
    try:
        with deferred():  # the name is on the list of live temporary files before any signal
            temp = _new_temp(path)
        with _library_scratch():
            writer(temp)
        os.chmod(temp, 0o666 & ~_umask())
        _fsync(temp)
    except BaseException as exc:
        if temp is not None:
            _discard(temp)
        if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
            raise OutputWriteError(
                f"Cannot write {path}: {exc.strerror or exc}; nothing was written."
            ) from exc
        raise
    return temp


@contextlib.contextmanager
def _library_scratch() -> Iterator[None]:
    """The writing libraries' own temporary files (openpyxl writes each sheet to one in the
    temporary folder and removes it at exit) go to a private folder, removed when the writer is
    done or stopped: a signal between openpyxl creating its file and noting it leaves nothing."""
    with deferred():
        folder = tempfile.mkdtemp(prefix="roadmap-")
        _scratch.add(folder)
        saved, tempfile.tempdir = tempfile.tempdir, folder
    try:
        yield
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(folder, ignore_errors=True)
        _scratch.discard(folder)


def _new_temp(path: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    os.close(fd)
    _live.add(name)
    return Path(name)


def _fsync(path: Path, directory: bool = False) -> None:
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if directory else os.O_RDWR
    try:
        fd = os.open(path, flags)
    except OSError:
        if directory:
            return  # some platforms cannot open a folder; the rename is still atomic
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not directory:
            raise
    finally:
        os.close(fd)


def _discard(temp: Path | str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)
    _live.discard(str(temp))


def discard_temporary_files() -> None:
    """Remove every temporary file this process has open for writing (after an interruption)."""
    for name in list(_live):
        _discard(name)
    for folder in list(_scratch):
        shutil.rmtree(folder, ignore_errors=True)
        _scratch.discard(folder)


def _verify(claim: _Claim) -> None:
    """Refuse if the target is no longer what this run saw when it began."""
    path = claim.path
    if _identity(path) == claim.seen:
        return
    if claim.seen is None:
        raise OutputError(
            f"{path} appeared while this run was working (another run writing the same file?); "
            "it was kept and this run's result was not written. Run again with --force to "
            "replace it, or choose another name."
        )
    raise OutputError(
        f"{path} changed while this run was working (another run writing the same file?); "
        "it was kept and this run's result was not written."
    )


def _commit(claim: _Claim, temp: Path) -> None:
    """Put ``temp`` at ``claim.path`` in one step, never over a file this run did not expect."""
    with deferred():
        _verify(claim)
        if claim.seen is None:
            _link_new(temp, claim.path)
        else:
            os.replace(temp, claim.path)
        _fsync(claim.path.parent, directory=True)


def _link_new(temp: Path, path: Path) -> None:
    """Create ``path`` from ``temp`` only if no file has that name: a hard link cannot
    replace. Where links are not supported (some network and FAT drives), an exclusive
    create reserves the name first, then the rename fills it."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise OutputError(
            f"{path} appeared while this run was working (another run writing the same file?); "
            "it was kept and this run's result was not written."
        ) from None
    except OSError as exc:
        if exc.errno not in (
            errno.EPERM,
            errno.EOPNOTSUPP,
            errno.ENOTSUP,
            errno.EXDEV,
            errno.EMLINK,
        ):
            raise
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            raise OutputError(
                f"{path} appeared while this run was working; it was kept and this run's "
                "result was not written."
            ) from None
        os.close(fd)
        os.replace(temp, path)
        return
    _discard(temp)


@contextlib.contextmanager
def output_session() -> Iterator[None]:
    """Hold every file written inside until the end, then put them all in place.

    They are put in place when the body returns or ends with a ``RoadmapError`` (a deliberate
    outcome, such as the diagnosis workbook of an infeasible plan); after an interruption or
    an unexpected error every temporary file is removed and nothing is written."""
    global _session
    if _session is not None:  # nested: the outer session decides
        yield
        return
    session = _session = _Session()
    _written.clear()
    ok = False
    try:
        yield
        ok = True
    except RoadmapError:
        ok = True
        raise
    finally:
        _session = None
        try:
            if ok:
                _commit_all(session)
        finally:
            for _claim, temp in session.staged:
                _discard(temp)
            discard_temporary_files()


def _commit_all(session: _Session) -> None:
    """Put every staged file in place, or, if any target changed meanwhile, none of them; a
    signal arriving while they are moved is raised once all are in place."""
    with deferred():
        for claim, _temp in session.staged:
            _verify(claim)
        for claim, temp in session.staged:
            try:
                _commit(claim, temp)
                _written.append(claim.path)
            finally:
                _discard(temp)


def last_written() -> list[Path]:
    """The files the last ``output_session`` put in place."""
    return list(_written)


def staged_paths() -> list[Path]:
    """The outputs written so far in the current session, not yet in place."""
    return [claim.path for claim, _ in _session.staged] if _session is not None else []
