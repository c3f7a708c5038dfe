"""Every read of concerns goes through here, scoped to the school and to what the role may see."""

import datetime
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)

# The concern list's pager, moved to esafety.paging for the other apps' long lists.
from esafety.paging import RowsPage as RowsPage
from esafety.paging import page_number as page_number
from esafety.paging import rows_page as rows_page
from esafety.people.access import SchoolAccess
from esafety.people.models import Membership, Pupil, Role, School, User
from incidents.categories import CHILD_PROTECTION, ONLINE_SAFETY_LEAD_CATEGORIES, Category
from incidents.models import (
    OPEN_STATUSES,
    Attachment,
    Concern,
    ConcernPupil,
    ConcernStaff,
    ProcedureStep,
    Referral,
    Status,
    StepState,
    TimelineEntry,
)

NOTHING = Q(pk__in=[])


def _about_head() -> Exists:
    return Exists(
        Membership.objects.filter(
            school=OuterRef("school"),
            role=Role.HEAD,
            is_active=True,
            user__concerns_involved_in__concern=OuterRef("pk"),
        )
    )


# The roles _visible_parts reads, with the chair's flag: what a member may open depends on these
# and on no other role they hold (test_visibility checks it), so a caller deciding who may open
# a concern need read no other.
OPENING_ROLES = frozenset({Role.DSL, Role.HEAD, Role.DEPUTY_DSL, Role.ONLINE_SAFETY_LEAD})


def _visible_parts(access: SchoolAccess) -> list[Q]:
    if access.has(Role.DSL, Role.HEAD):
        return [Q()]  # every concern (concerns_for still removes those about the member)
    parts: list[Q] = []
    if access.has(Role.DEPUTY_DSL):
        parts.append(~Q(category=Category.STAFF_CONDUCT))
    if access.has(Role.ONLINE_SAFETY_LEAD):
        parts.append(Q(category__in=ONLINE_SAFETY_LEAD_CATEGORIES))
    if access.is_chair:
        parts.append(Q(category=Category.STAFF_CONDUCT) & Q(about_head=True))
    return parts


def visibility(access: SchoolAccess) -> Q:
    """Which concerns of the school this member may read in full.

    DSL and head: all. Deputies: all but allegations about staff. Online safety lead: the
    categories routed to them (filtering breaches, misuse of systems, misinformation); scams and
    gambling are the DSL's. The chair of governors: allegations about the head. Staff, office,
    governors and parents: none (a reporter sees the status of their own concerns through
    `concerns_reported_by`, not this).
    """
    q = NOTHING
    for part in _visible_parts(access):
        q = part if q is NOTHING else q | part
    return q


def can_work_concerns(access: SchoolAccess) -> bool:
    """Whether the member can open any concern at all: the rule for the dashboard's doors and
    for needing a second factor (registered in incidents.apps), so the two cannot disagree."""
    return bool(_visible_parts(access))


def may_open(
    access: SchoolAccess, *, category: str, staff_ids: Collection[int], about_head: bool
) -> bool:
    """Whether concerns_for(access) would hold a concern of this category naming these staff,
    without asking the database: for one being logged, whose alerts say whether each person
    alerted may open it. The same parts as _visible_parts, in Python; test_visibility holds the
    two together for every role and category."""
    if access.user.pk in staff_ids:
        return False
    if access.has(Role.DSL, Role.HEAD):
        return True
    return (
        (access.has(Role.DEPUTY_DSL) and category != Category.STAFF_CONDUCT)
        or (access.has(Role.ONLINE_SAFETY_LEAD) and category in ONLINE_SAFETY_LEAD_CATEGORIES)
        or (access.is_chair and category == Category.STAFF_CONDUCT and about_head)
    )


def concerns_for(access: SchoolAccess) -> QuerySet[Concern]:
    """Concerns the member may read, never one they are themselves involved in.

    Built once for a member's access (a page asks several times: the dashboard five) and handed
    out as a fresh copy each time, so no caller ever shares another's results: the queryset is
    the rule, not its answer, and runs when each copy is read."""
    rule = access.__dict__.get("_concerns_for")
    if rule is None:
        rule = _concerns_for(access)
        # SchoolAccess is frozen; this memo of an unevaluated queryset is not one of its fields.
        object.__setattr__(access, "_concerns_for", rule)
    return rule.all()


def _concerns_for(access: SchoolAccess) -> QuerySet[Concern]:
    qs = Concern.objects.filter(school=access.school)
    if access.is_chair:
        qs = qs.annotate(about_head=_about_head())
    parts = _visible_parts(access)
    if parts != [Q()]:
        qs = qs.filter(visibility(access))
    # NOT EXISTS written out: the SQL .exclude(staff_links__user=...) makes, without the cost of
    # Django working it out from a multi-valued relation on every call (half a millisecond, and
    # every page of concerns calls this several times).
    return qs.filter(
        ~Exists(ConcernStaff.objects.filter(concern=OuterRef("pk"), user_id=access.user.pk))
    )


