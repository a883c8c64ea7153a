"""Everything that changes accounts: invitations, roles, passwords, two-factor devices, tokens.

Each service owns its transaction, its audit event and its e-mail.
"""

from desadevisa.accounts.services.invitations import (
    INVITING_ROLES,
    invitation_accept,
    invitation_create,
    invitation_token_issue,
)
from desadevisa.accounts.services.passwords import password_reset_request, user_password_change
from desadevisa.accounts.services.roles import (
    role_assignment_create,
    role_assignment_delete,
    role_scope_check,
)
from desadevisa.accounts.services.tokens import (
    TOKEN_MAX_DAYS,
    token_authenticate,
    token_create,
    token_revoke,
)
from desadevisa.accounts.services.two_factor import (
    otp_device_confirm,
    otp_device_prepare,
    otp_device_verify,
)

__all__ = [
    "INVITING_ROLES",
    "TOKEN_MAX_DAYS",
    "invitation_accept",
    "invitation_create",
    "invitation_token_issue",
    "otp_device_confirm",
    "otp_device_prepare",
    "otp_device_verify",
    "password_reset_request",
    "role_assignment_create",
    "role_assignment_delete",
    "role_scope_check",
    "token_authenticate",
    "token_create",
    "token_revoke",
    "user_password_change",
]
