"""People for the scale data set (manage.py seed_scale): one school's users, roles, classes,
pupils and guardians, in bulk. Every name and address is invented (example domains only)."""

import datetime
import math
import random

from django.contrib.auth.hashers import make_password

from esafety.people.fictional import FIRST_NAMES, LAST_NAMES, RELATIONSHIPS
from esafety.people.models import Guardian, Membership, Pupil, Role, School, SchoolClass, User
from esafety.scale import Inserter, ScaleParent, ScalePupil, ScaleSchool, ScaleSizes

# Every scale user's password. Hashed once and the hash reused: hashing is deliberately slow,
# and 50,000 users would take most of an hour.
SCALE_PASSWORD = "scale-esafety-2026"  # noqa: S105 (a fictional data set; refused in production)
# Every privileged scale user's authenticator secret, so a benchmark can compute a code.
SCALE_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
SCALE_DOMAIN = "scale.esafety.test"
# Scale schools have URNs 800001, 800002, ...: out of the range of real English URNs.
URN_BASE = 800000

NAMED_ROLES = (
    Role.HEAD,
    Role.DSL,
    Role.DEPUTY_DSL,
    Role.ONLINE_SAFETY_LEAD,
    Role.OFFICE,
    Role.STAFF,
    Role.GOVERNOR,
)
# The roles that open child-protection records, and the chair: they sign in with a second factor.
PRIVILEGED = (Role.HEAD, Role.DSL, Role.DEPUTY_DSL, Role.ONLINE_SAFETY_LEAD, Role.GOVERNOR)


def school_email(index: int, local: str) -> str:
    return f"{local}@s{index:03d}.{SCALE_DOMAIN}"


def next_index() -> int:
    urns = School.objects.filter(urn__startswith="8", urn__regex=r"^8\d{5}$").values_list(
        "urn", flat=True
    )
    return max((int(u) - URN_BASE for u in urns), default=0) + 1


def _years(index: int) -> list[int]:
    # One school in three is a secondary (Years 7 to 11), the others primaries (Reception to 6).
    return list(range(7, 12)) if index % 3 == 0 else list(range(0, 7))


def _year_group(year: int) -> str:
    return "Reception" if year == 0 else f"Year {year}"


