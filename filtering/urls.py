app_name = "filtering"

urlpatterns: list = []
