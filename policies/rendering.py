"""Policy bodies are written in Markdown and shown only through a sanitiser.

A policy body is typed by staff, and shown to parents and the public: whatever is pasted into it,
no script, style or event handler ever reaches a browser or a PDF.
"""

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
