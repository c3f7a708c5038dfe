"""Policy bodies are written in Markdown and shown only through a sanitiser.

A policy body is typed by staff, and shown to parents and the public: whatever is pasted into it,
no script, style or event handler ever reaches a browser or a PDF.
"""

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "u",
    "ul", "ol", "li", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "code",
    "pre", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


def render_markdown(body: str) -> SafeString:
    html = markdown.markdown(body, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 just above)


_HEADING = re.compile(r"<(/?)h([1-5])>")


def render_body(body: str) -> SafeString:
    """A version's text for a page whose own heading is the policy's title: through the
    sanitiser, then each of the text's headings one level down (its "# Title" becomes an h2), so
    the page keeps one h1 and an outline screen readers can follow."""
    html = render_markdown(body)
    # nh3 allows no attributes on headings, so its output has only bare <hN> tags to match.
    return mark_safe(_HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}>", html))  # noqa: S308
