"""The benchmark's schools, built fast: the people and the apps' demo records through the services
(so every page has the records it shows), then the school's history in bulk: pupils, guardians,
parents' accounts, concerns with their steps, timelines, pupils and referrals, acceptances, and
audit events with a valid hash chain (verify_audit is timed over them).

A stand-in until `manage.py seed_scale` (issue 9) lands; sizes follow the issue: 1× is about the
demo school (200 pupils, 100 concerns, 10,000 audit events), 10× is ten times that.
"""

import contextlib
import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from esafety.audit.models import GENESIS_HASH, AuditEvent, event_hash
from esafety.contributions import DemoSchool, contributions
from esafety.people import services as people_services
from esafety.people.models import Guardian, Membership, Pupil, Role, School, SchoolClass, User
from incidents.categories import CATEGORIES, KEPT_BY, Category
from incidents.models import (
    Agency,
    Concern,
    ConcernPupil,
    EntryKind,
    ProcedureStep,
    PupilRole,
    Referral,
    Status,
    StepState,
    TimelineEntry,
)
from policies.models import Acceptance, AcceptanceKind, Method, PolicyVersion, VersionStatus

BATCH = 2000
# Bulk-made accounts cannot sign in by password (as set_unusable_password leaves them).
NO_PASSWORD = make_password(None)
PRIVILEGED_STAFF = (
    (Role.HEAD, "head", "Helen Marchbank"),
    (Role.DSL, "dsl", "Daniel Stroud"),
    (Role.DEPUTY_DSL, "deputy", "Priya Ellery"),
    (Role.ONLINE_SAFETY_LEAD, "osl", "Owen Tallis"),
    (Role.OFFICE, "office", "Fran Oldcastle"),
    (Role.STAFF, "staff", "Sophie Brennard"),
    (Role.GOVERNOR, "governor", "Gordon Ravensworth"),
)
FIRST = ["Ada", "Alfie", "Amara", "Arlo", "Bea", "Caleb", "Cora", "Dara", "Eli", "Elsie", "Ezra"]
LAST = ["Ashdown", "Brambley", "Coldharbour", "Dunmore", "Elmsworth", "Fairweather", "Gorsefield"]
YEARS = ["Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"]
# Categories a bulk concern is given: a concern about a member of staff is left out (it must
# name one, and is hidden from them), the rest in rough proportion to what schools log.
BULK_CATEGORIES = [
    Category.CYBERBULLYING,
    Category.CYBERBULLYING,
    Category.CYBERBULLYING,
    Category.FILTERING,
    Category.FILTERING,
    Category.MISUSE,
    Category.ONLINE_HATE,
    Category.NUDES,
    Category.COMMERCE,
    Category.MISINFORMATION,
    Category.SEXUAL_ABUSE,
    Category.RADICALISATION,
]


@dataclass(frozen=True)
class Size:
    label: str
    pupils: int
    concerns: int
    audit_events: int
    extra_staff: int
    # The share of guardians with an account (each a parent member of the school).
    parent_accounts: float = 0.3


def size_for(factor: int) -> Size:
    return Size(
        label=f"{factor}×",
        pupils=200 * factor,
        concerns=100 * factor,
        audit_events=10_000 * factor,
        extra_staff=30 * factor,
    )


TINY = (
    Size("1×", pupils=12, concerns=20, audit_events=400, extra_staff=2),
    Size("10×", pupils=24, concerns=30, audit_events=600, extra_staff=4),
)


@dataclass
class BenchSchool:
    size: Size
    school: School
    people: dict[str, User]
    pupils: list[Pupil] = field(default_factory=list)
    # The pupil with the longest history (the chronology page), and an open concern the DSL
    # works (the concern page), with a full timeline.
    busy_pupil: Pupil | None = None
    open_concern: Concern | None = None
    # The published version with the most acceptances (the acceptances page).
    busiest_version: PolicyVersion | None = None


