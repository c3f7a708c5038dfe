"""The people app's rows in `make bench`."""

from esafety.bench import school_url
from esafety.contributions import BenchPage
from esafety.people.models import Role


def pages() -> tuple[BenchPage, ...]:
    return (
        BenchPage("school home", Role.STAFF, school_url("people:school_home")),
        BenchPage("pupils", Role.OFFICE, school_url("people:pupil_list")),
    )
