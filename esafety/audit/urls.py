from django.urls import path

from esafety.audit import views

app_name = "audit"

urlpatterns = [
    path("s/<uuid:school>/audit/", views.event_list, name="event_list"),
]
