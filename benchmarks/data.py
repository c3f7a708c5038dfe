"""The benchmark's schools: one `manage.py seed_scale` school a size, the project's one scale
data set (every app adds its records through its `scale` contribution), with the audit chain
that verify_audit is timed over. Sizes follow issue 9: 1× is about the demo school (200 pupils,
100 concerns, 10,000 audit events), 10× is ten times that.
"""

import io
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db.models import Count

from esafety.people.models import Guardian, Pupil, Role, School, User
from esafety.people.scale import NAMED_ROLES


@dataclass(frozen=True)
class Size:
    label: str
    pupils: int
    concerns: int
    audit_events: int


def size_for(factor: int) -> Size:
    return Size(
        label=f"{factor}×",
        pupils=200 * factor,
        concerns=100 * factor,
        audit_events=10_000 * factor,
    )


TINY = (
    Size("1×", pupils=12, concerns=20, audit_events=400),
    Size("10×", pupils=24, concerns=30, audit_events=600),
)


@dataclass
class BenchSchool:
    size: Size
    school: School
    people: dict[str, User]
    pupils: list[Pupil] = field(default_factory=list)


def from_seed_scale(sizes: list[Size]) -> dict[str, BenchSchool]:
    """The schools, made by `manage.py seed_scale` (one school a size, --add): the personas
    are its named users (and the parent with the most children); each page finds its own
    records (its app's bench module)."""
    schools = {}
    for size in sizes:
        _seed_scale_school(
            pupils=size.pupils, concerns=size.concerns, audit_events=size.audit_events
        )
        school = _newest_scale_school()
        people: dict[str, User] = {}
        for role in NAMED_ROLES:
            local = role.value.replace("_", "-")
            people[role] = User.objects.get(
                memberships__school=school, memberships__role=role, email__startswith=f"{local}@"
            )
        busiest_parent = (
            Guardian.objects.filter(pupil__school=school, user__isnull=False)
            .values("user")
            .annotate(n=Count("id"))
            .order_by("-n", "user")
            .first()
        )
        assert busiest_parent is not None
        people[Role.PARENT] = User.objects.get(pk=busiest_parent["user"])
        schools[size.label] = BenchSchool(
            size=size,
            school=school,
            people=people,
            pupils=list(Pupil.objects.filter(school=school, left_date=None).order_by("mis_id")),
        )
    return schools


def trust(schools: int) -> None:
    """A trust of `schools` schools at seed_scale's default size, for the measured schools to
    sit beside."""
    call_command("seed_scale", schools=schools, add=True, stdout=io.StringIO())


def audit_only_school(events: int) -> School:
    """One more school with a long audit trail and little else: verify_audit's work at trust
    scale."""
    _seed_scale_school(pupils=10, concerns=0, audit_events=events)
    return _newest_scale_school()


def _seed_scale_school(*, pupils: int, concerns: int, audit_events: int) -> None:
    call_command(
        "seed_scale",
        schools=1,
        pupils=pupils,
        concerns=concerns,
        audit_events=audit_events,
        add=True,
        stdout=io.StringIO(),
    )


def _newest_scale_school() -> School:
    school = School.objects.filter(urn__regex=r"^8\d{5}$").order_by("-id").first()
    assert school is not None
    return school
