"""Writing a checked roster file: all or nothing, in the caller's transaction, with bulk queries
and one audit write, so the query count does not grow with the file. A new school year (every
pupil moving up, leavers off roll, new pupils) is one such write."""

import datetime
from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

from esafety.audit.services import Entry
from esafety.people.models import Guardian, Pupil, Role, School, SchoolClass, User
from esafety.people.roster.check import CheckedFile, PupilRow
from esafety.people.roster.problems import Problems, Rejected

BATCH = 500
GUARDIAN_FIELDS = ("full_name", "relationship", "parental_responsibility")
# The pupil fields a re-import may change, and the words used for them in audit summaries.
FIELD_LABELS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "date_of_birth": "date_of_birth",
    "year_group": "year_group",
    "school_class_id": "class",
    "sen": "sen",
    "looked_after": "looked_after",
    "cp_plan": "cp_plan",
    "on_roll_date": "on_roll_date",
    "left_date": "left_date",
}


def _parents_by_email(school: School) -> dict[str, int]:
    # The rule of people.services.linked_parent (an active parent membership at this school proves
    # the person controls the email), for every email at once instead of a query per guardian.
    return {
        email.lower(): pk
        for email, pk in User.objects.filter(
            memberships__school=school,
            memberships__role=Role.PARENT,
            memberships__is_active=True,
        ).values_list("email", "id")
    }


def _ensure_pks(
    objs: Sequence[models.Model], model: type[models.Model], school: School, key: str
) -> None:
    # PostgreSQL and SQLite ≥ 3.35 return the new ids from a bulk insert; elsewhere reload them.
    if all(o.pk for o in objs):
        return
    ids = dict(model._default_manager.filter(school=school).values_list(key, "id"))
    for o in objs:
        o.pk = ids[getattr(o, key)]


def _desired_pupil_state(row: PupilRow, class_ids: dict[str, int], today: datetime.date) -> dict:
    target = dict(row.values)
    if row.class_name is not None:
        target["school_class_id"] = class_ids[row.class_name] if row.class_name else None
    # Being in the export means being on roll, unless the leaving date has passed; this is
    # also what puts a returning pupil back on roll.
    leaving = row.leaving_date
    target["left_date"] = leaving if leaving is not None and leaving <= today else None
    return target


def bulk_update_rows(
    model: type[models.Model], objs: Sequence[models.Model], field_names: list[str]
) -> None:
    """Save field_names of objs with one UPDATE … FROM (VALUES …) per batch.

    Django's bulk_update builds a CASE expression per row and per field in Python: a new school
    year (2,000 pupils moving up, their guardians updated) took 20 s that way; this takes well
    under one. PostgreSQL and SQLite ≥ 3.33 understand it; anything else gets bulk_update.
    """
    if not objs:
        return
    # Every backend has its DB-API module as `Database`; django-stubs does not declare it.
    database = connection.Database  # type: ignore[attr-defined]
    sqlite_version = getattr(database, "sqlite_version_info", (0,))
    sqlite_too_old = connection.vendor == "sqlite" and sqlite_version < (3, 33)
    if connection.vendor not in ("postgresql", "sqlite") or sqlite_too_old:
        model._default_manager.bulk_update(objs, field_names, batch_size=BATCH)
        return
    meta = model._meta
    fields: list[models.Field] = [meta.pk]
    for name in field_names:
        f = meta.get_field(name)
        # As bulk_update: only a column of the table can be set (not a reverse relation or a
        # many-to-many).
        if not isinstance(f, models.Field) or not f.concrete:
            raise ValueError(f"bulk_update_rows can only set concrete fields, not {name!r}")
        fields.append(f)
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # A VALUES list guesses its column types; a column that is NULL in every row would be
        # text, which a date column refuses. (Field.cast_db_type is missing from django-stubs.)
        cells = ", ".join(
            f"CAST(%s AS {f.cast_db_type(connection)})"  # type: ignore[attr-defined]
            for f in fields
        )
    else:
        cells = ", ".join("%s" for _ in fields)
    table = qn(meta.db_table)
    pk = qn(meta.pk.column)
    columns = ", ".join(qn(f.column) for f in fields)
    assignments = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields[1:])
    size = min(BATCH, connection.ops.bulk_batch_size(fields, objs))
    with connection.cursor() as cursor:
        for i in range(0, len(objs), size):
            batch = objs[i : i + size]
            values = ", ".join(f"({cells})" for _ in batch)
            params = [
                f.get_db_prep_save(getattr(obj, f.attname), connection)
                for obj in batch
                for f in fields
            ]
            cursor.execute(
                f"WITH v ({columns}) AS (VALUES {values}) "  # noqa: S608 (names, not input)
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk} = v.{pk}",
                params,
            )


