from django.apps import AppConfig


class FilteringConfig(AppConfig):
    name = "filtering"
    label = "filtering"
    verbose_name = "Filtering and monitoring"

    def ready(self) -> None:
        from esafety.contributions import register
        from filtering.contributions import CONTRIBUTION

        register(CONTRIBUTION)
