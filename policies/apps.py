from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    label = "policies"
    verbose_name = "Policies and acceptable use"
