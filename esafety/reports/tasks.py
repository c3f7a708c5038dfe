from celery import shared_task

from esafety.periodic import each
from esafety.reports import builds

# Under the broker's ten-minute visibility timeout (tests/notify/test_redelivery.py), so a
# running build is never handed to a second worker.


@shared_task(time_limit=540, soft_time_limit=480, acks_late=True)
def build_report(build_id: int) -> int:
    return builds.report_build_run(build_id=build_id)


@shared_task(time_limit=540, soft_time_limit=480)
def sweep_report_builds() -> int:
    """Build reports whose hand-off was lost or whose worker died. Safe to run twice at once:
    each build is claimed before it runs."""
    return each(
        builds.builds_to_sweep(),
        lambda build_id: builds.report_build_run(build_id=build_id),
        task="sweep_report_builds",
        what="report build",
    )


@shared_task(time_limit=540, soft_time_limit=480)
def send_term_reports() -> int:
    """Every school whose term has just ended: its report built, its governors emailed a link.
    Safe to run twice: the build is one row per term, the email a keyed reminder."""
    from esafety.people.models import School
    from esafety.reports import term_end

    return each(
        School.objects.values_list("pk", flat=True),
        lambda pk: term_end.term_report_send(school=School.objects.get(pk=pk)),
        task="send_term_reports",
        what="school",
    )
