"""The consent app's rows in `make bench`: the parent's page, the check before publishing (a
class, for the website), the do-not-photograph list and the take-downs, and the reminder sweep."""

from consent.models import Purpose
from esafety.bench import a_week_on, school_url
from esafety.contributions import BenchJob, BenchPage
from esafety.people.models import Role, SchoolClass


def _query(b) -> str:
    website = Purpose.objects.get(school=b.school, label="School website")
    first = SchoolClass.objects.filter(school=b.school).order_by("name").first()
    assert first is not None, "the benchmark's school has no class"
    return f"?purpose={website.code.hex}&school_class={first.code.hex}"


def _with_query(name: str):
    url = school_url(name)
    return lambda b: url(b) + _query(b)


def pages() -> tuple[BenchPage, ...]:
    return (
        BenchPage("parent's consent page", Role.PARENT, school_url("consent:mine")),
        BenchPage("may we use this? (a class)", Role.STAFF, _with_query("consent:check")),
        BenchPage("do-not-photograph list (a class)", Role.STAFF, _with_query("consent:lists")),
        BenchPage("consent register (a class)", Role.OFFICE, school_url("consent:register")),
        BenchPage("photo take-downs", Role.OFFICE, school_url("consent:takedowns")),
        BenchPage("consent figures", Role.GOVERNOR, school_url("consent:figures")),
    )


def jobs() -> tuple[BenchJob, ...]:
    from consent import tasks

    return (BenchJob("consent reminders, a week on", a_week_on(tasks.send_consent_reminders)),)
