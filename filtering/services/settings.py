"""The school's filtering settings: the check cadence, when weekly reports are due from."""

import datetime

from django.db import transaction

from esafety.people.models import School, User
from filtering.models import Cadence, FilteringSettings
from filtering.services.common import KEEPER_ROLES, audit, require_roles, settings_for


@transaction.atomic
def settings_update(
    *,
    school: School,
    actor: User,
    check_cadence: str,
    reports_from: datetime.date | None,
) -> FilteringSettings:
    require_roles(actor, school, KEEPER_ROLES, "change the filtering settings")
    row = settings_for(school)
    row.check_cadence = Cadence(check_cadence)
    row.reports_from = reports_from
    row.full_clean()
    row.save()
    audit(actor, school, "filtering.settings_changed", row, summary=row.get_check_cadence_display())
    return row
