"""Render commentary Markdown to HTML that cannot carry live markup or dangerous links.

Commentary is written by people outside the framework and pasted into a published page, so it
is treated as hostile: raw HTML is shown as text, links keep only ``http``, ``https`` and
``mailto`` targets, images keep only ``http(s)`` or relative sources, and a final pass keeps
only the few attributes the Markdown parser itself produces, so no ``on*`` handler or
``style`` of the author's can appear whatever the parser does.
"""

from __future__ import annotations

import functools
import html
import re
import urllib.parse
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    # Imported where a text is parsed: a statement without commentary never needs the parser.
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

ImagePolicy = Literal["embed", "link", "text"]
"""What becomes of an image: kept as ``<img>``, turned into a link to it, or its alt text."""

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Browsers drop ASCII tab and newline anywhere in a URL and trim C0 controls and spaces at its
# ends, so "java\tscript:" is "javascript:" to them: the check removes them first, as they do.
_IGNORED_BY_BROWSERS = re.compile(
    r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]"
)

# What the parser emits, per tag; anything else is removed, whatever produced it.
_ALLOWED_ATTRS: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "code": frozenset({"class"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"style"}),
    "td": frozenset({"style"}),
}
_LANGUAGE = re.compile(r"[A-Za-z0-9_+#.-]{1,40}")
_SAFE_ATTR_VALUE: dict[str, re.Pattern[str]] = {
    "class": re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}"),
    "style": re.compile(r"text-align:(left|right|center)"),
    "start": re.compile(r"[0-9]{1,9}"),
}


def url_scheme(url: str) -> str | None:
    r"""Return the lower-cased scheme a browser would see in ``url``, or None if it is relative.

    Entities and percent-escapes are decoded and ignorable characters dropped first, so
    ``JAVASCRIPT:``, ``javascript&#58;``, ``java%73cript:`` and ``java\tscript:`` all read
    as ``javascript``. A colon before the first ``/``, ``?`` or ``#`` that does not form a
    valid scheme still counts, as ``"?"``, so such ambiguous URLs are never taken as relative.
    """
    plain = url
    # Decode repeatedly: "&amp;#58;" or "%253A" must not hide a colon behind a second layer.
    for _ in range(4):
        decoded = urllib.parse.unquote(html.unescape(plain))
        if decoded == plain:
            break
        plain = decoded
    plain = _IGNORED_BY_BROWSERS.sub("", plain).lower()
    match = _SCHEME.match(plain)
    if match:
        return match.group(1)
    head = re.split(r"[/?#\\]", plain, maxsplit=1)[0]
    return "?" if ":" in head else None


def is_safe_link(url: str) -> bool:
    """Return True when ``url`` may be the target of a link: ``http``, ``https`` or ``mailto``."""
    return url_scheme(url) in LINK_SCHEMES


def is_safe_image(url: str) -> bool:
    """Return True when ``url`` may be an image source: ``http(s)`` or relative, never ``data:``."""
    scheme = url_scheme(url)
    return scheme is None or scheme in IMAGE_SCHEMES


def _validate_link(url: str) -> bool:
    # The parser asks once for links and images alike; the image rules are looser (relative
    # sources), so let both through here and tell them apart in _police below.
    return is_safe_link(url) or is_safe_image(url)


def _text_token(content: str) -> Token:
    from markdown_it.token import Token

    token = Token("text", "", 0)
    token.content = content
    return token


def _image_alt(token: Token) -> str:
    return "".join(child.content for child in token.children or ())


def _police_inline(children: list[Token], images: ImagePolicy) -> list[Token]:
    out: list[Token] = []
    open_links: list[bool] = []
    for token in children:
        if token.type == "link_open":
            keep = is_safe_link(str(token.attrGet("href") or ""))
            open_links.append(keep)
            if keep:
                out.append(token)
            continue
        if token.type == "link_close":
            if open_links.pop():
                out.append(token)
            continue
        if token.type == "image":
            out.extend(_police_image(token, images, inside_link=any(open_links)))
            continue
        out.append(token)
    return out


def _police_image(token: Token, images: ImagePolicy, *, inside_link: bool) -> list[Token]:
    from markdown_it.token import Token

    src = str(token.attrGet("src") or "")
    alt = _image_alt(token) or "image"
    if images == "embed" and is_safe_image(src):
        return [token]
    if images == "link" and is_safe_link(src) and not inside_link:
        link_open = Token("link_open", "a", 1)
        link_open.attrSet("href", src)
        link_close = Token("link_close", "a", -1)
        return [link_open, _text_token(f"Image: {alt}"), link_close]
    return [_text_token(f"[Image: {alt}]")]


def _keep_safe_attrs(token: Token) -> None:
    allowed = _ALLOWED_ATTRS.get(token.tag, frozenset())
    kept: dict[str, Any] = {}
    for name, value in token.attrs.items():
        text = str(value)
        pattern = _SAFE_ATTR_VALUE.get(name)
        if name not in allowed or (pattern is not None and not pattern.fullmatch(text)):
            continue
        if name == "href" and not is_safe_link(text):
            continue
        if name == "src" and not is_safe_image(text):
            continue
        kept[name] = value
    token.attrs = kept
    if token.type == "link_open":
        # Commentary links lead off the page: tell the browser not to pass the page along.
        token.attrSet("rel", "nofollow noopener noreferrer")


def _police(state: StateCore) -> None:
    images: ImagePolicy = state.env.get("images", "link")
    offset: int = state.env.get("heading_offset", 0)
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1:]) + offset)
            token.tag = f"h{level}"
        if token.type == "fence":
            # The renderer makes the info string's first word a class: keep only a plain name.
            words = token.info.split()
            plain = bool(words) and _LANGUAGE.fullmatch(words[0]) is not None
            token.info = words[0] if plain else ""
        if token.children is not None:
            token.children = _police_inline(token.children, images)
            for child in token.children:
                _keep_safe_attrs(child)
        _keep_safe_attrs(token)


@functools.cache
def _parser() -> MarkdownIt:
    """Return the one policed parser, made on first use."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.core.ruler.push("police_commentary", _police)
    return md


def policed_tokens(
    text: str, *, heading_offset: int = 0, images: ImagePolicy = "link"
) -> list[Token]:
    """Return the parse of ``text`` after the safety rules: what either renderer may emit."""
    if not 0 <= heading_offset <= 5:
        raise ValueError("heading_offset must be between 0 and 5")
    env = {"heading_offset": heading_offset, "images": images}
    tokens: list[Token] = _parser().parse(text, env)
    return tokens


def commentary_html(text: str, *, heading_offset: int = 0, images: ImagePolicy = "link") -> str:
    """Return ``text`` (Markdown) as HTML safe to place inside a page.

    ``heading_offset`` pushes the author's headings down (``#`` becomes ``h1 + offset``, at most
    ``h6``) so they sit below the page's own. ``images`` says what becomes of images: the
    default turns each into a link, so the page itself loads nothing from elsewhere.
    """
    tokens = policed_tokens(text, heading_offset=heading_offset, images=images)
    md = _parser()
    rendered: str = md.renderer.render(tokens, md.options, {})
    return rendered
