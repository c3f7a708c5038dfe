"""The policies app's rows in `make bench`."""

from django.db.models import Count

from esafety.bench import a_week_on, school_url
from esafety.contributions import BenchJob, BenchPage
from esafety.people.models import Role
from policies.models import PolicyVersion, VersionStatus


def _busiest_version(b) -> str:
    # The published version with the most acceptances.
    version = (
        PolicyVersion.objects.filter(policy__school=b.school, status=VersionStatus.PUBLISHED)
        .annotate(n=Count("acceptances"))
        .order_by("-n", "id")
        .first()
    )
    assert version is not None, "the benchmark's school has no published policy"
    return version.code


def pages() -> tuple[BenchPage, ...]:
    return (
        BenchPage("policy library", Role.ONLINE_SAFETY_LEAD, school_url("policies:library")),
        BenchPage("policy figures", Role.GOVERNOR, school_url("policies:figures")),
        BenchPage(
            "acceptances (a version)",
            Role.ONLINE_SAFETY_LEAD,
            school_url("policies:version_detail", version=_busiest_version),
        ),
        BenchPage("parent's AUP page", Role.PARENT, school_url("policies:accept")),
    )


def jobs() -> tuple[BenchJob, ...]:
    from policies import tasks

    return (
        BenchJob(
            "policy reminders, a week on (acceptance, review)",
            a_week_on(tasks.send_policy_reminders),
        ),
    )
