from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "esafety.notify"
    label = "notify"
    verbose_name = "Alerts and reminders"
