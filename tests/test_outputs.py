"""The output guard: every file the tool writes is never an input, never an existing file
without --force, atomic, with the user's umask; every refusal exits 2 before any work."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from roadmap.cli import cli
from roadmap.errors import OutputError
from roadmap.runtime import outputs
from roadmap.runtime.outputs import claim_outputs, output_session, write_output

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "retail-d2c.xlsx"
ROADMAP = [sys.executable, "-c", "from roadmap.cli import main; main()"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text_writer(text: str):
    return lambda temp: Path(temp).write_text(text)


@pytest.fixture
def src(tmp_path: Path) -> Path:
    path = tmp_path / "in.xlsx"
    shutil.copy(SAMPLE, path)
    return path


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


# ---------------------------------------------------------------- the guard itself


def test_never_an_input_even_through_a_link(tmp_path: Path, src: Path) -> None:
    link = tmp_path / "alias.xlsx"
    os.link(src, link)
    for target in (src, link, tmp_path / "." / "in.xlsx"):
        with pytest.raises(OutputError, match="is the input"):
            write_output(target, text_writer("x"), force=True, protect=[src])
    assert digest(src) == digest(SAMPLE)


def test_never_an_existing_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(OutputError, match="already exists; use --force"):
        write_output(target, text_writer("new"))
    assert target.read_text() == "old"
    write_output(target, text_writer("new"), force=True)
    assert target.read_text() == "new"


def test_a_failed_writer_leaves_neither_output_nor_temporary_file(tmp_path: Path) -> None:
    def half(temp: Path) -> None:
        Path(temp).write_text("half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_output(tmp_path / "out.txt", half)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("stop", [None, KeyboardInterrupt])
def test_a_writing_librarys_own_temporary_files_never_stay_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: type[BaseException] | None
) -> None:
    """openpyxl puts each sheet in a file of the temporary folder and removes it only at exit:
    a writer stopped right after such a file appears (or one that forgets it) leaves nothing."""
    import tempfile

    system_temp = tmp_path / "tmp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    seen: list[Path] = []

    def library(temp: Path) -> None:
        with tempfile.NamedTemporaryFile(prefix="openpyxl.", delete=False) as f:
            seen.append(Path(f.name))
        Path(temp).write_text("done")
        if stop is not None:
            raise stop

    out = tmp_path / "out" / "plan.txt"
    out.parent.mkdir()
    if stop is None:
        write_output(out, library)
        assert out.read_text() == "done"
    else:
        with pytest.raises(stop):
            write_output(out, library)
        assert not out.exists()
    assert seen and not seen[0].exists()
    assert list(system_temp.iterdir()) == []
    assert tempfile.tempdir == str(system_temp)


def test_the_content_is_flushed_to_disk_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_link = os.fsync, os.link
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "link", lambda a, b: (events.append("link"), real_link(a, b))[1])
    write_output(tmp_path / "out.txt", text_writer("x"))
    assert events[:2] == ["fsync", "link"]


def test_files_get_the_users_umask(tmp_path: Path, umask: None) -> None:
    write_output(tmp_path / "a.txt", text_writer("x"))
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640
    os.umask(0o002)
    write_output(tmp_path / "a.txt", text_writer("y"), force=True)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o664


def test_missing_folder_and_folder_in_the_way_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        claim_outputs([tmp_path / "nope" / "out.xlsx"])
    (tmp_path / "dir.xlsx").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        claim_outputs([tmp_path / "dir.xlsx"], force=True)


def test_two_outputs_on_one_path_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="same file"):
        claim_outputs([tmp_path / "a.xlsx", tmp_path / "sub" / ".." / "a.xlsx"])


def test_a_session_puts_files_in_place_only_at_its_end(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with output_session():
        claim_outputs([target])
        write_output(target, text_writer("x"))
        assert not target.exists()
        assert outputs.staged_paths() == [target]
    assert target.read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_session_that_fails_unexpectedly_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), output_session():
        write_output(tmp_path / "a.txt", text_writer("x"))
        1 / 0  # noqa: B018
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- two runs at once


def test_a_file_that_appeared_meanwhile_is_never_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(OutputError, match="appeared while this run was working"), output_session():
        claim_outputs([target])
        write_output(target, text_writer("second"))
        target.write_text("first")  # the other run finishes first
    assert target.read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_with_force_a_file_replaced_meanwhile_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(OutputError, match="changed while this run was working"), output_session():
        claim_outputs([target], force=True)
        write_output(target, text_writer("second"))
        other = tmp_path / "other.tmp"
        other.write_text("first, from the other run")
        os.replace(other, target)
    assert target.read_text() == "first, from the other run"


def test_the_link_step_refuses_a_name_taken_at_the_last_moment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The identity check and the link are two steps; the link alone must still not replace."""
    target = tmp_path / "out.txt"
    real_link = os.link

    def racing_link(a: str, b: str) -> None:
        Path(b).write_text("first")
        real_link(a, b)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(OutputError, match="appeared"):
        write_output(target, text_writer("second"))
    assert target.read_text() == "first"


