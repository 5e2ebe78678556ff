from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Email subscribers")

    def ready(self):
        from publications import events

        from . import listeners

        events.listen("published", listeners.piece_published)
        events.listen("scheduled", listeners.piece_scheduled)
        events.listen("submitted", listeners.piece_submitted)
        events.listen("sent_back", listeners.piece_sent_back)
        events.listen("published", listeners.notice_published)
        events.listen("scheduled", listeners.notice_scheduled)

        from . import webhooks

        webhooks.connect()
