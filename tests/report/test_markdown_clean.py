"""Commentary rewritten for the Markdown statement stays safe under a permissive renderer."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from renderers.report.markdown_clean import clean_markdown, escape_text
from renderers.report.markdown_safe import commentary_html, is_safe_link
from tests.report.test_markdown_safe import HOSTILE_PIECES


def _permissive() -> MarkdownIt:
    # The worst reader the Markdown file may meet: raw HTML on, and any link allowed.
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


PERMISSIVE = _permissive()


def _walk(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        out.extend(_walk(token.children or []))
    return out


def assert_safe_markdown(text: str, local: frozenset[str] = frozenset()) -> None:
    """Assert a permissive renderer finds no HTML and no link or image but safe or ``local`` ones.

    ``local`` names the report's own files beside the Markdown, which it may show or link to.
    """
    for token in _walk(PERMISSIVE.parse(text)):
        assert token.type not in ("html_block", "html_inline"), (token, text)
        if token.type == "image":
            assert token.attrGet("src") in local, (token, text)
        if token.type == "link_open":
            href = str(token.attrGet("href"))
            assert href in local or is_safe_link(href), (href, text)


def test_hostile_commentary_is_neutralised() -> None:
    source = (
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[x](javascript:alert(1)) <javascript:alert(1)> ![i](https://e.org/i.png)"
    )
    cleaned = clean_markdown(source)
    assert_safe_markdown(cleaned)
    # Shown, not dropped: the reader sees what the author wrote.
    rendered = commentary_html(cleaned)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "[x](javascript:alert(1))" in rendered
    assert '<a href="https://e.org/i.png"' in rendered


def test_formatting_survives_the_rewrite() -> None:
    source = (
        "# Focus\n\nLevels are **lower** than the *June 2019* baseline, see `table P4`.\n\n"
        "- Burglary\n- Robbery\n  1. nested\n\n> quoted line\n\n"
        "|Area|Rate|\n|:-|-:|\n|Warwickshire|49|\n\n```text\nraw <b>\n```\n\n"
        '[Plan](https://example.org/plan "The plan") and <https://example.org>'
    )
    cleaned = clean_markdown(source, heading_offset=4)
    assert cleaned.startswith("##### Focus")
    assert commentary_html(cleaned) == commentary_html(source, heading_offset=4)


def test_escape_text_keeps_plain_prose_readable() -> None:
    assert escape_text("Rate 1.2 per 100,000 in 2021/22") == "Rate 1.2 per 100,000 in 2021/22"
    assert escape_text("- not a list") == "\\- not a list"
    assert escape_text("1. not a list") == "1\\. not a list"
    assert escape_text("1. in a cell", line_start=False) == "1. in a cell"
    assert escape_text("a <b> & c|d") == "a \\<b\\> \\& c\\|d"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=10)), max_size=20).map(
        "".join
    )
)
def test_any_commentary_rewrites_to_safe_markdown(source: str) -> None:
    assert_safe_markdown(clean_markdown(source, heading_offset=3))


# Prose with the characters the rewrite must escape. Emphasis delimiters are left out: runs
# like "***a*b*" re-nest differently when written back, which changes no safety property.
PROSE = st.lists(
    st.sampled_from(
        ["word", "Warwickshire", " ", "\n", "\n\n", "#", "-", "1.", "2)", ">", "<", "&", "`",
         "|", "[", "]", "(", ")", "2021", ".", "+", "=", "\\", "!", "    "]
    ),
    max_size=30,
).map("".join)  # fmt: skip


_HEADING = re.compile(r"<(h[1-6])>(.*?)</\1>", re.S)


def _one_line_heading(match: re.Match[str]) -> str:
    """Write a heading's line breaks as the spaces an ATX heading has in their place."""
    inner = match.group(2).replace("<br />", " ").strip()
    return f"<{match.group(1)}>{inner}</{match.group(1)}>"


@settings(max_examples=400, deadline=None)
@given(PROSE)
@example("[](2)")
@example("\\\nword\n=")  # a hard line break inside a setext heading
def test_rewrite_renders_as_the_original(source: str) -> None:
    # An unclosed fence is closed by the rewrite, which ends its last line with a newline, and
    # a heading is one line, so a setext heading's line break becomes a space: both display the
    # same in a browser. A paragraph left empty once an unsafe link is dropped ("[](2)")
    # displays nothing, as does no paragraph.
    def same(html: str) -> str:
        html = _HEADING.sub(_one_line_heading, html)
        return " ".join(html.replace("\n</code>", "</code>").replace("<p></p>", "").split())

    assert same(commentary_html(clean_markdown(source))) == same(commentary_html(source))


def test_an_unclosed_fence_cannot_swallow_what_follows() -> None:
    cleaned = clean_markdown("```\nstill code")
    after = PERMISSIVE.parse(cleaned + "\n\n## Next section\n")
    assert any(t.type == "heading_open" for t in after)
