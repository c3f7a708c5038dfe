from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from esafety.people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("esafety.people.urls")),
    path("", include("esafety.audit.urls")),
]

if settings.ESAFETY_ADMIN_ENABLED:
    # Django's admin is for the people who run the server, not for schools.
    urlpatterns.append(path("admin/", admin.site.urls))
