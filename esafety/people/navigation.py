"""The navigation each role sees. Each app adds its own entries here as it arrives."""

from dataclasses import dataclass

from django.urls import reverse

from esafety.people.access import SchoolAccess
from esafety.people.models import STAFF_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def nav_for(access: SchoolAccess) -> list[NavItem]:
    code = access.school.code
    items = [NavItem("Home", reverse("people:school_home", args=[code]))]
    if access.has(*STAFF_ROLES):
        items.append(NavItem("Log a concern", reverse("incidents:new", args=[code])))
        items.append(NavItem("My concerns", reverse("incidents:mine", args=[code])))
    if access.has(Role.DSL, Role.DEPUTY_DSL, Role.HEAD, Role.ONLINE_SAFETY_LEAD):
        items.append(NavItem("Concerns", reverse("incidents:dashboard", args=[code])))
    if access.has(Role.ONLINE_SAFETY_LEAD, Role.HEAD, Role.DSL, Role.DEPUTY_DSL):
        items.append(NavItem("Policies", reverse("policies:library", args=[code])))
    if access.has(Role.ONLINE_SAFETY_LEAD, Role.HEAD, Role.DSL, Role.DEPUTY_DSL, Role.GOVERNOR):
        items.append(NavItem("Policy figures", reverse("policies:figures", args=[code])))
    if access.has(Role.OFFICE, Role.HEAD, Role.DSL, Role.DEPUTY_DSL):
        items.append(NavItem("Pupils", reverse("people:pupil_list", args=[code])))
    if access.has(Role.OFFICE, Role.HEAD):
        items.append(NavItem("Roster import", reverse("people:roster_list", args=[code])))
        items.append(NavItem("Invitations", reverse("people:invitation_list", args=[code])))
    # Every member has policies to accept (staff, governors and parents have their own AUPs).
    items.append(NavItem("Accept policies", reverse("policies:accept", args=[code])))
    if access.has(*STAFF_ROLES):
        items.append(NavItem("Class AUP sign-off", reverse("policies:class_signoff", args=[code])))
    if access.has(Role.OFFICE, Role.HEAD):
        items.append(NavItem("Visitor kiosk", reverse("policies:kiosk_links", args=[code])))
    if access.has(Role.HEAD, Role.DSL):
        items.append(NavItem("Audit log", reverse("audit:event_list", args=[code])))
    return items