@contextlib.contextmanager
def explicit_times(*models) -> Iterator[None]:
    """Let bulk rows carry past times: auto_now_add would stamp every one with now."""
    fields = [
        f
        for m in models
        for f in m._meta.concrete_fields
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    saved = [(f, f.auto_now_add, f.auto_now) for f in fields]
    for f in fields:
        f.auto_now_add = f.auto_now = False
    try:
        yield
    finally:
        for f, add, now in saved:
            f.auto_now_add, f.auto_now = add, now


def build_school(size: Size, number: int, seed: int = 2026) -> BenchSchool:
    rng = random.Random(seed + number)
    domain = f"s{number}.bench.test"
    with transaction.atomic():
        school = people_services.school_create(
            actor=None, name=f"Bench school {size.label}", urn=f"9{number:05d}"
        )
        people = _people(school, domain)
        pupils = _pupils(school, size, domain, rng)
        people[Role.PARENT] = _parents(school, size, domain, rng)
        # Each app's demo records, through its own services, so every page has what it shows.
        for contribution in contributions():
            if contribution.demo:
                contribution.demo(DemoSchool(school=school, people=people, pupils=pupils))
        bench = BenchSchool(size=size, school=school, people=people, pupils=pupils)
        _concerns(bench, rng)
        _acceptances(bench, rng)
        _audit_events(school, size.audit_events, rng)
    bench.open_concern = (
        Concern.objects.filter(school=school, status=Status.IN_PROGRESS)
        .order_by("-created_at")
        .first()
    )
    bench.busiest_version = _busiest_version(school)
    return bench


def _busiest_version(school: School) -> PolicyVersion | None:
    from django.db.models import Count

    return (
        PolicyVersion.objects.filter(policy__school=school, status=VersionStatus.PUBLISHED)
        .annotate(n=Count("acceptances"))
        .order_by("-n", "id")
        .first()
    )


def _people(school: School, domain: str) -> dict[str, User]:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from esafety.people.access import is_privileged

    people: dict[str, User] = {}
    for role, local, name in PRIVILEGED_STAFF:
        user = people_services.user_create(actor=None, email=f"{local}@{domain}", full_name=name)
        people_services.membership_add(
            actor=None, user=user, school=school, role=role, is_chair=role == Role.GOVERNOR
        )
        if is_privileged(user):
            TOTP.activate(user, generate_totp_secret())
        people[role] = user
    return people


def _pupils(school: School, size: Size, domain: str, rng: random.Random) -> list[Pupil]:
    classes_per_year = max(1, size.pupils // 180)
    classes = []
    for year in YEARS:
        for stream in range(classes_per_year):
            classes.append(
                people_services.school_class_get_or_create(
                    actor=None,
                    school=school,
                    name=f"{year[-1]}{'ABCDEFGHJKLMNPQRSTUVWXYZ'[stream]}",
                    year_group=year,
                )
            )
    today = datetime.date.today()
    pupils = []
    for n in range(size.pupils):
        school_class: SchoolClass = classes[n % len(classes)]
        year = int(school_class.year_group.split()[-1])
        pupils.append(
            Pupil(
                school=school,
                mis_id=f"B{n:06d}",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                date_of_birth=datetime.date(today.year - 5 - year, 1 + n % 12, 1 + n % 28),
                year_group=school_class.year_group,
                school_class=school_class,
                sen=rng.random() < 0.12,
                looked_after=rng.random() < 0.02,
                cp_plan=rng.random() < 0.02,
                on_roll_date=datetime.date(today.year - year, 9, 1),
            )
        )
    Pupil.objects.bulk_create(pupils, batch_size=BATCH)
    pupils = list(Pupil.objects.filter(school=school).order_by("mis_id"))
    guardians = []
    for n, pupil in enumerate(pupils):
        # The first two pupils are siblings whose parent has the benchmark's parent account.
        email = f"parent@{domain}" if n < 2 else f"family{n}@{domain}"
        guardians.append(Guardian(pupil=pupil, email=email, full_name=f"Carer {n}"))
        if n % 2:
            guardians.append(Guardian(pupil=pupil, email=f"family{n}b@{domain}"))
    Guardian.objects.bulk_create(guardians, batch_size=BATCH)
    return pupils


def _parents(school: School, size: Size, domain: str, rng: random.Random) -> User:
    # The benchmark's parent joins as every parent does, through an invitation (it links them to
    # their two children); the other parents' accounts are made in bulk.
    invitation, _token = people_services.invitation_create(
        actor=None, school=school, email=f"parent@{domain}", role=Role.PARENT
    )
    parent = people_services.invitation_accept(
        invitation=invitation, user=None, full_name="Morgan Ashdown"
    )
    emails = sorted(
        set(
            Guardian.objects.filter(pupil__school=school, user__isnull=True).values_list(
                "email", flat=True
            )
        )
    )
    emails = [e for e in emails if rng.random() < size.parent_accounts]
    User.objects.bulk_create(
        (User(email=e, full_name="A parent", password=NO_PASSWORD) for e in emails),
        batch_size=BATCH,
    )
    users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    Membership.objects.bulk_create(
        (Membership(user_id=pk, school=school, role=Role.PARENT) for pk in users.values()),
        batch_size=BATCH,
    )
    linked = list(Guardian.objects.filter(pupil__school=school, email__in=emails))
    for g in linked:
        g.user_id = users[g.email]
    Guardian.objects.bulk_update(linked, ["user"], batch_size=BATCH)
    # The rest of the staff room: ordinary staff, some of whom log concerns.
    staff = [
        User(email=f"teacher{n}@{domain}", full_name=f"Teacher {n}", password=NO_PASSWORD)
        for n in range(size.extra_staff)
    ]
    User.objects.bulk_create(staff, batch_size=BATCH)
    Membership.objects.bulk_create(
        (
            Membership(user=u, school=school, role=Role.STAFF)
            for u in User.objects.filter(email__in=[s.email for s in staff])
        ),
        batch_size=BATCH,
    )
    return parent


def _status_for(position: float) -> str:
    # position: 0 for the newest concern, 1 for the oldest. The newest are still being worked.
    if position < 0.02:
        return Status.REPORTED
    if position < 0.05:
        return Status.ACKNOWLEDGED
    if position < 0.13:
        return Status.IN_PROGRESS
    if position < 0.17:
        return Status.AWAITING_AGENCY
    return Status.CLOSED


def _concerns(bench: BenchSchool, rng: random.Random) -> None:
    school, people, pupils = bench.school, bench.people, bench.pupils
    if not pupils:
        return
    bench.busy_pupil = pupils[min(5, len(pupils) - 1)]
    existing = Concern.objects.filter(school=school).count()
    count = max(0, bench.size.concerns - existing)
    if not count:
        return
    start = (
        Concern.objects.filter(school=school).order_by("-number").values_list("number", flat=True)
    ).first() or 0
    staff_ids = list(
        Membership.objects.filter(school=school, role=Role.STAFF).values_list("user_id", flat=True)
    )
    reporter = people[Role.STAFF]
    dsl, deputy = people[Role.DSL], people[Role.DEPUTY_DSL]
    now = timezone.now()
    span = datetime.timedelta(days=3 * 365)
    concerns = []
    for i in range(count):
        # i = 0 is the oldest; the newest are at the end.
        position = 1 - (i + 1) / count
        logged = now - span * position - datetime.timedelta(hours=1)
        category = rng.choice(BULK_CATEGORIES)
        cat = CATEGORIES[category]
        status = _status_for(position)
        acknowledged = status != Status.REPORTED
        closed = status == Status.CLOSED
        concerns.append(
            Concern(
                school=school,
                number=start + i + 1,
                category=category,
                four_c=cat.four_c,
                route=cat.route,
                # A fifth from the benchmark's own member of staff: their list grows with it.
                reported_by_id=reporter.pk
                if i % 5 == 0
                else rng.choice(staff_ids or [reporter.pk]),
                occurred_at=logged - datetime.timedelta(hours=2),
                location="Classroom",
                what_happened="Messages in a class group chat, reported by a pupil.",
                immediate_risk=i % 40 == 0,
                status=status,
                acknowledged_at=logged + datetime.timedelta(minutes=20) if acknowledged else None,
                acknowledged_by=dsl if acknowledged else None,
                closed_at=logged + datetime.timedelta(days=9) if closed else None,
                closed_by=dsl if closed else None,
                outcome="Pupils spoken to; parents informed." if closed else "",
                lessons_learnt="Reminded the class of the AUP." if closed else "",
                parents_informed=True if closed else None,
                created_at=logged,
                updated_at=logged,
            )
        )
    with explicit_times(Concern, TimelineEntry, Referral):
        Concern.objects.bulk_create(concerns, batch_size=BATCH)
        made = list(Concern.objects.filter(school=school, number__gt=start).order_by("number"))
        links, steps, entries, referrals = [], [], [], []
        for i, c in enumerate(made):
            chosen = rng.sample(pupils, min(len(pupils), 1 + i % 3))
            if i % 10 == 0 and bench.busy_pupil not in chosen:
                chosen[0] = bench.busy_pupil
            roles = [PupilRole.AFFECTED, PupilRole.ALLEGED, PupilRole.WITNESS]
            links += [ConcernPupil(concern=c, pupil=p, role=roles[k]) for k, p in enumerate(chosen)]
            acknowledged = c.status != Status.REPORTED
            closed = c.status == Status.CLOSED
            entries.append(
                TimelineEntry(
                    concern=c,
                    kind=EntryKind.LOGGED,
                    author_id=c.reported_by_id,
                    at=c.created_at,
                    text="Concern logged.",
                )
            )
            if acknowledged:
                entries.append(
                    TimelineEntry(
                        concern=c,
                        kind=EntryKind.STATUS,
                        author=dsl,
                        at=c.acknowledged_at,
                        text="Acknowledged.",
                    )
                )
                for k in range(1 + i % 4):
                    entries.append(
                        TimelineEntry(
                            concern=c,
                            kind=EntryKind.NOTE,
                            author=deputy,
                            at=c.acknowledged_at + datetime.timedelta(hours=k + 1),
                            text="Spoke to the pupils separately; screenshots kept.",
                        )
                    )
            if closed:
                entries.append(
                    TimelineEntry(
                        concern=c, kind=EntryKind.CLOSED, author=dsl, at=c.closed_at, text="Closed."
                    )
                )
            cat = CATEGORIES[c.category]
            for k, s in enumerate(cat.steps):
                # Closed concerns have every step done; open ones the first half by hand.
                done = closed or (acknowledged and k < len(cat.steps) // 2)
                done = done or (acknowledged and s.key in KEPT_BY)
                steps.append(
                    ProcedureStep(
                        concern=c,
                        order=k,
                        key=s.key,
                        label=s.label,
                        required=s.required,
                        state=StepState.DONE if done else StepState.OPEN,
                        done_by=dsl if done else None,
                        done_at=(c.acknowledged_at or c.created_at) if done else None,
                    )
                )
            if c.status in (Status.AWAITING_AGENCY, Status.CLOSED) and i % 3 == 0:
                referrals.append(
                    Referral(
                        concern=c,
                        referred=True,
                        agency=Agency.SOCIAL_CARE,
                        referred_on=c.acknowledged_at.date(),
                        recorded_by=dsl,
                        recorded_at=c.acknowledged_at,
                    )
                )
        ConcernPupil.objects.bulk_create(links, batch_size=BATCH)
        TimelineEntry.objects.bulk_create(entries, batch_size=BATCH)
        ProcedureStep.objects.bulk_create(steps, batch_size=BATCH)
        Referral.objects.bulk_create(referrals, batch_size=BATCH)


def _acceptances(bench: BenchSchool, rng: random.Random) -> None:
    """Most staff have accepted the staff AUP; most KS2 pupils signed theirs off in class."""
    school = bench.school
    published = {
        v.policy.title: v
        for v in PolicyVersion.objects.filter(
            policy__school=school, status=VersionStatus.PUBLISHED
        ).select_related("policy")
    }
    taken_users = set(
        Acceptance.objects.filter(school=school, kind=AcceptanceKind.OWN).values_list(
            "version_id", "user_id"
        )
    )
    taken_pupils = set(
        Acceptance.objects.filter(school=school, kind=AcceptanceKind.PUPIL).values_list(
            "version_id", "pupil_id"
        )
    )
    rows = []
    staff_aup = published.get("Staff AUP")
    if staff_aup:
        for m in Membership.objects.filter(school=school, role=Role.STAFF).select_related("user"):
            if rng.random() < 0.8 and (staff_aup.pk, m.user_id) not in taken_users:
                rows.append(
                    Acceptance(
                        version=staff_aup,
                        school=school,
                        kind=AcceptanceKind.OWN,
                        user_id=m.user_id,
                        method=Method.ONLINE,
                        typed_name=m.user.full_name or "Staff member",
                    )
                )
    ks2 = published.get("Pupils' AUP (KS2)")
    if ks2:
        for p in bench.pupils:
            key_stage_2 = p.year_group in ("Year 3", "Year 4", "Year 5", "Year 6")
            if key_stage_2 and rng.random() < 0.7 and (ks2.pk, p.pk) not in taken_pupils:
                rows.append(
                    Acceptance(
                        version=ks2,
                        school=school,
                        kind=AcceptanceKind.PUPIL,
                        pupil=p,
                        method=Method.IN_CLASS,
                        typed_name=p.first_name,
                        recorded_by=bench.people[Role.STAFF],
                    )
                )
    Acceptance.objects.bulk_create(rows, batch_size=BATCH)


def audit_only_school(events: int) -> School:
    """A school with nothing but a long audit trail: verify_audit's work at trust scale."""
    school = people_services.school_create(
        actor=None, name="Bench trust (audit only)", urn="999999"
    )
    _audit_events(school, events, random.Random(9))
    return school


def _audit_events(school: School, target: int, rng: random.Random) -> None:
    """Fill the school's audit trail up to `target` events, chained onto what the services wrote:
    every event's hash is computed in order from the one before, as audit_record does."""
    have = AuditEvent.objects.filter(school=school).count()
    missing = target - have
    if missing <= 0:
        return
    templates = list(
        AuditEvent.objects.filter(school=school).values(
            "actor_id", "actor_label", "action", "object_type", "object_code", "summary"
        )
    )
    concerns = list(Concern.objects.filter(school=school).values_list("code", "number"))
    prev = (
        AuditEvent.objects.filter(school=school).order_by("-id").values_list("hash", flat=True)
    ).first() or GENESIS_HASH
    start = timezone.now() - datetime.timedelta(days=30)
    step = datetime.timedelta(days=30) / missing
    batch: list[AuditEvent] = []
    for n in range(missing):
        if concerns and n % 3 == 0:
            # A third of a school's history is its concerns being worked.
            code, _number = concerns[n % len(concerns)]
            t = dict(
                templates[0],
                action="concern.read",
                object_type="incidents.concern",
                object_code=str(code),
                summary="",
            )
        else:
            t = templates[n % len(templates)]
        at = start + step * n
        event = AuditEvent(at=at, school_id=school.pk, request_id="", ip=None, prev_hash=prev, **t)
        event.hash = event_hash(
            prev_hash=prev,
            at=at.isoformat(),
            actor_id=t["actor_id"],
            actor_label=t["actor_label"],
            school_id=school.pk,
            action=t["action"],
            object_type=t["object_type"],
            object_code=t["object_code"],
            summary=t["summary"],
            request_id="",
            ip=None,
        )
        prev = event.hash
        batch.append(event)
        if len(batch) >= BATCH:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)


def from_seed_scale(sizes: list[Size]) -> dict[str, BenchSchool]:
    """The same schools, made by `manage.py seed_scale` (one school a size, --add): the personas
    are its named users, the pages' records the busiest ones it made."""
    import io

    from django.core.management import call_command
    from django.db.models import Count

    from esafety.people.scale import NAMED_ROLES

    schools = {}
    for size in sizes:
        call_command(
            "seed_scale",
            schools=1,
            pupils=size.pupils,
            concerns=size.concerns,
            audit_events=size.audit_events,
            add=True,
            stdout=io.StringIO(),
        )
        school = School.objects.filter(urn__regex=r"^8\d{5}$").order_by("-id").first()
        assert school is not None
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
        bench = BenchSchool(
            size=size,
            school=school,
            people=people,
            pupils=list(Pupil.objects.filter(school=school, left_date=None).order_by("mis_id")),
        )
        bench.busy_pupil = (
            Pupil.objects.filter(school=school)
            .annotate(n=Count("concern_links"))
            .order_by("-n", "id")
            .first()
        )
        # A concern the DSL works and may open: one that names no member of staff.
        bench.open_concern = (
            Concern.objects.filter(school=school, status=Status.IN_PROGRESS)
            .exclude(category=Category.STAFF_CONDUCT)
            .order_by("-created_at")
            .first()
        )
        bench.busiest_version = _busiest_version(school)
        schools[size.label] = bench
    return schools
