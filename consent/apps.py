from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    label = "consent"
    verbose_name = "Photo and video consent"

    def ready(self) -> None:
        from consent.contributions import CONTRIBUTION
        from esafety.contributions import register

        register(CONTRIBUTION)
