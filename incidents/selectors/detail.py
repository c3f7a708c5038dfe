"""One concern, with everything its page shows, and the records an action on it names."""

from typing import cast
from uuid import UUID

from django.db.models import (
    Model,
    QuerySet,
)

from esafety.baked import Values, baked, fields_of, prefetched
from esafety.people.access import SchoolAccess
from esafety.people.models import User
from incidents.categories import Category
from incidents.models import (
    Attachment,
    Concern,
    ConcernPupil,
    ConcernStaff,
    NudesAnswer,
    ProcedureStep,
    Referral,
    TimelineEntry,
)
from incidents.selectors.visibility import (
    VisibilityShape,
    baked_access,
    concerns_for,
    visibility_shape,
)

# What the page lists of a concern, each read by its concern index, in the order it shows them.
RELATED: dict[str, type[Model]] = {
    "staff_links": ConcernStaff,
    "steps": ProcedureStep,
    "referrals": Referral,
    "attachments": Attachment,
    "entries": TimelineEntry,
    # Only a sharing-nudes concern has the five questions' answers (procedure.nudes_review).
    "nudes_answers": NudesAnswer,
}


@baked
def _concern(shape: VisibilityShape, v: Values) -> QuerySet:
    rows = concerns_for(baked_access(shape, v)).filter(code=v.code)
    return cast(QuerySet, rows.values(*fields_of(Concern)))


@baked
def _related(shape: str, v: Values) -> QuerySet:
    model = RELATED[shape]
    rows = model._default_manager.filter(concern_id=v.concern)
    if shape == "entries":
        rows = rows.order_by("at", "id")
    return cast(QuerySet, rows.values(*fields_of(model)))


PUPILS = ("pupil", "pupil__school_class")


@baked
def _pupils(shape: None, v: Values) -> QuerySet:
    links = ConcernPupil.objects.filter(concern_id=v.concern).order_by("id")
    return cast(QuerySet, links.values(*fields_of(ConcernPupil, PUPILS)))


@baked
def _members(shape: None, v: Values) -> QuerySet:
    return cast(QuerySet, User.objects.filter(pk__in=v.ids).values(*fields_of(User)))


def concern_detail(access: SchoolAccess, code: UUID) -> Concern | None:
    """One concern with everything its page shows (its pupils, the staff named, its steps,
    referrals, evidence and timeline, oldest entry first), in a number of queries that does not
    grow with its history. Each is baked (esafety/baked): a page of many short reads was
    mostly the ORM's time."""
    found = _concern.objects(
        Concern, visibility_shape(access), school=access.school.pk, user=access.user.pk, code=code
    )
    if not found:
        return None
    concern = found[0]
    # concerns_for keeps to the member's school, so the concern's school is that one (already
    # loaded with the membership), not another join.
    concern.school = access.school
    for name, model in RELATED.items():
        if name == "nudes_answers" and concern.category != Category.NUDES:
            continue
        prefetched(concern, name, _related.objects(model, name, concern=concern.pk))
    pupils = _pupils.objects(ConcernPupil, None, related=PUPILS, concern=concern.pk)
    prefetched(concern, "pupil_links", pupils)
    entries = concern.entries.all()
    # An entry corrects another of the same concern (concern_correct refuses any other), which
    # is in this list already: linked here rather than joined a second time.
    by_pk = {e.pk: e for e in entries}
    for entry in entries:
        if entry.corrects_id in by_pk:
            entry.corrects = by_pk[entry.corrects_id]
    _name_members(concern)
    return concern


def _name_members(concern: Concern) -> None:
    # The page names a handful of members of staff, most of them many times (who logged it and
    # acknowledged it, who did each step, wrote each entry, recorded each referral, added each
    # file, and the staff involved): all of them read in one query and set on each row, rather
    # than a join of the whole user row into every list.
    named: list[tuple[object, tuple[str, ...]]] = [
        (concern, ("reported_by", "acknowledged_by", "closed_by")),
        *((link, ("user",)) for link in concern.staff_links.all()),
        *((step, ("done_by",)) for step in concern.steps.all()),
        *((referral, ("recorded_by",)) for referral in concern.referrals.all()),
        *((attachment, ("uploaded_by",)) for attachment in concern.attachments.all()),
        *((entry, ("author",)) for entry in concern.entries.all()),
    ]
    ids = {getattr(row, f"{field}_id") for row, fields in named for field in fields}
    members = {u.pk: u for u in _members.objects(User, None, ids=tuple(sorted(ids - {None})))}
    for row, fields in named:
        for field in fields:
            member_id = getattr(row, f"{field}_id")
            if member_id is not None:
                setattr(row, field, members[member_id])


def attachment_of(concern: Concern, code: UUID) -> Attachment | None:
    return Attachment.objects.filter(concern=concern, code=code).first()


def step_of(concern: Concern, key: str) -> ProcedureStep | None:
    return ProcedureStep.objects.filter(concern=concern, key=key).first()


def entry_of(concern: Concern, code: UUID) -> TimelineEntry | None:
    return TimelineEntry.objects.filter(concern=concern, code=code).first()