def test_without_hard_links_an_exclusive_create_reserves_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(a: str, b: str) -> None:
        raise OSError(errno.EPERM, "links not supported")

    monkeypatch.setattr(os, "link", no_links)
    write_output(tmp_path / "out.txt", text_writer("x"))
    assert (tmp_path / "out.txt").read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_two_real_processes_writing_one_new_file(tmp_path: Path) -> None:
    """Both start when the file does not exist; exactly one writes it, the other refuses."""
    target = tmp_path / "out.txt"
    gate = tmp_path / "go"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from roadmap.runtime.outputs import claim_outputs, output_session, write_output\n"
        "from roadmap.errors import OutputError\n"
        "target, gate, text = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]\n"
        "try:\n"
        "    with output_session():\n"
        "        claim_outputs([target])\n"
        "        write_output(target, lambda t: Path(t).write_text(text))\n"
        "        print('claimed', flush=True)\n"
        "        while not gate.exists():\n"
        "            time.sleep(0.01)\n"
        "except OutputError:\n"
        "    sys.exit(2)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(target), str(gate), name],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in ("one", "two")
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "claimed"
    gate.write_text("")
    codes = sorted(p.wait(timeout=30) for p in procs)
    for p in procs:
        assert p.stdout is not None
        p.stdout.close()
    assert codes == [0, 2]
    assert target.read_text() in ("one", "two")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["go", "out.txt"]


# ---------------------------------------------------------------- every command, exit 2


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_plan_write_lp_over_the_input_is_refused_before_reading(src: Path) -> None:
    result = _invoke("plan", str(src), "-o", str(src.with_name("out.xlsx")), "--write-lp", str(src))
    assert result.exit_code == 2, result.output
    assert "is the input" in result.stderr
    assert digest(src) == digest(SAMPLE)
    assert sorted(p.name for p in src.parent.iterdir()) == ["in.xlsx"]


def test_plan_write_lp_needs_force_over_an_existing_file(src: Path) -> None:
    lp = src.with_name("model.lp")
    lp.write_text("keep me")
    result = _invoke("plan", str(src), "-o", str(src.with_name("o.xlsx")), "--write-lp", str(lp))
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert lp.read_text() == "keep me"


def test_plan_output_and_lp_on_one_path_are_refused(src: Path) -> None:
    out = src.with_name("o.xlsx")
    result = _invoke("plan", str(src), "-o", str(out), "--write-lp", str(out))
    assert result.exit_code == 2
    assert "same file" in result.stderr


