"""Shared by the devices views: who may do what, and the guidance every device page shows."""

from esafety.people.models import Role

HANDLERS = (
    Role.STAFF,
    Role.OFFICE,
    Role.HEAD,
    Role.DSL,
    Role.DEPUTY_DSL,
    Role.ONLINE_SAFETY_LEAD,
)
DESK = (Role.OFFICE, Role.HEAD)
REGISTER_READERS = (Role.OFFICE, Role.HEAD, Role.DSL, Role.DEPUTY_DSL)
REGISTER_KEEPERS = (Role.OFFICE, Role.HEAD)
SEARCH_READERS = (Role.HEAD, Role.DSL, Role.DEPUTY_DSL)
EQUIPMENT = (Role.OFFICE, Role.HEAD, Role.ONLINE_SAFETY_LEAD)
EVIDENCE = (Role.DSL,)
