from django.urls import path

from esafety.people import views

app_name = "people"

urlpatterns = [
    path("s/<uuid:school>/", views.school_home, name="school_home"),
    path("s/<uuid:school>/pupils/", views.pupil_list, name="pupil_list"),
    path("s/<uuid:school>/classes/teachers/", views.class_teachers, name="class_teachers"),
    path("s/<uuid:school>/invitations/", views.invitation_list, name="invitation_list"),
    path(
        "s/<uuid:school>/invitations/<uuid:code>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("s/<uuid:school>/roster/", views.roster_list, name="roster_list"),
    path("s/<uuid:school>/roster/<uuid:code>/", views.roster_detail, name="roster_detail"),
    path(
        "s/<uuid:school>/roster/<uuid:code>/problems/csv/",
        views.roster_problems_csv,
        name="roster_problems_csv",
    ),
    path(
        "s/<uuid:school>/roster/<uuid:code>/progress/",
        views.roster_progress,
        name="roster_progress",
    ),
]
