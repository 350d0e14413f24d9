"""Rewrite commentary Markdown as Markdown that stays safe under any Markdown renderer.

The Markdown statement is read by renderers we do not control, some of which pass raw HTML
through. So commentary is not copied: it is parsed with the same policed parser as the HTML
page (raw HTML becomes text, unsafe links and images are dropped) and written out again from
the parse tree, escaping every character that could start markup. Headings are pushed below
the statement's own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from renderers.report.markdown_safe import policed_tokens

if TYPE_CHECKING:
    # Imported where commentary is rewritten: escaping plain text needs no parser.
    from markdown_it.tree import SyntaxTreeNode

# Backslash-escaping any ASCII punctuation is literal in CommonMark; these could start markup.
_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~&!])")
# At the start of a line these would open a list item, or underline the line before as a
# heading or be a thematic break; "#", ">" and "*" are escaped everywhere already.
_LINE_START = re.compile(r"^([-+])(?=[ \t]|$)|^(\d{1,9})([.)])(?=[ \t]|$)|^([=-])(?=[=\- \t]*$)")


def _escape(text: str, *, line_start: bool) -> str:
    escaped = _ESCAPE.sub(r"\\\1", text)
    if not line_start:
        return escaped
    return _LINE_START.sub(_escape_marker, escaped)


def _escape_marker(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(2)}\\{match.group(3)}"
    return "\\" + (match.group(1) or match.group(4))


def escape_text(text: str, *, line_start: bool = True) -> str:
    """Return plain ``text`` escaped so any Markdown renderer shows it as it is, on one line.

    ``line_start`` says whether the text may begin a line, where ``- `` or ``1. `` would start
    a list; inside a table cell or after other text it cannot.
    """
    return _escape(" ".join(text.split()), line_start=line_start)


def _ticks(content: str, at_least: int) -> str:
    runs = [len(r) for r in re.findall(r"`+", content)]
    return "`" * max([at_least, *(n + 1 for n in runs)])


def code_span(text: str) -> str:
    """Return ``text`` as an inline code span, which every Markdown renderer shows verbatim."""
    content = text.replace("\r", " ").replace("\n", " ")
    ticks = _ticks(content, 1)
    # CommonMark strips one space each side of a code span unless it is only spaces.
    edges = content.startswith(("`", " ")) or content.endswith(("`", " "))
    pad = " " if edges and content.strip(" ") else ""
    return f"{ticks}{pad}{content}{pad}{ticks}"


def _inline(node: SyntaxTreeNode, line_start: bool = True) -> str:
    out: list[str] = []
    at_start = line_start
    for child in node.children:
        text = _inline_one(child, at_start)
        out.append(text)
        if text:
            at_start = child.type in ("softbreak", "hardbreak")
    return "".join(out)


def _inline_one(node: SyntaxTreeNode, at_start: bool) -> str:
    kind = node.type
    if kind == "text":
        return _escape(node.content, line_start=at_start)
    if kind == "softbreak":
        return "\n"
    if kind == "hardbreak":
        return "\\\n"
    if kind == "code_inline":
        return code_span(node.content)
    if kind in ("em", "strong", "s"):
        return f"{node.markup}{_inline(node, at_start)}{node.markup}"
    if kind == "link":
        href = str(node.attrs.get("href", ""))
        title = node.attrs.get("title")
        quoted = f' "{escape_text(str(title))}"' if title else ""
        return f"[{_inline(node, False)}](<{href}>{quoted})"
    if kind == "image":
        alt = escape_text("".join(c.content for c in node.children))
        return f"![{alt}](<{node.attrs.get('src', '')}>)"
    # Nothing else is produced by the policed parser; anything unforeseen is shown as text.
    return _escape(node.content, line_start=at_start)


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join(
        (first if i == 0 else rest) + line if line else "" for i, line in enumerate(lines)
    )


def _list_marker(node: SyntaxTreeNode) -> str:
    first = node.children[0].markup if node.children else ""
    return first or ("." if node.type == "ordered_list" else "-")


def _list(node: SyntaxTreeNode, offset: int, mark: str) -> str:
    tight = all(
        grandchild.hidden
        for item in node.children
        for grandchild in item.children
        if grandchild.type == "paragraph"
    )
    number = int(str(node.attrs.get("start", 1)))
    items: list[str] = []
    for item in node.children:
        if node.type == "ordered_list":
            marker = f"{number}{mark} "
            number += 1
        else:
            marker = f"{mark} "
        body = _blocks(item.children, "\n" if tight else "\n\n", offset)
        items.append(_indent(body or "", marker, " " * len(marker)) or marker.rstrip())
    return ("\n" if tight else "\n\n").join(items)


def _table(node: SyntaxTreeNode) -> str:
    rows: list[list[str]] = []
    aligns: list[str] = []
    for section in node.children:
        for row in section.children:
            cells = [_inline(cell.children[0]) if cell.children else "" for cell in row.children]
            rows.append([c.replace("\n", " ") for c in cells])
            if section.type == "thead":
                for cell in row.children:
                    style = str(cell.attrs.get("style", ""))
                    aligns.append(
                        {"text-align:left": ":--", "text-align:right": "--:"}.get(
                            style, ":-:" if style == "text-align:center" else "---"
                        )
                    )
    if not rows:
        return ""
    lines = [
        "| " + " | ".join(rows[0]) + " |",
        "| " + " | ".join(aligns) + " |",
    ]
    lines.extend("| " + " | ".join(r) + " |" for r in rows[1:])
    return "\n".join(lines)


def _block(node: SyntaxTreeNode, offset: int) -> str:
    kind = node.type
    if kind == "paragraph":
        return _inline(node.children[0]) if node.children else ""
    if kind == "heading":
        level = min(6, int(node.tag[1:]) + offset)
        # An ATX heading is one line: a setext heading's line breaks become spaces.
        inner = _inline(node.children[0], False).replace("\\\n", " ") if node.children else ""
        inner = inner.replace("\n", " ")
        return f"{'#' * level} {inner}".rstrip()
    if kind == "blockquote":
        body = _blocks(node.children, "\n\n", offset)
        return "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, offset, _list_marker(node))
    if kind in ("fence", "code_block"):
        content = node.content
        if content and not content.endswith("\n"):
            content += "\n"
        fence = _ticks(content, 3)
        info = node.info if kind == "fence" else ""
        return f"{fence}{info}\n{content}{fence}"
    if kind == "hr":
        return "***"
    if kind == "table":
        return _table(node)
    if kind == "inline":
        return _inline(node)
    return escape_text(node.content)


def _blocks(nodes: list[SyntaxTreeNode], separator: str, offset: int = 0) -> str:
    parts: list[str] = []
    previous: tuple[str, str] | None = None
    for node in nodes:
        if node.type in ("bullet_list", "ordered_list"):
            mark = _list_marker(node)
            if previous == (node.type, mark):
                # Two lists in a row with one marker would be read back as a single list.
                mark = {"-": "*", "*": "+", "+": "-", ".": ")", ")": "."}[mark]
            previous = (node.type, mark)
            parts.append(_list(node, offset, mark))
            continue
        previous = None
        parts.append(_block(node, offset))
    return separator.join(p for p in parts if p)


def clean_markdown(text: str, *, heading_offset: int = 0) -> str:
    """Return ``text`` rewritten as safe Markdown, headings pushed down by ``heading_offset``.

    Parsed by any CommonMark renderer, even one that allows raw HTML, the result holds no
    HTML, no link other than ``http(s)``/``mailto`` and no image: images become links.
    """
    from markdown_it.tree import SyntaxTreeNode

    tree = SyntaxTreeNode(policed_tokens(text, heading_offset=0, images="link"))
    return _blocks(tree.children, "\n\n", heading_offset)
