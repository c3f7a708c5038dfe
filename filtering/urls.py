from django.urls import path

from filtering.views import checks, evidence, monitoring, reviews

app_name = "filtering"

# Every path here also needs its row in tests/filtering/access_rows.py.
F = "s/<uuid:school>/filtering/"
urlpatterns = [
    path(F, evidence.overview, name="overview"),
    path(F + "settings/", evidence.settings_edit, name="settings"),
    path(F + "roles/", evidence.roles, name="roles"),
    path(F + "roles/change/", evidence.role_assign, name="role_assign"),
    path(F + "provision/", evidence.provision, name="provision"),
    path(F + "provision/new/", evidence.provision_new, name="provision_new"),
    path(F + "decisions/", evidence.decisions, name="decisions"),
    path(F + "decisions/new/", evidence.decision_new, name="decision_new"),
    path(F + "decisions/<uuid:decision>/", evidence.decision_detail, name="decision_detail"),
    path(
        F + "decisions/<uuid:decision>/applied/",
        evidence.decision_applied,
        name="decision_applied",
    ),
    path(F + "checks/", checks.checks, name="checks"),
    path(F + "checks/new/", checks.check_new, name="check_new"),
    path(F + "checks/<uuid:check>/", checks.check_detail, name="check_detail"),
    path(F + "checks/<uuid:check>/resolve/", checks.task_resolve, name="task_resolve"),
    path(F + "reports/", monitoring.reports, name="reports"),
    path(F + "reports/acknowledge/", monitoring.report_acknowledge, name="report_acknowledge"),
    path(F + "alerts/", monitoring.alerts, name="alerts"),
    path(F + "alerts/rota/", monitoring.shift_new, name="shift_new"),
    path(F + "alerts/new/", monitoring.alert_new, name="alert_new"),
    path(F + "reviews/", reviews.reviews, name="reviews"),
    path(F + "reviews/new/", reviews.review_new, name="review_new"),
    path(F + "reviews/<uuid:review>/", reviews.review_detail, name="review_detail"),
    path(F + "reviews/<uuid:review>/sign/", reviews.review_sign, name="review_sign"),
]
