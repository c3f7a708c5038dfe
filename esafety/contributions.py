"""How an app plugs into the shared surfaces, without the shared code knowing the app.

Each domain app declares one `Contribution` in its own `contributions.py` and registers it from
its AppConfig.ready(). The shared code (navigation, the home page, `seed_demo`, the governors'
figures, the daily digest, the beat schedule) reads the registry and imports no domain app:
tests/test_layers.py checks that rule. Adding an app means declaring its contribution, never
editing the shared code.
"""

import datetime
import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from uuid import UUID

from django.urls import NoReverseMatch, resolve, reverse

from esafety.people.access import SchoolAccess
from esafety.people.models import School
from esafety.reports.shapes import ReportSection

# The navigation's sections, in the order the menu shows them. A few groups, each with its pages,
# so eight apps fit on a phone and a 1280-pixel screen alike; an app files its pages under one.
SECTIONS = ("Safeguarding", "Policies", "Pupils", "School")


@dataclass(frozen=True)
class NavEntry:
    """A page in the menu. Who sees it is decided by the page's own `school_view` roles (read from
    the view itself, so the menu and the access check cannot disagree), narrowed by `when`.

    `when` may look at the member's roles only (`holding`): a menu is the same for everyone with
    the same roles at a school, and esafety.people.navigation keeps it once made."""

    section: str
    label: str
    url_name: str
    when: Callable[[SchoolAccess], bool] | None = None


@dataclass(frozen=True)
class HomeCard:
    """A card on the school's home page: a template rendered with `access`, shown to whoever may
    open `url_name` (and passes `when`). Cards are ordered by `order`, then by app."""

    title: str
    template: str
    url_name: str
    when: Callable[[SchoolAccess], bool] | None = None
    order: int = 50


@dataclass(frozen=True)
class PupilLink:
    """A link on each row of the pupils list to the app's page about that pupil (its URL takes
    the school and the pupil's code), shown to whoever may open that page."""

    label: str
    url_name: str


@dataclass(frozen=True)
class Panel:
    """A section an app adds to another app's record page: the host names the page (say
    "incidents:concern"), `context(access, record)` returns the template's context, or None
    when the panel has nothing to show this reader about this record. It runs on every view of
    the page, so it issues a constant number of queries."""

    host: str
    template: str
    context: Callable[[SchoolAccess, object], dict | None]


@dataclass(frozen=True)
class DemoSchool:
    """What `seed_demo` has made before the apps add theirs: the school, one user per role (keyed
    by role value, "parent" included) and the pupils."""

    school: object
    people: dict
    pupils: list


@dataclass(frozen=True)
class DigestLine:
    """One line of a member's daily digest: what needs attention, and where. Never a child's
    name or a narrative: the email says that something is waiting and links to it."""

    text: str
    url_name: str
    args: tuple = ()


@dataclass(frozen=True)
class DigestSource:
    """The lines an app adds to the daily digest of members holding one of `roles`.

    `per_member`: the lines depend on who reads them (what they may open, their own records);
    asked once for each member. Otherwise they are the school's, the same for everyone holding
    the roles (`lines` reads only `access.school`): asked once for the school, so the digest's
    queries grow with the members it must tell apart, not with everyone it is sent to."""

    roles: frozenset[str]
    lines: Callable[[SchoolAccess, datetime.date], list[DigestLine]]
    per_member: bool = True


@dataclass(frozen=True)
class BenchPage:
    """A row of `make bench`: a page a member opens daily, who opens it and how. `url` and `data`
    take the benchmark's school (benchmarks/data.py's BenchSchool: `.school`, `.people` by role,
    `.pupils`) and find the records they need themselves; they run once, before timing."""

    label: str
    role: str
    url: Callable  # (BenchSchool) -> str
    method: str = "GET"
    data: Callable | None = None  # (BenchSchool) -> dict, for a POST
    floor: bool = False


@dataclass(frozen=True)
class BenchJob:
    """A background job `make bench` times: run twice in-process, as a worker would, over every
    school (the second run shows what it costs with nothing left to do)."""

    label: str
    run: Callable[[], object]


@dataclass(frozen=True)
class AcceptedDocument:
    """A document members read and sign, in the edition in force, with who signed that edition
    (user ids). Another app shows read-and-sign through it (training's KCSIE column) without
    importing the app that keeps the documents; a new edition starts again from nobody."""

    code: UUID
    title: str
    edition: str
    audiences: frozenset[str]
    accepted_by: frozenset[int]


