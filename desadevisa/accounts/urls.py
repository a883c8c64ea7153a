from django.contrib.auth import views as auth_views
from django.urls import path

from desadevisa.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("two-factor/", views.otp_verify_view, name="otp-verify"),
    path("two-factor/setup/", views.otp_setup_view, name="otp-setup"),
    path("confirm-password/", views.reauthenticate_view, name="reauthenticate"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.password_reset_view, name="password-reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("invitations/new/", views.invitation_create_view, name="invitation-create"),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
    path("profile/", views.profile_view, name="profile"),
    path("tokens/new/", views.token_create_view, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
]
