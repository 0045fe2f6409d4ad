"""Keep README's input-workbook and validation sections in step with the declarations.

    python -m roadmap.input.readme README.md

rewrites the text between the ``<!-- generated:NAME:start -->`` and ``<!-- generated:NAME:end -->``
markers; a test fails when the committed README differs from what this would write.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from roadmap.input.docs import rules_markdown, schema_markdown

SECTIONS = {"schema": schema_markdown, "rules": rules_markdown}


def render(text: str) -> str:
    """``text`` with every generated section replaced by its current content."""
    for name, make in SECTIONS.items():
        pattern = re.compile(
            rf"(<!-- generated:{name}:start -->\n).*?(<!-- generated:{name}:end -->)", re.S
        )
        if not pattern.search(text):
            raise ValueError(f"README has no generated:{name} markers")
        body = make().strip() + "\n"

        def fill(m: re.Match[str], body: str = body) -> str:
            return m.group(1) + body + m.group(2)

        text = pattern.sub(fill, text)
    return text


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "README.md")
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
