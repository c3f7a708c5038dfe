from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "esafety.people"
    label = "people"
    verbose_name = "People and schools"

    def ready(self) -> None:
        from esafety.contributions import register
        from esafety.people import receivers  # noqa: F401
        from esafety.people.contributions import CONTRIBUTION

        register(CONTRIBUTION)