def apply_roster(
    *, school: School, actor: User | None, checked: CheckedFile, today: datetime.date
) -> tuple[dict, list[Entry]]:
    """Write a checked file. Call inside a transaction; raises Rejected (writing nothing) for
    problems that only the school's existing records reveal."""
    # One import at a time; NO KEY UPDATE so inserts pointing at the school are not blocked (see
    # incidents/services/log.py).
    School.objects.select_for_update(no_key=True).filter(pk=school.pk).first()
    now = timezone.now()
    existing = {p.mis_id: p for p in Pupil.objects.filter(school=school)}
    classes = {c.name: c for c in SchoolClass.objects.filter(school=school)}

    problems = Problems()
    for row in checked.rows:
        pupil = existing.get(row.mis_id)
        on_roll = row.values.get("on_roll_date", pupil.on_roll_date if pupil else None)
        if row.leaving_date and on_roll and row.leaving_date < on_roll:
            problems.add(
                row.line,
                f"leaving_date {row.leaving_date:%Y-%m-%d} is before the date this pupil "
                f"joined ({on_roll:%Y-%m-%d}, already in esafety): add an on_roll_date "
                "column or correct the leaving date.",
            )
    if problems.count:
        raise Rejected(problems)

    entries: list[Entry] = []
    new_classes: list[SchoolClass] = []
    for row in checked.rows:
        if row.class_name and row.class_name not in classes:
            # A mixed-age class takes the year group of the first pupil listed in it.
            c = SchoolClass(school=school, name=row.class_name, year_group=row.values["year_group"])
            classes[c.name] = c
            new_classes.append(c)
    SchoolClass.objects.bulk_create(new_classes, batch_size=BATCH)
    _ensure_pks(new_classes, SchoolClass, school, "name")
    entries += [Entry("class.created", c, c.name) for c in new_classes]
    class_ids = {name: c.pk for name, c in classes.items()}

    counts = dict.fromkeys(
        ("created", "updated", "unchanged", "left", "returned", "leaving_later"), 0
    )
    counts["classes_created"] = len(new_classes)
    created: list[Pupil] = []
    changed: list[Pupil] = []
    changed_fields: set[str] = set()
    pupil_of_row: dict[str, Pupil] = {}
    for row in checked.rows:
        target = _desired_pupil_state(row, class_ids, today)
        if row.leaving_date and row.leaving_date > today:
            counts["leaving_later"] += 1
        pupil = existing.get(row.mis_id)
        if pupil is None:
            pupil = Pupil(school=school, mis_id=row.mis_id, **target)
            created.append(pupil)
            counts["created"] += 1
            summary = f"MIS {row.mis_id}" + (" (off roll)" if target["left_date"] else "")
            entries.append(Entry("pupil.created", pupil, summary))
        else:
            diff = [f for f, v in target.items() if getattr(pupil, f) != v]
            if diff:
                was_on_roll = pupil.left_date is None
                for f in diff:
                    setattr(pupil, f, target[f])
                pupil.updated_at = now
                changed.append(pupil)
                changed_fields.update(diff)
                if was_on_roll and pupil.left_date is not None:
                    action, counts["left"] = "pupil.left", counts["left"] + 1
                elif not was_on_roll and pupil.left_date is None:
                    action, counts["returned"] = "pupil.returned", counts["returned"] + 1
                else:
                    action, counts["updated"] = "pupil.updated", counts["updated"] + 1
                labels = ", ".join(sorted(FIELD_LABELS[f] for f in diff))
                entries.append(Entry(action, pupil, f"MIS {row.mis_id}: {labels}"))
            else:
                counts["unchanged"] += 1
        pupil_of_row[row.mis_id] = pupil

    # On roll here but missing from the export: they have left. Never deleted: their records
    # (concerns, consent, AUPs) must outlive their time at the school.
    for mis_id, pupil in existing.items():
        if mis_id not in pupil_of_row and pupil.left_date is None:
            pupil.left_date = max(today, pupil.on_roll_date or today)
            pupil.updated_at = now
            changed.append(pupil)
            changed_fields.add("left_date")
            counts["left"] += 1
            entries.append(Entry("pupil.left", pupil, f"MIS {mis_id}: not in the roster file"))

    Pupil.objects.bulk_create(created, batch_size=BATCH)
    _ensure_pks(created, Pupil, school, "mis_id")
    bulk_update_rows(Pupil, changed, [*sorted(changed_fields), "updated_at"])

    guardian_counts: dict = {}
    if checked.has_guardians:
        guardian_counts, guardian_entries = _apply_guardians(
            school=school, rows=checked.rows, pupil_of_row=pupil_of_row, now=now
        )
        entries += guardian_entries
    return {**counts, **guardian_counts}, entries


