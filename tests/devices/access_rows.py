"""The Devices app's rows in the role × URL table
(tests/access_table.py gathers them), and the
objects its URLs name (tests/test_access_matrix.py builds them at both schools)."""

from tests.access_table import Page, School

SCHOOL_PAGES: dict[str, School] = {}
OTHER_PAGES: dict[str, Page] = {}


def objects(school, office) -> dict[str, object]:
    """One of each object this app's URLs name, at `school` (`office` is its office member)."""
    return {}