@dataclass(frozen=True)
class Contribution:
    app: str  # the app's label
    nav: tuple[NavEntry, ...] = ()
    home: tuple[HomeCard, ...] = ()
    pupil_links: tuple[PupilLink, ...] = ()
    # Sections on other apps' record pages (a concern's devices held as evidence, say).
    panels: tuple[Panel, ...] = ()
    # Templates shown at the top of every page for a signed-in member; each decides for itself
    # whether it has anything to say (from the app's own context processor).
    banners: tuple[str, ...] = ()
    # Adds the app's demo records to seed_demo's school, through the app's own services.
    demo: Callable[[DemoSchool], None] | None = None
    # Adds the app's records to one school of the scale data set (manage.py seed_scale), in
    # bulk: called once per school with an esafety.scale.ScaleSchool (what people made, the
    # bulk writers, the audit writer that keeps the chain valid).
    scale: Callable[..., object] | None = None
    # The app's section of the governors' figures: figures(school=, start=, end=) -> plain data.
    figures: Callable[..., object] | None = None
    digest: tuple[DigestSource, ...] = ()
    # Celery beat entries, by name: {"task": "app.tasks.name", "schedule": ...}, each with a
    # comment where it is declared saying when it runs in words.
    beat: Mapping[str, dict] = field(default_factory=dict)
    # The app's rows in `make bench`: a module (say "incidents.bench") with pages() ->
    # tuple[BenchPage, ...] and/or jobs() -> tuple[BenchJob, ...]. Only the benchmark imports it.
    bench: str = ""
    # Documents members read and sign: accepted_documents(school=) -> list[AcceptedDocument],
    # in a constant number of queries.
    accepted_documents: Callable[..., list[AcceptedDocument]] | None = None
    # The app's sections of the governors' report: a module (say "incidents.report") whose
    # SECTIONS is a tuple of esafety.reports.shapes.ReportSection: counts in tables the report
    # adds up and suppresses itself, never names or narrative. Imported when a report is made.
    report: str = ""


_registry: dict[str, Contribution] = {}


def register(contribution: Contribution) -> None:
    for entry in contribution.nav:
        if entry.section not in SECTIONS:
            raise ValueError(
                f"{contribution.app}: navigation section {entry.section!r} is not one of "
                f"{SECTIONS}; file the page under one of them"
            )
    clash = set(contribution.beat) & {n for c in _registry.values() for n in c.beat}
    if contribution.app not in _registry and clash:
        raise ValueError(f"{contribution.app}: beat entries {sorted(clash)} are taken")
    _registry[contribution.app] = contribution


def contributions() -> list[Contribution]:
    """Every registered contribution, in the order the apps are installed."""
    return list(_registry.values())


# Who may open a page, read off its view: school_view records its roles on the wrapper.
_ANY_SCHOOL = UUID(int=0)


@cache
def page_roles(url_name: str) -> frozenset[str]:
    """The roles the page's `school_view` lets in; empty means any member of the school."""
    # A school page, or a school's page about one record (the pupil links).
    try:
        path = reverse(url_name, args=[_ANY_SCHOOL])
    except NoReverseMatch:
        path = reverse(url_name, args=[_ANY_SCHOOL, _ANY_SCHOOL])
    match = resolve(path)
    roles: frozenset[str] | None = getattr(match.func, "school_roles", None)
    if roles is None:
        raise ValueError(f"{url_name} is not wrapped in school_view: it cannot be in the menu")
    return roles


def holding(*roles: str) -> Callable[[SchoolAccess], bool]:
    """A `when` for an entry or card meant for some roles only, on a page everyone may open."""

    def when(access: SchoolAccess) -> bool:
        return access.has(*roles)

    return when


def may_open(
    access: SchoolAccess, url_name: str, when: Callable[[SchoolAccess], bool] | None = None
) -> bool:
    roles = page_roles(url_name)
    if roles and not access.has(*roles):
        return False
    return when is None or when(access)


def home_cards(access: SchoolAccess) -> list[HomeCard]:
    cards = [
        card
        for c in contributions()
        for card in c.home
        if may_open(access, card.url_name, card.when)
    ]
    return sorted(cards, key=lambda card: card.order)


def pupil_links(access: SchoolAccess) -> list[PupilLink]:
    return [
        link for c in contributions() for link in c.pupil_links if may_open(access, link.url_name)
    ]


def panels(host: str, access: SchoolAccess, record: object) -> list[tuple[str, dict]]:
    """The (template, context) of every panel other apps add to the `host` page for `record`."""
    shown = []
    for c in contributions():
        for panel in c.panels:
            if panel.host == host and (context := panel.context(access, record)) is not None:
                shown.append((panel.template, {"access": access, "record": record, **context}))
    return shown


def banners() -> list[str]:
    return [template for c in contributions() for template in c.banners]


def figures(*, school: School, start: datetime.date, end: datetime.date) -> dict[str, object]:
    """Each app's section of the governors' figures, keyed by app label. An app that is not
    installed has no section: it is left out, never faked."""
    return {
        c.app: c.figures(school=school, start=start, end=end) for c in contributions() if c.figures
    }


def accepted_documents(*, school: School) -> list[AcceptedDocument]:
    return [
        d
        for c in contributions()
        if c.accepted_documents
        for d in c.accepted_documents(school=school)
    ]


def report_sections() -> list[ReportSection]:
    """Every installed app's report sections, in their order: an app that is not installed
    has none, so its section is left out, never faked."""
    modules = [importlib.import_module(c.report) for c in contributions() if c.report]
    found = [section for module in modules for section in module.SECTIONS]
    return sorted(found, key=lambda s: s.order)


def digest_sources() -> Iterator[DigestSource]:
    for c in contributions():
        yield from c.digest


def _bench_rows(kind: str) -> list:
    modules = [importlib.import_module(c.bench) for c in contributions() if c.bench]
    return [row for module in modules if hasattr(module, kind) for row in getattr(module, kind)()]


def bench_pages() -> list[BenchPage]:
    return _bench_rows("pages")


def bench_jobs() -> list[BenchJob]:
    return _bench_rows("jobs")


def beat_schedule() -> dict[str, dict]:
    return {name: entry for c in contributions() for name, entry in c.beat.items()}
