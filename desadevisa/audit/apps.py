from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "desadevisa.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from desadevisa.audit import signals
        from desadevisa.core.pages import list_exported

        user_logged_in.connect(signals.record_sign_in, dispatch_uid="audit_sign_in")
        user_logged_out.connect(signals.record_sign_out, dispatch_uid="audit_sign_out")
        user_login_failed.connect(
            signals.record_sign_in_failure, dispatch_uid="audit_sign_in_failure"
        )
        user_locked_out.connect(signals.record_lockout, dispatch_uid="audit_lockout")
        list_exported.connect(signals.record_list_export, dispatch_uid="audit_list_export")
