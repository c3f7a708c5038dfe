"""Writes of the reports app: the board's choice of sections and threshold, and the record of
each download (the audit event names the period, never a figure)."""

from django.db import transaction

from esafety.audit.services import audit_record
from esafety.people.models import School, User
from esafety.reports.models import ReportSettings, Trust
from esafety.reports.periods import Period
from esafety.reports.selectors import available_sections


@transaction.atomic
def report_settings_update(
    *, actor: User, school: School, sections: list[str], threshold: int
) -> ReportSettings:
    known = {s.key for s in available_sections()}
    # A section of an app that is not installed now is kept in the board's choice: it comes back
    # when the app does. Only keys no app has ever given would be refused, and forms offer none.
    settings, _ = ReportSettings.objects.select_for_update().get_or_create(school=school)
    kept = [k for k in (settings.sections or []) if k not in known]
    settings.sections = sorted(set(sections) & known) + kept
    settings.threshold = threshold
    settings.full_clean()
    settings.save()
    audit_record(
        actor=actor,
        school=school,
        action="reports.settings_changed",
        obj=settings,
        summary=f"Sections: {', '.join(settings.sections) or 'none'}; threshold {threshold}",
    )
    return settings


def report_download_record(*, actor: User, school: School, period: Period) -> None:
    audit_record(
        actor=actor,
        school=school,
        action="reports.pdf_downloaded",
        object_type="report",
        object_code=f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}",
        summary=f"Governors' report PDF: {period.label}",
    )


def trust_download_record(*, actor: User, trust: Trust, period: Period) -> None:
    # The trust's event, on no school's chain: it names the trust and the period only.
    audit_record(
        actor=actor,
        school=None,
        action="reports.trust_pdf_downloaded",
        obj=trust,
        summary=f"Trust report PDF: {period.label}",
    )
