"""What the consent views share."""

from uuid import UUID

from django.http import Http404

from consent.selectors import purposes_of
from consent.services.setup import consent_setup
from esafety.people.access import SchoolAccess
from esafety.people.models import Role
from esafety.people.navigation import nav_for

# Who records paper and in-person decisions and reads the register.
RECORDERS = (Role.OFFICE, Role.HEAD, Role.DSL, Role.DEPUTY_DSL)
OFFICE_AND_HEAD = (Role.OFFICE, Role.HEAD)
EMPLOYED = (Role.STAFF, Role.DSL, Role.DEPUTY_DSL, Role.ONLINE_SAFETY_LEAD, Role.HEAD, Role.OFFICE)
FIGURE_READERS = (Role.HEAD, Role.GOVERNOR, Role.OFFICE, Role.DSL)


def uuid_or_404(value) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise Http404("No such item") from None


def ready(access: SchoolAccess) -> list:
    """The school's purposes, made with the defaults the first time anyone opens consent."""
    purposes = list(purposes_of(school=access.school))
    if not purposes and consent_setup(school=access.school, actor=access.user):
        purposes = list(purposes_of(school=access.school))
    return purposes


def page(access: SchoolAccess, **context) -> dict:
    return {"access": access, "nav": nav_for(access), **context}
