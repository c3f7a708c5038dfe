"""The devices app's rows in `make bench`: the morning hand-in desk, opened daily."""

from esafety.bench import school_url
from esafety.contributions import BenchJob, BenchPage
from esafety.people.models import Role


def pages() -> tuple[BenchPage, ...]:
    return (
        BenchPage("hand-in desk", Role.OFFICE, school_url("devices:desk")),
        BenchPage("devices held", Role.DSL, school_url("devices:held")),
        BenchPage("phone exceptions", Role.OFFICE, school_url("devices:exceptions")),
    )


def jobs() -> tuple[BenchJob, ...]:
    from devices import tasks

    return (
        BenchJob("devices: phones still held at the end of the day", tasks.alert_phones_still_held),
        BenchJob("devices: held too long", tasks.remind_devices_held_long),
    )