def concern_codes_hidden_from(access: SchoolAccess) -> list[str]:
    """The codes of the school's concerns this member may not open, as the audit trail spells
    them: every other page that could mention a concern (the audit log first) hides these.

    Defined as "the school's concerns minus concerns_for", so it cannot drift from the rule that
    decides who opens a concern. Only the head and the DSL read the audit log, and for them this
    is the handful of concerns about themselves.
    """
    school_concerns = Concern.objects.filter(school=access.school)
    if _visible_parts(access) == [Q()]:
        # Someone who may read every concern (the DSL, the head) is kept only from those naming
        # them: concerns_for's own exclusion, looked up by the staff link's index rather than
        # by subtracting every concern of the school, which grew with its history.
        hidden = school_concerns.filter(staff_links__user=access.user)
    else:
        hidden = school_concerns.exclude(pk__in=concerns_for(access).values("pk"))
    return [str(code) for code in hidden.values_list("code", flat=True).distinct()]


def audit_events_hidden_from(access: SchoolAccess) -> Q | None:
    """Audit events about a concern the member may not open: who logged it, its category, who
    read it and when would tell an accused head or DSL that the allegation exists."""
    hidden = concern_codes_hidden_from(access)
    if not hidden:
        return None
    return Q(object_type=Concern._meta.label_lower, object_code__in=hidden)


def concerns_reported_by(access: SchoolAccess) -> QuerySet[Concern]:
    return Concern.objects.filter(school=access.school, reported_by=access.user).order_by(
        "-created_at"
    )


def concern_detail(access: SchoolAccess, code: UUID) -> Concern | None:
    """One concern with everything its page shows (its pupils, the staff named, its steps,
    referrals, evidence and timeline, oldest entry first), in a number of queries that does not
    grow with its history."""
    try:
        concern = (
            concerns_for(access)
            .prefetch_related(
                Prefetch(
                    "pupil_links",
                    queryset=ConcernPupil.objects.select_related("pupil", "pupil__school_class"),
                ),
                "staff_links",
                "steps",
                "referrals",
                "attachments",
                Prefetch("entries", queryset=TimelineEntry.objects.order_by("at", "id")),
            )
            # The code is unique: no ORDER BY for a single row.
            .get(code=code)
        )
    except Concern.DoesNotExist:
        return None
    # concerns_for keeps to the member's school, so the concern's school is that one (already
    # loaded with the membership), not another join.
    concern.school = access.school
    if concern.category == Category.NUDES:
        # Only a sharing-nudes concern has the five questions' answers (procedure.nudes_review).
        prefetch_related_objects([concern], "nudes_answers")
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
    members = User.objects.in_bulk(ids - {None})
    for row, fields in named:
        for field in fields:
            member_id = getattr(row, f"{field}_id")
            if member_id is not None:
                setattr(row, field, members[member_id])


@dataclass(frozen=True)
class ConcernFilters:
    category: str = ""
    status: str = ""
    year_group: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    open_only: bool = False


# What a row of the dashboard's lists shows: loading the narrative and the outcome of every row
# (long text) for a list that shows neither was most of the rows' cost.
ROW_FIELDS = ("id", "code", "school_id", "category", "status", "immediate_risk", "created_at")


def concern_list(access: SchoolAccess, filters: ConcernFilters) -> QuerySet[Concern]:
    """The filtered concerns, newest first after those with a child at immediate risk.

    No grouping here: counting a page's steps and pupils by grouping every concern of the school
    costs with the school's history. The rows shown get their counts from `with_steps_open`.
    """
    qs = concerns_for(access)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if filters.year_group:
        qs = qs.filter(
            Exists(
                ConcernPupil.objects.filter(
                    concern=OuterRef("pk"), pupil__year_group=filters.year_group
                )
            )
        )
    if filters.date_from:
        qs = qs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(created_at__date__lte=filters.date_to)
    return qs.only(*ROW_FIELDS).order_by("-immediate_risk", "-created_at", "-id")


def _open_required_steps() -> QuerySet[ProcedureStep]:
    return ProcedureStep.objects.filter(concern=OuterRef("pk"), state=StepState.OPEN, required=True)


