from esafety.people.access import SchoolAccess
from esafety.people.models import Role
from esafety.people.navigation import nav_for
from training.services.common import KEEPERS, TRAINEES, VERIFIERS

# Who may open which page (school_view's roles).
TRAINEE_ROLES = tuple(sorted(TRAINEES))
VERIFIER_ROLES = tuple(sorted(VERIFIERS))
KEEPER_ROLES = tuple(sorted(KEEPERS))
# Governors see the matrix too: their own board's rows, and the staff's as numbers.
MATRIX_ROLES = (*VERIFIER_ROLES, Role.GOVERNOR)


def ctx(access: SchoolAccess, **extra) -> dict:
    return {
        "access": access,
        "nav": nav_for(access),
        "can_verify": access.has(*VERIFIERS),
        "can_keep": access.has(*KEEPERS),
        **extra,
    }
