"""Hostile commentary never becomes live markup or a dangerous link."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderers.report.markdown_safe import (
    commentary_html,
    is_safe_image,
    is_safe_link,
    url_scheme,
)
from tests.report.builders import scan

# Tags the parser produces from Markdown; anything else would have come from the author.
MARKDOWN_TAGS = {
    "p", "em", "strong", "s", "code", "pre", "a", "img", "ul", "ol", "li", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
SAFE_ATTRS = {"href", "title", "src", "alt", "class", "start", "style", "rel"}


def assert_inert(rendered: str) -> None:
    """Assert that ``rendered`` holds only Markdown's own tags, attributes and safe URLs."""
    parsed = scan(rendered)
    for tag, attrs in parsed.tags:
        assert tag in MARKDOWN_TAGS, (tag, rendered)
        for name, value in attrs.items():
            assert not name.startswith("on"), (name, rendered)
            assert name in SAFE_ATTRS, (name, rendered)
            if name == "href":
                assert value is not None and is_safe_link(value), rendered
                assert url_scheme(value) in {"http", "https", "mailto"}
            if name == "src":
                assert value is not None and is_safe_image(value), rendered


HOSTILE_CASES = [
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    ("<svg onload=alert(1)>", "<svg onload=alert(1)>"),
    ('<a href="javascript:alert(1)">x</a>', '<a href="javascript:alert(1)">x</a>'),
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("[x](JAVASCRIPT:alert(1))", "[x](JAVASCRIPT:alert(1))"),
    ("[x](javascript&#58;alert(1))", "[x](javascript:alert(1))"),
    ("[x](javascript&colon;alert(1))", "[x](javascript:alert(1))"),
    ("[x](&#106;avascript:alert(1))", "[x](javascript:alert(1))"),
    ("[x](vbscript:msgbox(1))", "[x](vbscript:msgbox(1))"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "[x](data:text/html;base64,PHNjcmlwdD4=)"),
    ("<javascript:alert(1)>", "<javascript:alert(1)>"),
    ("<JavaScript:alert(1)>", "<JavaScript:alert(1)>"),
    ("![x](javascript:alert(1))", "![x](javascript:alert(1))"),
    ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "![x](data:image/svg+xml;base64,PHN2Zz4=)"),
    ("[x][r]\n\n[r]: javascript:alert(1)", "[r]: javascript:alert(1)"),
]


@pytest.mark.parametrize(("source", "shown"), HOSTILE_CASES)
def test_hostile_markdown_is_shown_as_text(source: str, shown: str) -> None:
    rendered = commentary_html(source)
    assert_inert(rendered)
    parsed = scan(rendered)
    assert not any(tag == "a" for tag, _ in parsed.tags)
    assert shown in "".join(parsed.text)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "javascript&#58;alert(1)",
        "javascript&#x3A;alert(1)",
        "javascript&colon;alert(1)",
        "javascript&amp;#58;alert(1)",
        "java%73cript:alert(1)",
        "javascript%3Aalert(1)",
        "\x00javascript:alert(1)",
        "\u200bjavascript:alert(1)",
        "vbscript:msgbox",
        "data:text/html,<script>",
        "file:///etc/passwd",
        "jav&#x09;ascript:alert(1)",
        "foo:bar",
    ],
)
def test_dangerous_urls_are_refused_as_links_and_images(url: str) -> None:
    assert not is_safe_link(url)
    assert not is_safe_image(url)


@pytest.mark.parametrize(
    ("url", "link", "image"),
    [
        ("https://example.org/a?b=c#d", True, True),
        ("HTTP://EXAMPLE.ORG", True, True),
        ("mailto:opcc@example.org", True, False),
        ("charts/a.png", False, True),
        ("/a.png", False, True),
        ("#section", False, True),
        ("//example.org/x.png", False, True),
    ],
)
def test_allowed_urls(url: str, link: bool, image: bool) -> None:
    assert is_safe_link(url) is link
    assert is_safe_image(url) is image


def test_plain_links_and_autolinks_survive_with_rel() -> None:
    rendered = commentary_html("[plan](https://example.org/plan) <https://x.org> <opcc@x.org>")
    parsed = scan(rendered)
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert hrefs == ["https://example.org/plan", "https://x.org", "mailto:opcc@x.org"]
    assert all(
        attrs["rel"] == "nofollow noopener noreferrer" for tag, attrs in parsed.tags if tag == "a"
    )


def test_relative_links_keep_their_text_only() -> None:
    rendered = commentary_html("see [the annex](annex.html)")
    assert "<a" not in rendered
    assert "the annex" in rendered


def test_images_become_links_by_default_and_embed_only_when_asked() -> None:
    source = "![chart](https://example.org/c.png) ![local](c.png)"
    linked = scan(commentary_html(source))
    assert not any(tag == "img" for tag, _ in linked.tags)
    assert [a["href"] for t, a in linked.tags if t == "a"] == ["https://example.org/c.png"]
    assert "[Image: local]" in "".join(linked.text)
    embedded = scan(commentary_html(source, images="embed"))
    assert [a["src"] for t, a in embedded.tags if t == "img"] == [
        "https://example.org/c.png",
        "c.png",
    ]
    as_text = scan(commentary_html(source, images="text"))
    assert not any(t in ("img", "a") for t, _ in as_text.tags)


def test_headings_are_pushed_below_the_page_headings() -> None:
    rendered = commentary_html("# Top\n\n###### Deep", heading_offset=4)
    assert "<h5>Top</h5>" in rendered
    assert "<h6>Deep</h6>" in rendered
    with pytest.raises(ValueError, match="heading_offset"):
        commentary_html("x", heading_offset=6)


def test_code_fence_info_cannot_smuggle_attributes() -> None:
    rendered = commentary_html('```js" onclick="alert(1)\ncode\n```')
    assert_inert(rendered)
    assert "onclick" not in rendered.replace("&quot;", "")


def test_table_alignment_is_the_only_style() -> None:
    rendered = commentary_html("|a|b|\n|:-|-:|\n|1|2|")
    styles = {a.get("style") for t, a in scan(rendered).tags if t in ("th", "td")}
    assert styles == {"text-align:left", "text-align:right"}


HOSTILE_PIECES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)' onmouseover=alert(1)>x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](java%0ascript:alert(1))",
    "![y](javascript:alert(1))",
    "![y](https://example.org/y.png)",
    "<javascript:alert(1)>",
    "<https://example.org>",
    "[ok](https://example.org 'title\" onclick=\"x')",
    '" onload="alert(1)',
    "<!-- x -->",
    "```html\n<script>\n```",
    "# heading",
    "> quote",
    "- item",
    "|a|b|\n|-|-|\n|<b>|x|",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "\n",
    "\n\n",
    " ",
    "*",
    "`",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    '"',
    "'",
    "=",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=12)), max_size=24).map(
        "".join
    )
)
def test_any_commentary_renders_inert(source: str) -> None:
    assert_inert(commentary_html(source))
    assert_inert(commentary_html(source, images="embed", heading_offset=3))
