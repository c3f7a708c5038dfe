"""The governors' report's rows in the role × URL table (tests/access_table.py gathers them).

Governors (the chair among them), the head, the DSL and the online safety lead read the figures
and download the PDF; only the board chooses the sections. No URL here names a record.
"""

from tests.access_table import DSL, GOVERNOR, HEAD, ONLINE_SAFETY_LEAD, Page, School

READERS = frozenset({GOVERNOR, HEAD, DSL, ONLINE_SAFETY_LEAD})

SCHOOL_PAGES: dict[str, School] = {
    "reports:dashboard": School(READERS),
    # With no period asked for, the current term's PDF.
    "reports:pdf": School(READERS),
    "reports:settings": School(frozenset({GOVERNOR})),
    "reports:audit175": School(READERS),
}
OTHER_PAGES: dict[str, Page] = {}


def objects(school, office) -> dict[str, object]:
    return {}
