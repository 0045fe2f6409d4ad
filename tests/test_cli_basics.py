from click.testing import CliRunner

from roadmap import __version__
from roadmap.cli import COMMANDS, cli


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    listed = cli.list_commands(None)  # type: ignore[arg-type]
    assert set(listed) <= set(COMMANDS)
    for name in listed:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Example" in result.output, f"{name} --help has no example"
        assert f"roadmap {name}" in result.output
