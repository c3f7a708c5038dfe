from django.http import HttpRequest

from esafety.contributions import banners
from esafety.people.access import memberships_of


def schools(request: HttpRequest) -> dict:
    """The schools the signed-in user belongs to, for the header's school switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_schools": []}

    def _schools():
        seen: dict = {}
        for m in memberships_of(user):
            seen.setdefault(m.school.code, m.school)
        return list(seen.values())

    return {"my_schools": _schools}


def contributed(request: HttpRequest) -> dict:
    """The apps' banners (esafety/contributions.py), for the top of every page."""
    return {"contributed_banners": banners()}
