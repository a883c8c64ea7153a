"""Accounts in the admin site; roles change through the services, so each change is audited."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from desadevisa.accounts.exceptions import UserInactive
from desadevisa.accounts.models import Invitation, PersonalAccessToken, RoleAssignment, User
from desadevisa.accounts.services import role_assignment_create, role_assignment_delete


class RoleAssignmentInline(admin.TabularInline):
    """The user's roles at a glance; they are given and taken on the role assignment pages."""

    model = RoleAssignment
    fields = ["role", "province", "organisation", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_demo"]
    list_filter = ["is_active", "is_demo", "is_staff", "role_assignments__role"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Demonstration"), {"fields": ["is_demo"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "email", "password1", "password2"]}),
    ]
    inlines = [RoleAssignmentInline]


class RoleAssignmentForm(forms.ModelForm):
    """The model checks the scope against the role; a deactivated account is refused here so
    that the page shows it rather than the service raising."""

    def clean_user(self) -> User:
        user = self.cleaned_data["user"]
        if not user.is_active:
            raise ValidationError(UserInactive(user.get_username()).message)
        return user


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Roles are given and taken, never edited: a change is a removal and a new assignment."""

    form = RoleAssignmentForm
    list_display = ["user", "role", "province", "organisation", "created_at"]
    list_filter = ["role", "province"]
    search_fields = ["user__username", "user__email", "organisation__legal_name"]
    raw_id_fields = ["user", "organisation"]
    list_select_related = ["user", "province", "organisation"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # The change page stays viewable; saving it would bypass the audited services.
        return False

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form, change: bool) -> None:
        created = role_assignment_create(
            actor=request.user,
            user=obj.user,
            role=obj.role,
            province=obj.province,
            organisation=obj.organisation,
        )
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        role_assignment_delete(actor=request.user, assignment=obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for assignment in queryset.select_related("user"):
            role_assignment_delete(actor=request.user, assignment=assignment)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the invitation page, which e-mails the link; here they are
    only looked at."""

    list_display = ["email", "role", "province", "organisation", "invited_by", "expires_at"]
    list_filter = ["role", "accepted_at"]
    search_fields = ["email"]
    fields = [
        "email",
        "role",
        "province",
        "organisation",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_user",
    ]
    readonly_fields = fields
    list_select_related = ["province", "organisation", "invited_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    """Tokens are created and revoked by their owners; the hash is never shown."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
