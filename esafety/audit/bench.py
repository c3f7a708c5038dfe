"""The audit app's rows in `make bench`: the log, and verify_audit over every event."""

import io

from esafety.bench import school_url
from esafety.contributions import BenchJob, BenchPage
from esafety.people.models import Role


def pages() -> tuple[BenchPage, ...]:
    return (BenchPage("audit log", Role.DSL, school_url("audit:event_list")),)


def _verify_audit() -> str:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def jobs() -> tuple[BenchJob, ...]:
    return (BenchJob("verify_audit", _verify_audit),)
