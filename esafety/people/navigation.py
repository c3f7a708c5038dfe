"""The menu each member sees: every app's pages, grouped in a few sections.

The entries come from the apps' contributions (esafety/contributions.py); who sees an entry is
the page's own school_view roles, so a page a member cannot open is never in their menu.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import reverse

from esafety.contributions import SECTIONS, contributions, may_open
from esafety.people.access import SchoolAccess


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


@dataclass(frozen=True)
class Navigation:
    """Home, then the sections with at least one page for this member. Iterating gives every
    item, Home first, in menu order."""

    home: NavItem
    sections: tuple[NavSection, ...]

    def __iter__(self) -> Iterator[NavItem]:
        yield self.home
        for section in self.sections:
            yield from section.items


def nav_for(access: SchoolAccess) -> Navigation:
    code = access.school.code
    by_section: dict[str, list[NavItem]] = {name: [] for name in SECTIONS}
    for contribution in contributions():
        for entry in contribution.nav:
            if may_open(access, entry.url_name, entry.when):
                by_section[entry.section].append(
                    NavItem(entry.label, reverse(entry.url_name, args=[code]))
                )
    return Navigation(
        home=NavItem("Home", reverse("people:school_home", args=[code])),
        sections=tuple(
            NavSection(name, tuple(items)) for name, items in by_section.items() if items
        ),
    )
