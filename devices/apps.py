from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "devices"
    label = "devices"
    verbose_name = "Devices"

    def ready(self) -> None:
        from devices.contributions import CONTRIBUTION
        from esafety.contributions import register

        register(CONTRIBUTION)
