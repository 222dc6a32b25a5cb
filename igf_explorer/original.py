"""Read the structure of the original statement text: addressee headings and the bullets under each."""

from __future__ import annotations

import re

from igf_explorer.text import markdown_to_plain, normalize_whitespace

_HEADING = re.compile(r"^\s*(#{1,6}\s*)?\*{2,3}(?P<title>To [^*]+?)\*{2,3}\s*$")


def parse_recommendation_sections(original_markdown: str) -> dict[str, list[str]]:
    """Map each "To …" heading of the statement to its bullet texts, in order.

    Bullets continue until the next heading or the signatory block.
    """
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in original_markdown.splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = sections.setdefault(normalize_whitespace(heading.group("title")), [])
            continue
        if "Signatories" in line:
            break
        stripped = line.strip()
        if current is not None and stripped.startswith("- "):
            current.append(normalize_whitespace(markdown_to_plain(stripped[2:])))
    return sections
