"""The menu each member sees: every app's pages, grouped in a few sections.

The entries come from the apps' contributions (esafety/contributions.py); who sees an entry is
the page's own school_view roles, so a page a member cannot open is never in their menu.
"""

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from django.urls import get_script_prefix, reverse

from esafety.contributions import SECTIONS, contributions, may_open
from esafety.people.access import SchoolAccess


@dataclass(frozen=True)
class _MenuAccess:
    """The part of a SchoolAccess a menu may depend on (NavEntry.when looks at roles only)."""

    roles: frozenset[str]
    is_chair: bool

    def has(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


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
    """The member's menu: made once per school, roles and script prefix in each process (every
    page draws it, and making it reversed twenty addresses), then the same frozen value."""
    return _nav(get_script_prefix(), access.school.code, access.roles, access.is_chair)


@functools.lru_cache(maxsize=1024)
def _nav(script_prefix: str, code: UUID, roles: frozenset[str], is_chair: bool) -> Navigation:
    # Only what the key holds reaches the entries' checks: a member with these roles at this
    # school (their user and school rows are not needed to decide the menu).
    access = _MenuAccess(roles=roles, is_chair=is_chair)
    by_section: dict[str, list[NavItem]] = {name: [] for name in SECTIONS}
    for contribution in contributions():
        for entry in contribution.nav:
            if may_open(access, entry.url_name, entry.when):  # type: ignore[arg-type]
                by_section[entry.section].append(
                    NavItem(entry.label, reverse(entry.url_name, args=[code]))
                )
    return Navigation(
        home=NavItem("Home", reverse("people:school_home", args=[code])),
        sections=tuple(
            NavSection(name, tuple(items)) for name, items in by_section.items() if items
        ),
    )
