from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "esafety.people"
    label = "people"
    verbose_name = "People and schools"

    def ready(self) -> None:
        from esafety.people import receivers  # noqa: F401