def test_plan_split_files_are_checked_before_solving(src: Path) -> None:
    out = src.with_name("s.xlsx")
    first = _split_names(out, src)[0]
    first.write_text("someone's file")
    result = _invoke("plan", str(src), "--all-scenarios", "--split", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "already exists" in result.stderr
    assert "Solving" not in result.stderr
    assert first.read_text() == "someone's file"


def _split_names(out: Path, src: Path) -> list[Path]:
    from roadmap.input.reader import load_portfolio
    from roadmap.input.scenarios import scenario_jobs
    from roadmap.report.scenarios import split_paths

    portfolio, _ = load_portfolio(src)
    return list(split_paths(out, [name for name, _ in scenario_jobs(portfolio)]))


COMMANDS = {
    "plan": lambda src, out: ["plan", str(src), "-o", str(out)],
    "roi": lambda src, out: ["roi", str(src), "-o", str(out)],
    "frontier": lambda src, out: ["frontier", str(src), "-o", str(out), "--steps", "2"],
    "diff": lambda src, out: ["diff", str(src), str(src), "-o", str(out)],
    "template": lambda src, out: ["template", str(out)],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_refuses_an_existing_output_with_exit_2(name: str, src: Path) -> None:
    out = src.with_name("existing.xlsx")
    out.write_text("keep me")
    result = _invoke(*COMMANDS[name](src, out))
    assert result.exit_code == 2, result.output
    assert "already exists" in result.stderr
    assert out.read_text() == "keep me"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_refuses_a_missing_folder_with_exit_2(name: str, src: Path) -> None:
    result = _invoke(*COMMANDS[name](src, src.parent / "missing" / "out.xlsx"))
    assert result.exit_code == 2, result.output
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"template"}))
def test_every_command_refuses_its_input_as_output_with_exit_2(name: str, src: Path) -> None:
    result = _invoke(*COMMANDS[name](src, src), "--force")
    assert result.exit_code == 2, result.output
    assert "is the input" in result.stderr
    assert digest(src) == digest(SAMPLE)


def _as_unprivileged(cmd: list[str]) -> list[str] | None:
    """Root writes through any permission bits; drop the capability that lets it."""
    if os.geteuid() != 0:
        return cmd
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *cmd]


def test_a_read_only_output_folder_is_reported_before_solving(src: Path, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    cmd = _as_unprivileged([*ROADMAP, "plan", str(src), "-o", str(folder / "out.xlsx")])
    if cmd is None:
        pytest.skip("running as root without setpriv: no way to make a folder read-only")
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert f"Cannot write in folder {folder}" in done.stderr
    assert "solve" not in done.stderr and "Traceback" not in done.stderr
    assert list(folder.iterdir()) == []


def test_a_closed_stdout_ends_quietly_and_still_writes_the_file(src: Path) -> None:
    out = src.with_name("roi.xlsx")
    proc = subprocess.Popen(
        [*ROADMAP, "roi", str(src), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -1` once it has its line: later writes hit a closed pipe
    err = proc.stderr.read()
    proc.stderr.close()
    code = proc.wait(timeout=120)
    assert code == 0, err
    assert err == ""
    assert out.exists()


def test_a_real_plan_writes_every_file_with_the_umask_and_replaces_an_lp_only_with_force(
    src: Path, umask: None
) -> None:
    out, lp = src.with_name("out.xlsx"), src.with_name("model.lp")
    lp.write_text("old model")
    args = ["plan", str(src), "-o", str(out), "--export", "mspdi", "--export", "csv"]
    args += ["--write-lp", str(lp), "--time-limit", "5", "--force", "-q"]
    result = _invoke(*args)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in src.parent.iterdir())
    assert written == ["in.xlsx", "model.lp", "out-milestones.csv", "out.xlsx", "out.xml"]
    assert lp.read_text().startswith("\\*") and "old model" not in lp.read_text()
    for name in written:
        if name != "in.xlsx":
            mode = stat.S_IMODE(src.with_name(name).stat().st_mode)
            assert mode == 0o640, f"{name}: {oct(mode)}"
    assert digest(src) == digest(SAMPLE)