def _count_of(qs: QuerySet) -> Subquery:
    # A correlated COUNT per row shown, not a GROUP BY over every concern of the school. COUNT
    # as a plain function keeps Django from grouping the subquery, so a row with none is 0.
    return Subquery(
        qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def with_steps_open(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """Each row with `steps_open` (required steps still to do): a correlated count over that
    row's steps alone (the step table's concern index), which PostgreSQL works out for the rows
    a LIMIT keeps, not for every concern of the school, and in the same query."""
    return concerns.annotate(steps_open=_count_of(_open_required_steps()))


def pupils_named(concerns: Sequence[Concern]) -> dict[int, list[str]]:
    """For a page of a list: each concern's pupils as "First Last (Year 5)", in the order they
    were named, in one query of three columns (no pupil rows built for a line of text)."""
    named: dict[int, list[str]] = {c.pk: [] for c in concerns}
    if not named:
        return named
    links = (
        ConcernPupil.objects.filter(concern_id__in=list(named))
        .order_by("concern_id", "id")
        .values_list("concern_id", "pupil__first_name", "pupil__last_name", "pupil__year_group")
    )
    for concern_id, first, last, year in links:
        named[concern_id].append(f"{first} {last} ({year})")
    return named


def pupils_matching(*, school: School, query: str, limit: int = 10) -> list[Pupil]:
    """Pupils on roll whose names start with what was typed, for the logging form."""
    qs = Pupil.objects.filter(school=school, left_date__isnull=True).select_related("school_class")
    words = query.split()
    if not words:
        return []
    for word in words:
        qs = qs.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    return list(qs.order_by("last_name", "first_name")[:limit])


# A chronology page holds this many entries: a child's history of years is read a page at a
# time, newest page first, so the page's size and time do not grow with it.
CHRONOLOGY_PAGE = 100


@dataclass(frozen=True)
class ChronologyPage:
    entries: list[TimelineEntry]  # oldest first
    earlier: UUID | None  # the code to ask for the entries before these (?before=), if any
    later: UUID | None  # the code to ask for the entries after these (?after=), if any


def chronology(
    access: SchoolAccess,
    pupil: Pupil,
    *,
    before: UUID | None = None,
    after: UUID | None = None,
    size: int = CHRONOLOGY_PAGE,
) -> ChronologyPage:
    """One page of the entries about one pupil across the concerns the member may see, in time
    order: the newest `size`, or those just before or after the entry named (keyset paging on
    (at, id), so no page counts or skips the rows before it). An entry not in this member's
    chronology of this pupil is treated as no entry named."""
    visible = concerns_for(access).filter(pupil_links__pupil=pupil).values("pk")
    entries = TimelineEntry.objects.filter(concern__in=visible)
    anchor = None
    named = before or after
    if named is not None:
        anchor = entries.filter(code=named).values("at", "id").first()
    rows = entries.select_related("author", "concern", "corrects")
    if anchor and after:
        later = Q(at__gt=anchor["at"]) | Q(at=anchor["at"], id__gt=anchor["id"])
        got = list(rows.filter(later).order_by("at", "id")[: size + 1])
        shown = got[:size]
        more_later = len(got) > size
        more_earlier = True
    else:
        if anchor:
            rows = rows.filter(Q(at__lt=anchor["at"]) | Q(at=anchor["at"], id__lt=anchor["id"]))
        got = list(rows.order_by("-at", "-id")[: size + 1])
        shown = got[:size][::-1]
        more_earlier = len(got) > size
        more_later = anchor is not None
    return ChronologyPage(
        entries=shown,
        earlier=shown[0].code if shown and more_earlier else None,
        later=shown[-1].code if shown and more_later else None,
    )


# The DSL dashboard. Each of these is one query whatever the number of concerns.


def _unacknowledged(access: SchoolAccess) -> QuerySet[Concern]:
    return concerns_for(access).filter(status=Status.REPORTED)


def unacknowledged(access: SchoolAccess, limit: int) -> list[Concern]:
    """The first `limit` concerns nobody has acknowledged yet: a child at immediate risk first,
    then child protection before the rest, then the oldest."""
    return list(
        _unacknowledged(access)
        .select_related("reported_by")
        .only(*ROW_FIELDS, "reported_by__full_name", "reported_by__email")
        .annotate(
            child_protection=Case(
                When(category__in=CHILD_PROTECTION, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-immediate_risk", "-child_protection", "created_at", "id")[:limit]
    )


@dataclass(frozen=True)
class UnacknowledgedCounts:
    waiting: int
    overdue: int
    immediate_risk: int


@dataclass(frozen=True)
class OpenCounts:
    by_category_status: dict[tuple[str, str], int]
    unacknowledged: UnacknowledgedCounts
    # Open concerns with a required step still to do (counted when asked for).
    with_steps_outstanding: int = 0


def open_counts(access: SchoolAccess, now: datetime.datetime, *, steps: bool = False) -> OpenCounts:
    """Open concerns counted by (category, status), and of the unacknowledged ones how many are
    past their escalation time and how many have a child at immediate risk: one aggregate over
    the school's open concerns, so the dashboard says so even of those its short lists leave
    out. With `steps`, also how many have a required step still to do (an EXISTS per open
    concern, on the step table's concern index)."""
    school = access.school
    # The clocks the escalation task runs on: "overdue" here means "escalated".
    overdue = Q(
        immediate_risk=True,
        created_at__lte=now - datetime.timedelta(minutes=school.immediate_risk_escalation_minutes),
    ) | Q(
        immediate_risk=False,
        created_at__lte=now - datetime.timedelta(minutes=school.escalation_minutes),
    )
    rows = (
        concerns_for(access)
        .filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("category", "status")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=overdue),
            immediate_risk=Count("id", filter=Q(immediate_risk=True)),
        )
    )
    if steps:
        rows = rows.annotate(with_steps=Count("id", filter=Q(Exists(_open_required_steps()))))
    by_category_status: dict[tuple[str, str], int] = {}
    waiting = late = at_risk = with_steps = 0
    for r in rows:
        by_category_status[r["category"], r["status"]] = r["n"]
        with_steps += r.get("with_steps", 0)
        if r["status"] == Status.REPORTED:
            waiting += r["n"]
            late += r["overdue"]
            at_risk += r["immediate_risk"]
    return OpenCounts(by_category_status, UnacknowledgedCounts(waiting, late, at_risk), with_steps)


def steps_outstanding(access: SchoolAccess, limit: int = 10) -> list[Concern]:
    """Open concerns with required procedure steps still to do (oldest first, at most `limit`,
    each with `steps_open`), in one query; `open_counts` says how many there are in all."""
    qs = (
        concerns_for(access).filter(status__in=OPEN_STATUSES).filter(Exists(_open_required_steps()))
    )
    return list(with_steps_open(qs.only(*ROW_FIELDS).order_by("created_at", "id"))[:limit])


def awaiting_agency(access: SchoolAccess, limit: int) -> list[Concern]:
    """The first `limit` concerns waiting on an outside agency, longest waiting first, with the
    referrals made (one more query). The dashboard's open counts say how many there are."""
    return list(
        concerns_for(access)
        .filter(status=Status.AWAITING_AGENCY)
        .only(*ROW_FIELDS, "updated_at")
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=Referral.objects.filter(referred=True).order_by("referred_on", "id"),
            )
        )
        .order_by("updated_at", "id")[:limit]
    )


def year_groups(school: School) -> list[str]:
    """The year groups of the school's pupils on roll, in school order (Year 2 before Year 10)."""
    values = (
        Pupil.objects.filter(school=school, left_date__isnull=True)
        .order_by()
        .values_list("year_group", flat=True)
        .distinct()
    )

    def key(name: str) -> tuple:
        digits = "".join(ch for ch in name if ch.isdigit())
        return (0, int(digits), name) if digits else (1, 0, name)

    return sorted((v for v in values if v), key=key)


def attachment_of(concern: Concern, code: UUID) -> Attachment | None:
    return Attachment.objects.filter(concern=concern, code=code).first()


def step_of(concern: Concern, key: str) -> ProcedureStep | None:
    return ProcedureStep.objects.filter(concern=concern, key=key).first()


def entry_of(concern: Concern, code: UUID) -> TimelineEntry | None:
    return TimelineEntry.objects.filter(concern=concern, code=code).first()


def pupil_concern_links(
    access: SchoolAccess, pupil: Pupil, limit: int = 50
) -> tuple[list[ConcernPupil], bool]:
    """The most recent `limit` concerns about one pupil the member may see (oldest of them
    first), each with the pupil's role in it, and whether there are older ones."""
    got = list(
        ConcernPupil.objects.filter(pupil=pupil, concern__in=concerns_for(access).values("pk"))
        .select_related("concern__school")
        .order_by("-concern__created_at", "-concern__id")[: limit + 1]
    )
    return got[:limit][::-1], len(got) > limit


def unacknowledged_count(access: SchoolAccess) -> int:
    return _unacknowledged(access).count()


# The reporter's side: a member of staff logging a concern and following what they logged.


def pupils_on_roll_by_code(
    *, school: School, codes: Iterable[UUID], with_class: bool = True
) -> dict[UUID, Pupil]:
    """The pupils of this school on roll among `codes`; a code from anywhere else is missing.
    With their classes, to show them; a form only checking the codes needs none."""
    pupils = Pupil.objects.filter(school=school, left_date__isnull=True, code__in=list(codes))
    if with_class:
        pupils = pupils.select_related("school_class")
    return {p.code: p for p in pupils}


def reported_concern(access: SchoolAccess, code: UUID) -> Concern | None:
    """One concern the member logged, for its status: not the pupils or staff named, nor the
    DSL's notes, steps or referrals, which are not loaded here at all."""
    return concerns_reported_by(access).select_related("school").filter(code=code).first()
