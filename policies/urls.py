from django.urls import path  # noqa: F401 (the views' paths are added below)

app_name = "policies"

# Every path here also needs its row in tests/access_table.py.
urlpatterns: list = []
