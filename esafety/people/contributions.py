"""What people (pupils, the roster, invitations) adds to the shared pages."""

from esafety.contributions import Contribution, HomeCard, NavEntry, holding
from esafety.people.models import Role

CONTRIBUTION = Contribution(
    app="people",
    bench="esafety.people.bench",
    nav=(
        NavEntry("Pupils", "Pupils", "people:pupil_list"),
        NavEntry("Pupils", "Roster import", "people:roster_list"),
        NavEntry("School", "Invitations", "people:invitation_list"),
    ),
    home=(
        HomeCard(
            "Your children",
            "people/_home_children.html",
            "people:school_home",
            holding(Role.PARENT),
            10,
        ),
        HomeCard(
            "Pupils and the roster", "people/_home_office.html", "people:roster_list", order=40
        ),
        HomeCard(
            "Governors",
            "people/_home_governor.html",
            "people:school_home",
            holding(Role.GOVERNOR),
            60,
        ),
    ),
    beat={
        # Every two minutes: start roster imports whose hand-off to the worker was lost.
        "people-sweep-roster-imports": {
            "task": "esafety.people.tasks.sweep_roster_imports",
            "schedule": 120.0,
        },
    },
)
