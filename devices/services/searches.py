"""Searches of a pupil or a device: authorised, witnessed and recorded (DfE searching, screening
and confiscation). The headteacher oversees them; the record is append-only."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from devices.models import Search
from devices.services.common import audit, clean_text, require_role, roles_at
from devices.services.custody import HANDLERS
from esafety.people.models import Pupil, User


@transaction.atomic
def search_record(
    *,
    actor: User,
    pupil: Pupil,
    of: str,
    authorised_by: User,
    searched_by: User,
    witnessed_by: User,
    reason: str,
    found: str,
) -> Search:
    school = pupil.school
    require_role(actor, school, *HANDLERS, refusal="Only staff may record a search.")
    for field, person in (
        ("authorised_by", authorised_by),
        ("searched_by", searched_by),
        ("witnessed_by", witnessed_by),
    ):
        if not roles_at(person, school) & set(HANDLERS):
            raise ValidationError({field: "Choose a member of staff of this school."})
    if witnessed_by == searched_by:
        raise ValidationError(
            {"witnessed_by": "The witness must be someone other than the searcher."}
        )
    search = Search(
        school=school,
        pupil=pupil,
        of=of,
        authorised_by=authorised_by,
        searched_by=searched_by,
        witnessed_by=witnessed_by,
        reason=clean_text(reason),
        found=clean_text(found) or "Nothing",
        at=timezone.now(),
        recorded_by=actor,
    )
    search.full_clean()
    search.save()
    audit(actor, school, "search.recorded", search, search.of)
    return search
