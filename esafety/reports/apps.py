from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "esafety.reports"
    label = "reports"
    verbose_name = "Governors' reports"

    def ready(self) -> None:
        from esafety.contributions import register
        from esafety.reports.contributions import CONTRIBUTION

        register(CONTRIBUTION)
