"""The ``roadmap`` command line: click commands only. Each command lives in its own module here
and calls the library; errors become messages and exit codes at one boundary (``run``)."""

from __future__ import annotations

import importlib

import click

from roadmap import __version__

# command name -> module defining a click command called ``command``.
# Loaded lazily so ``roadmap --help`` stays fast and one broken command cannot break the others.
COMMANDS: dict[str, str] = {
    "template": "roadmap.cli.template",
    "validate": "roadmap.cli.validate",
    "roi": "roadmap.cli.roi",
    "plan": "roadmap.cli.plan",
    "frontier": "roadmap.cli.frontier",
    "diff": "roadmap.cli.diff",
    "risk": "roadmap.cli.risk",
    "slides": "roadmap.cli.slides",
    "progress": "roadmap.cli.pmo",
    "replan": "roadmap.cli.replan",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._find(name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._find(cmd_name)

    @staticmethod
    def _find(name: str) -> click.Command | None:
        module_name = COMMANDS.get(name)
        if module_name is None:
            return None
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None  # command not built yet
            raise
        command: click.Command = module.command
        return command


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
Examples:
  roadmap template my-portfolio.xlsx
  roadmap validate samples/retail-d2c.xlsx
  roadmap plan samples/retail-d2c.xlsx -o plan.xlsx
""",
)
@click.version_option(__version__, "-V", "--version", prog_name="roadmap")
def cli() -> None:
    """Turn a portfolio spreadsheet into an optimal, scheduled digital roadmap."""


def main() -> None:
    cli(prog_name="roadmap")


if __name__ == "__main__":  # pragma: no cover
    main()
