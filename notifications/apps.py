from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifikasi dan pengingat")

    def ready(self) -> None:
        from casework.signals import case_event_recorded
        from notifications import receivers

        case_event_recorded.connect(receivers.on_case_event_recorded, dispatch_uid="notifications.case_event")