def _apply_guardians(
    *,
    school: School,
    rows: list[PupilRow],
    pupil_of_row: dict[str, Pupil],
    now: datetime.datetime,
) -> tuple[dict, list[Entry]]:
    parents = _parents_by_email(school)
    existing: dict[int, list[Guardian]] = {}
    for g in Guardian.objects.filter(pupil__school=school).order_by("id"):
        existing.setdefault(g.pupil_id, []).append(g)

    counts = dict.fromkeys(
        ("guardians_added", "guardians_updated", "guardians_removed", "guardians_linked"), 0
    )
    entries: list[Entry] = []
    created: list[Guardian] = []
    changed: list[Guardian] = []
    removed: list[Guardian] = []
    for row in rows:
        pupil = pupil_of_row[row.mis_id]
        about = f"for pupil MIS {row.mis_id}"
        mine: dict[str, Guardian] = {}
        for g in existing.get(pupil.pk, []):
            # Emails saved before they were lower-cased could clash: the later one goes.
            mine.setdefault(g.email.lower(), g)
        listed = {g.email for g in row.guardians}
        for g in existing.get(pupil.pk, []):
            if g.email.lower() not in listed or mine[g.email.lower()] is not g:
                # No longer listed for the pupil: MIS contact data that the MIS has dropped,
                # not a safeguarding record, so it goes; the audit trail keeps the fact.
                removed.append(g)
                entries.append(Entry("guardian.removed", g, f"{about}: not in the roster file"))
        for wanted in row.guardians:
            user_id = parents.get(wanted.email)
            current = mine.get(wanted.email)
            if current is None:
                guardian = Guardian(
                    pupil=pupil,
                    email=wanted.email,
                    full_name=wanted.full_name,
                    relationship=wanted.relationship,
                    parental_responsibility=wanted.parental_responsibility,
                    user_id=user_id,
                )
                created.append(guardian)
                counts["guardians_added"] += 1
                counts["guardians_linked"] += user_id is not None
                linked = ", linked to their parent account" if user_id else ""
                entries.append(Entry("guardian.added", guardian, about + linked))
                continue
            diff = [f for f in GUARDIAN_FIELDS if getattr(current, f) != getattr(wanted, f)]
            for f in diff:
                setattr(current, f, getattr(wanted, f))
            # Link a parent who has accepted an invitation; never unlink one here (a parent
            # who changed their sign-in email keeps their children).
            if current.user_id is None and user_id is not None:
                diff.append("user")
                current.user_id = user_id
                counts["guardians_linked"] += 1
            if diff:
                current.updated_at = now
                changed.append(current)
                counts["guardians_updated"] += 1
                entries.append(Entry("guardian.updated", current, f"{about}: {', '.join(diff)}"))
    counts["guardians_removed"] = len(removed)

    Guardian.objects.bulk_create(created, batch_size=BATCH)
    bulk_update_rows(Guardian, changed, [*GUARDIAN_FIELDS, "user", "updated_at"])
    ids = [g.pk for g in removed]
    for i in range(0, len(ids), BATCH):
        Guardian.objects.filter(pk__in=ids[i : i + BATCH]).delete()
    return counts, entries
