"""E-mails with sign-in links, sent in the background after the request's transaction commits.

The links' secrets are drawn here, when the e-mail is written, so that they never sit in the
task queue's table: only the invitation or account id travels through it.
"""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from desadevisa.accounts.models import Invitation, User
from desadevisa.core.site import absolute_url


def _mail(*, to: str, template: str, context: dict[str, object]) -> None:
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}_body.txt", context)
    # A header must be one line, whatever a translation does.
    send_mail(" ".join(subject.split()), body, None, [to])


@task()
def invitation_send(*, invitation_id: int, language: str) -> None:
    """E-mail an open invitation's link, with a token drawn now (an earlier link stops working)."""
    # Imported here: the services enqueue this task.
    from desadevisa.accounts.services import invitation_token_issue

    with transaction.atomic(), translation.override(language):
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("invited_by", "province", "organisation")
            .filter(pk=invitation_id, accepted_at__isnull=True)
            .first()
        )
        if invitation is None:
            return
        token = invitation_token_issue(invitation=invitation)
        path = reverse("accounts:invitation-accept", kwargs={"token": token})
        # Sent inside the transaction: if the mail server refuses, the new token is not kept.
        _mail(
            to=invitation.email,
            template="invitation",
            context={"invitation": invitation, "url": absolute_url(path)},
        )


@task()
def password_reset_send(*, user_id: int, language: str) -> None:
    """E-mail a password-reset link to an active account, valid PASSWORD_RESET_TIMEOUT seconds."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    with translation.override(language):
        path = reverse(
            "accounts:password-reset-confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        _mail(
            to=user.email,
            template="password_reset",
            context={"user": user, "url": absolute_url(path)},
        )
