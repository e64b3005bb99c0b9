from django.apps import AppConfig


class AuthoritiesConfig(AppConfig):
    name = "authorities"
    verbose_name = "Authorities, inspections and events"

    def ready(self) -> None:
        # Sign-in, failed sign-in and sign-out go to the audit log through Django's auth signals.
        from .accounts import audit

        audit.connect_signals()