def seed_people(
    *,
    index: int,
    sizes: ScaleSizes,
    factor: float,
    rng: random.Random,
    now: datetime.datetime,
    start: datetime.datetime,
    inserter: Inserter,
    audit,
    password_hash: str,
) -> ScaleSchool:
    created = start
    school = School(name=f"Scale School {index:03d}", urn=str(URN_BASE + index))
    school.created_at = school.updated_at = created
    inserter.insert(School, [school])
    audit.add(
        school_id=school.pk,
        at=created,
        actor=None,
        action="school.created",
        object_type="people.school",
        object_code=school.code,
        summary=school.name,
    )

    teachers = max(1, math.ceil(sizes.pupils / 15))
    people: dict[str, User] = {}
    users: list[User] = []
    memberships: list[Membership] = []

    def user(local: str, name: str) -> User:
        u = User(email=school_email(index, local), full_name=name, password=password_hash)
        u.date_joined = created
        users.append(u)
        return u

    def member(u: User, role: str, when: datetime.datetime, chair: bool = False) -> None:
        m = Membership(user=u, school=school, role=role, is_chair=chair)
        m.created_at = m.updated_at = when
        memberships.append(m)

    def name() -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    for role in NAMED_ROLES:
        people[role] = user(role.value.replace("_", "-"), name())
    staff = [people[r] for r in NAMED_ROLES if r != Role.GOVERNOR]
    staff += [user(f"teacher{n:03d}", name()) for n in range(1, teachers + 1)]
    governors = [people[Role.GOVERNOR]] + [user(f"governor{n}", name()) for n in (2, 3)]
    # Pupils and guardians: every pupil has one guardian, half of them a second; four in five
    # guardians have accepted their invitation and have an account.
    years = _years(index)
    per_year = [
        sizes.pupils // len(years) + (i < sizes.pupils % len(years)) for i in range(len(years))
    ]
    guardians_for = [1 + (rng.random() < 0.5) for _ in range(sizes.pupils)]
    inserter.insert(User, users)
    staff_ids = {u.pk for u in staff}
    for u in users:
        if u.pk in staff_ids:
            member(u, Role.STAFF if u not in people.values() else _role_of(people, u), created)
    for g in governors:
        member(g, Role.GOVERNOR, created, chair=g is people[Role.GOVERNOR])

    classes: list[SchoolClass] = []
    class_of_year: dict[int, list[SchoolClass]] = {}
    teacher_pool = staff[len(NAMED_ROLES) - 1 :] or staff
    for year, count in zip(years, per_year, strict=True):
        for n in range(max(1, math.ceil(count / 30))):
            c = SchoolClass(
                school=school,
                name=f"{year if year else 'R'}{'ABCDEFGHJK'[n % 10]}{n // 10 or ''}",
                year_group=_year_group(year),
                teacher=teacher_pool[len(classes) % len(teacher_pool)],
            )
            c.created_at = c.updated_at = created
            classes.append(c)
            class_of_year.setdefault(year, []).append(c)
    inserter.insert(SchoolClass, classes)

    pupils: list[Pupil] = []
    light: list[ScalePupil] = []
    today = now.date()
    for year, count in zip(years, per_year, strict=True):
        for n in range(count):
            c = class_of_year[year][n % len(class_of_year[year])]
            on_roll = datetime.date(today.year - year + (today.month >= 9) - 1, 9, 1)
            p = Pupil(
                school=school,
                mis_id=f"S{index:03d}P{len(pupils) + 1:05d}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=datetime.date(
                    on_roll.year - 4, rng.randint(9, 12), rng.randint(1, 28)
                )
                if rng.random() < 0.33
                else datetime.date(on_roll.year - 3, rng.randint(1, 8), rng.randint(1, 28)),
                year_group=_year_group(year),
                school_class=c,
                sen=rng.random() < 0.12,
                looked_after=rng.random() < 0.02,
                cp_plan=rng.random() < 0.02,
                on_roll_date=on_roll,
            )
            p.created_at = p.updated_at = created
            pupils.append(p)
    inserter.insert(Pupil, pupils)
    for p in pupils:
        year = 0 if p.year_group == "Reception" else int(p.year_group.split()[-1])
        light.append(ScalePupil(id=p.pk, code=str(p.code), year=year, class_id=p.school_class_id))

    parent_users: list[User] = []
    guardians: list[Guardian] = []
    by_user: list[tuple[User, int]] = []
    for p, count in zip(pupils, guardians_for, strict=True):
        for g in range(count):
            email = school_email(index, f"{p.mis_id.lower()}-{'ab'[g]}")
            guardian = Guardian(
                pupil=p,
                email=email,
                full_name=f"{rng.choice(FIRST_NAMES)} {p.last_name}",
                relationship=rng.choice(RELATIONSHIPS),
            )
            guardian.created_at = guardian.updated_at = created
            if rng.random() < 0.8:
                u = User(email=email, full_name=guardian.full_name, password=password_hash)
                u.date_joined = created
                parent_users.append(u)
                guardian.user = u
                by_user.append((u, p.pk))
            guardians.append(guardian)
    inserter.insert(User, parent_users)
    for g in guardians:
        if g.user is not None:
            g.user_id = g.user.pk
    inserter.insert(Guardian, guardians)
    joined = []
    for u in parent_users:
        when = created + datetime.timedelta(days=rng.randint(1, 60), seconds=rng.randint(0, 86399))
        member(u, Role.PARENT, when)
        joined.append(when)
    inserter.insert(Membership, memberships)

    # The trail a roster import and the office's invitations leave behind.
    def event(at, actor, action, obj, summary="") -> None:
        audit.add(
            school_id=school.pk,
            at=at,
            actor=actor,
            action=action,
            object_type=obj._meta.label_lower,
            object_code=obj.code,
            summary=summary,
        )

    office = people[Role.OFFICE]
    step = datetime.timedelta(milliseconds=10)
    at = created
    for m in memberships:
        if m.role == Role.PARENT:
            continue
        at += step
        event(at, None, "membership.added", m, f"{m.user.email} as {m.get_role_display()}")
    for c in classes:
        at += step
        event(at, office, "class.created", c, c.name)
    for p in pupils:
        at += step
        event(at, office, "pupil.created", p, f"MIS {p.mis_id}")
    for g in guardians:
        at += step
        event(at, office, "guardian.added", g, f"for pupil MIS {g.pupil.mis_id}")
    for (u, _pupil_id), when in zip(by_user, joined, strict=True):
        audit.add(
            school_id=school.pk,
            at=when,
            actor=u,
            action="invitation.accepted",
            object_type="people.invitation",
            object_code=u.code,
            summary="linked to 1 pupil(s)",
        )
    for u in staff + governors:
        audit.add(
            school_id=None,
            at=created,
            actor=None,
            action="user.created",
            object_type="people.user",
            object_code=u.code,
        )

    return ScaleSchool(
        school=school,
        index=index,
        sizes=sizes,
        people={str(k): v for k, v in people.items()},
        staff=staff,
        governors=governors,
        pupils=light,
        parents=[ScaleParent(user=u, pupil_ids=[pid]) for u, pid in by_user],
        rng=rng,
        factor=factor,
        now=now,
        start=start,
        inserter=inserter,
        audit=audit,
    )


def _role_of(people: dict, u: User) -> str:
    return next(role for role, v in people.items() if v is u)


def enrol_totp(users: list[User]) -> None:
    """Privileged users sign in with a second factor: give each the same known authenticator."""
    from allauth.mfa.totp.internal.auth import TOTP

    for u in users:
        TOTP.activate(u, SCALE_TOTP_SECRET)


def password_hash() -> str:
    return make_password(SCALE_PASSWORD)
