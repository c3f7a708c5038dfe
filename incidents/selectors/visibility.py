"""Who may read which concern: the one rule (concerns_for), its parts, and what the
audit trail hides from whoever may not."""

from collections.abc import Collection

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from esafety.audit.selectors import HiddenRecords
from esafety.baked import Values, baked, stand_in
from esafety.people.access import SchoolAccess
from esafety.people.models import Membership, Role, School, User
from incidents.categories import ONLINE_SAFETY_LEAD_CATEGORIES, Category
from incidents.models import (
    Concern,
    ConcernStaff,
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


# What of a member's access decides which concerns they may open, and so the text of every
# query built on concerns_for: their opening roles and the chair's flag (the school and the
# member are values). A baked query (esafety/baked) is keyed on it.
VisibilityShape = tuple[frozenset[str], bool]


def visibility_shape(access: SchoolAccess) -> VisibilityShape:
    return (access.roles & OPENING_ROLES, access.is_chair)


def baked_access(shape: VisibilityShape, values: Values) -> SchoolAccess:
    """The access a baked query builds concerns_for from: the shape's roles, and stand-ins for
    the school and the member (`values.school`, `values.user`: their ids)."""
    roles, is_chair = shape
    return SchoolAccess(
        school=stand_in(School, values.school),
        user=stand_in(User, values.user),
        roles=roles,
        is_chair=is_chair,
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
    is the handful of concerns about themselves. Asked once for a member's access (the audit
    log asks for its events, and the devices app for its evidence, within the one request).
    """
    known = access.__dict__.get("_codes_hidden")
    if known is None:
        known = _codes_hidden(access)
        object.__setattr__(access, "_codes_hidden", known)
    return list(known)


def _codes_hidden(access: SchoolAccess) -> list[str]:
    rows = _hidden_rows.rows(visibility_shape(access), school=access.school.pk, user=access.user.pk)
    return [str(r["code"]) for r in rows]


@baked
def _hidden_rows(shape: VisibilityShape, v: Values) -> QuerySet:
    access = baked_access(shape, v)
    school_concerns = Concern.objects.filter(school_id=v.school)
    if _visible_parts(access) == [Q()]:
        # Someone who may read every concern (the DSL, the head) is kept only from those naming
        # them: concerns_for's own exclusion, looked up by the staff link's index rather than
        # by subtracting every concern of the school, which grew with its history.
        hidden = school_concerns.filter(staff_links__user_id=v.user)
    else:
        hidden = school_concerns.exclude(pk__in=concerns_for(access).values("pk"))
    return hidden.order_by().values("code").distinct()


def audit_events_hidden_from(access: SchoolAccess) -> HiddenRecords | None:
    """Audit events about a concern the member may not open: who logged it, its category, who
    read it and when would tell an accused head or DSL that the allegation exists."""
    hidden = concern_codes_hidden_from(access)
    if not hidden:
        return None
    return HiddenRecords(Concern._meta.label_lower, tuple(hidden))
