"""Logging a concern, and the reporter adding what they learn since: any member of staff."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Max

from esafety.audit.services import audit_events_chained, chain_head
from esafety.db import insert_together
from esafety.notify.models import Message
from esafety.notify.services import messages_hand_off_on_commit, messages_prepared
from esafety.people.models import Pupil, School, User
from incidents import routing, selectors
from incidents.categories import Category, CategoryInfo, info
from incidents.evidence import MAX_FILES, CheckedFile, EvidenceRefused, check_file
from incidents.models import (
    Attachment,
    Concern,
    ConcernPupil,
    ConcernStaff,
    EntryKind,
    ProcedureStep,
    Status,
    TimelineEntry,
)
from incidents.services.common import (
    ConcernError,
    _alert,
    _alert_emails,
    _audit,
    _audit_entry,
    _entry,
    _locked,
)


@dataclass(frozen=True)
class InvolvedPupil:
    pupil: Pupil
    role: str


def _evidence_checked(
    category_info: CategoryInfo, files: Sequence[UploadedFile]
) -> list[CheckedFile]:
    if files and not category_info.allows_attachments:
        # Checked here, not only in the form: a suspected indecent image must never be stored.
        raise EvidenceRefused(
            f"{category_info.category.label}: nothing can be attached to this kind of concern. "
            + category_info.attachments_refused_because
        )
    if len(files) > MAX_FILES:
        raise EvidenceRefused(f"Attach at most {MAX_FILES} files.")
    return [check_file(f) for f in files]


def _attach(concern: Concern, checked: Sequence[CheckedFile], actor: User) -> None:
    for c in checked:
        attachment = Attachment(
            concern=concern,
            original_name=(c.upload.name or "")[:255],
            content_type=c.content_type,
            size=c.size,
            sha256=c.sha256,
            uploaded_by=actor,
        )
        attachment.file.save(c.storage_name, c.upload, save=False)
        attachment.save()


def _number_and_id(school: School) -> tuple[int, int | None]:
    """The school's next concern number, under a lock on the school's row, so two concerns
    logged at once never get the same number; and, on PostgreSQL, the concern's id, taken from
    its sequence in the same call, so that the concern and every row that points at it are
    inserted in one statement (esafety.db.insert_together).

    FOR NO KEY UPDATE, not FOR UPDATE: every insert that points at the school (an audit event, a
    pupil) takes a KEY SHARE lock on its row, which FOR UPDATE blocks; under load a request
    holding the audit chain's lock then waited on this one while this one waited on the chain's
    lock, and PostgreSQL killed one of them (the load test's only errors). The number is read by
    a statement of its own, after the lock is granted: under READ COMMITTED a statement sees what
    was committed when it began, so a MAX read in the same statement as the lock could miss a
    concern committed while it waited. On PostgreSQL both are one call (concern_next_number,
    migration 0005: a function's statements each take a fresh snapshot); SQLite serialises
    writers itself, and gives the id when the concern is inserted."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT concern_next_number(%s), nextval(pg_get_serial_sequence(%s, 'id'))",
                [school.pk, Concern._meta.db_table],
            )
            number, pk = cursor.fetchone()
            return int(number), int(pk)
    number = (Concern.objects.filter(school=school).aggregate(n=Max("number"))["n"] or 0) + 1
    return number, None


@transaction.atomic
def concern_log(
    *,
    actor: User,
    school: School,
    category: str,
    occurred_at: datetime.datetime,
    location: str,
    what_happened: str,
    pupils: Sequence[InvolvedPupil],
    staff: Sequence[User] = (),
    immediate_risk: bool = False,
    told_dsl_in_person: bool = False,
    files: Sequence[UploadedFile] = (),
) -> Concern:
    category_info = info(category)
    checked = _evidence_checked(category_info, files)
    for involved in pupils:
        if involved.pupil.school_id != school.pk:
            raise ValidationError("A pupil of another school cannot be added to this concern.")
    if category == Category.STAFF_CONDUCT and not staff:
        # Whoever it is about must be named: that is what keeps it from them (and sends it to
        # the chair of governors when it is about the head).
        raise ValidationError(
            "A concern about a member of staff's conduct must name the member of staff."
        )

    number, concern_id = _number_and_id(school)
    concern = Concern(
        pk=concern_id,
        school=school,
        number=number,
        category=category,
        four_c=category_info.four_c,
        route=category_info.route,
        reported_by=actor,
        occurred_at=occurred_at,
        location=location,
        what_happened=what_happened,
        immediate_risk=immediate_risk,
        told_dsl_in_person=told_dsl_in_person,
    )
    # The checks that ask the database are left to it: the school and the reporter were just
    # read, the number was taken under the school's lock, the code is a fresh uuid4, and the
    # table's constraints still hold (a new concern is "reported", which they all allow). Asking
    # first cost thirteen queries a concern.
    concern.full_clean(
        exclude={"school", "reported_by"}, validate_unique=False, validate_constraints=False
    )
    named = set(staff)
    entry = TimelineEntry(
        concern=concern,
        kind=EntryKind.LOGGED,
        author=actor,
        text="Concern logged"
        + ("; a child is at immediate risk" if immediate_risk else "")
        + ("; the DSL was told in person" if told_dsl_in_person else "")
        + (f"; {len(checked)} file(s) attached" if checked else "")
        + ".",
    )
    events = audit_events_chained(
        actor=actor,
        school=school,
        entries=[
            _audit_entry(concern, "concern.logged", "immediate risk" if immediate_risk else "")
        ],
        head=chain_head(school),
    )
    alerts = _first_alerts(concern, named, pupils)
    # One INSERT for the concern and everything logging it writes: its pupils, the staff it
    # names, its procedure (copied, so a later change to the category never rewrites this
    # record), its first entry, its audit event and its alerts.
    insert_together(
        [concern],
        [ConcernPupil(concern=concern, pupil=p.pupil, role=p.role) for p in pupils],
        [ConcernStaff(concern=concern, user=u) for u in named],
        [
            ProcedureStep(
                concern=concern,
                order=i,
                key=s.key,
                label=s.label,
                required=s.required or (s.required_when_staff_involved and bool(staff)),
            )
            for i, s in enumerate(category_info.steps)
        ],
        [entry],
        events,
        alerts,
    )
    messages_hand_off_on_commit(alerts)
    _attach(concern, checked, actor)
    return concern


def _first_alerts(
    concern: Concern, named: set[User], pupils: Sequence[InvolvedPupil]
) -> list[Message]:
    """Who is alerted, and who of them may open it, from the staff the service was given: the
    same answers as routing.recipients and the concern's page, without reading back what is not
    written yet. Nobody it names is alerted, nor offered a link to it."""
    school = concern.school
    staff_ids = {u.pk for u in named}
    about_head = routing.named_head(school, named)
    alerted = routing.first_alerted(concern, staff=named, about_head=about_head)
    urgency = "URGENT: a child may be at immediate risk. " if concern.immediate_risk else ""
    return messages_prepared(
        kind=Message.Kind.ALERT,
        school=school,
        emails=_alert_emails(
            concern,
            [access.user for access in alerted],
            subject=("URGENT: " if concern.immediate_risk else "")
            + f"New concern {concern.reference} needs acknowledging",
            body=f"{urgency}A new online-safety concern "
            f"({concern.get_category_display().lower()}) has been logged at {school.name} and "
            "needs acknowledging.",
            openers={
                access.user.pk
                for access in alerted
                if selectors.may_open(
                    access, category=concern.category, staff_ids=staff_ids, about_head=about_head
                )
            },
        ),
        # The texts hold a reference, a category and the school's name, never the narrative:
        # the children a mistake here could name are the ones the concern is about.
        about_pupils=[p.pupil for p in pupils],
    )


@transaction.atomic
def concern_add_information(*, actor: User, concern: Concern, text: str) -> TimelineEntry:
    """What the person who logged a concern has learnt since: a new entry on the timeline the
    DSL reads, never a change to what they wrote. The reporter does not see it again."""
    concern = _locked(concern)
    if concern.reported_by_id != actor.pk:
        raise ConcernError("Only the person who logged this concern can add information here.")
    if concern.status == Status.CLOSED:
        raise ConcernError(
            "This concern has been closed. If something new has happened, log a new concern."
        )
    text = text.strip()
    if not text:
        raise ConcernError("Write what you want to add.")
    entry = _entry(
        concern, EntryKind.NOTE, actor, f"Added by the person who logged the concern: {text}"
    )
    _audit(actor, concern, "concern.information_added")
    _alert(
        concern,
        routing.recipients(concern, 0),
        subject=f"New information on concern {concern.reference}",
        body=f"The person who logged an online-safety concern at {concern.school.name} has "
        "added information to it.",
    )
    return entry
