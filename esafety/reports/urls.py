from django.urls import path

from esafety.reports import views

app_name = "reports"

# Every path here also needs its row in tests/reports/access_rows.py.
REPORTS = "s/<uuid:school>/governors/"
urlpatterns = [
    path(REPORTS, views.dashboard, name="dashboard"),
    path(REPORTS + "report.pdf", views.report_pdf_download, name="pdf"),
    path(REPORTS + "settings/", views.report_settings, name="settings"),
    path(REPORTS + "audit-175/", views.audit175, name="audit175"),
    path(REPORTS + "builds/new/", views.build_new, name="build_new"),
    path(REPORTS + "builds/<uuid:code>/", views.build_detail, name="build"),
    path(REPORTS + "builds/<uuid:code>/progress/", views.build_progress, name="build_progress"),
    path(REPORTS + "builds/<uuid:code>/report.pdf", views.build_pdf, name="build_pdf"),
]

# A trust's figures (its own address: a trust lead may belong to no school).
TRUST = "t/<uuid:trust>/"
urlpatterns += [
    path(TRUST, views.trust_dashboard, name="trust"),
    path(TRUST + "report.pdf", views.trust_pdf, name="trust_pdf"),
]
