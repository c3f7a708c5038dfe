from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "esafety.notify"
    label = "notify"
    verbose_name = "Alerts and reminders"

    def ready(self) -> None:
        from esafety.contributions import register
        from esafety.notify.contributions import CONTRIBUTION

        register(CONTRIBUTION)
