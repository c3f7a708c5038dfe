from django.db import connection
from django.db.models import Count, Q, QuerySet

from esafety.people.models import (
    STAFF_ROLES,
    Invitation,
    Pupil,
    RosterImport,
    School,
    SchoolClass,
    User,
)


def active_staff(*, school: School) -> QuerySet[User]:
    """The school's active staff: anyone it employs (not governors, not parents), whose account
    and membership are both active, in name order. The one definition every app uses."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__school=school,
            memberships__is_active=True,
            memberships__role__in=STAFF_ROLES,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def pupils_for_school(*, school: School, query: str = "", on_roll: bool = True) -> QuerySet[Pupil]:
    qs = Pupil.objects.filter(school=school).select_related("school_class")
    if on_roll:
        qs = qs.filter(left_date__isnull=True)
    for word in query.split():
        qs = qs.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(mis_id__iexact=word)
        )
    return qs.order_by("last_name", "first_name", "id")


def year_groups_on_roll(school: School) -> list[str]:
    """The year groups of the school's pupils on roll, in school order: those without a number
    (Nursery, Reception) first, then Year 1 before Year 10.

    A DISTINCT over the school's pupils reads every pupil on roll (0.8 ms at 2,000 pupils, on
    every list page that offers the filter). Here each year group is one probe of the on-roll
    index (people_pupil_on_roll_year): the next name after the last one found, a handful of
    probes however many pupils there are."""
    table = connection.ops.quote_name(Pupil._meta.db_table)
    sql = f"""
        WITH RECURSIVE found(year_group) AS (
            SELECT MIN(year_group) FROM {table}
            WHERE school_id = %s AND left_date IS NULL AND year_group > ''
            UNION ALL
            SELECT (
                SELECT MIN(p.year_group) FROM {table} p
                WHERE p.school_id = %s AND p.left_date IS NULL AND p.year_group > found.year_group
            )
            FROM found WHERE found.year_group IS NOT NULL
        )
        SELECT year_group FROM found WHERE year_group IS NOT NULL"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [school.pk, school.pk])
        names = [name for (name,) in cursor.fetchall()]
    return sorted(names, key=_year_group_key)


def _year_group_key(name: str) -> tuple[int, str]:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else -1, name)


def children_of(*, user: User, school: School) -> QuerySet[Pupil]:
    """A parent's own children at the school: the only pupils a parent may ever see."""
    return (
        Pupil.objects.filter(school=school, left_date__isnull=True, guardians__user=user)
        .select_related("school_class")
        .distinct()
        .order_by("first_name", "last_name")
    )


def school_classes(*, school: School) -> QuerySet[SchoolClass]:
    """The school's classes, each with its teacher and how many pupils are on its roll."""
    return (
        SchoolClass.objects.filter(school=school)
        .select_related("teacher")
        .annotate(on_roll=Count("pupils", filter=Q(pupils__left_date__isnull=True)))
        .order_by("name")
    )


def invitations_for_school(*, school: School) -> QuerySet[Invitation]:
    return Invitation.objects.filter(school=school).select_related("invited_by", "accepted_by")


def roster_imports_for_school(*, school: School) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(school=school).select_related("uploaded_by")
