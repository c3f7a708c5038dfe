from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from esafety.people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("esafety.people.urls")),
    path("", include("esafety.audit.urls")),
    path("", include("esafety.reports.urls")),
    path("", include("incidents.urls")),
    path("", include("policies.urls")),
    path("", include("consent.urls")),
    path("", include("devices.urls")),
    path("", include("training.urls")),
    path("", include("filtering.urls")),
]

if settings.ESAFETY_ADMIN_ENABLED:
    # Django's admin is for the people who run the server, not for schools. Its own sign-in form
    # would skip MFA and the sign-in rate limit, so it sends people to allauth's instead.
    admin.site.login = secure_admin_login(admin.site.login)
    urlpatterns.append(path("admin/", admin.site.urls))
