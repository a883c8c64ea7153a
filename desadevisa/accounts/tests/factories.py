"""Factories for people and the roles they hold."""

import factory
from factory.django import DjangoModelFactory

from desadevisa.accounts.models import Role, RoleAssignment, User

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.PROGRAMME_OFFICER


def user_with_role(role: str, *, province=None, organisation=None, **user_fields) -> User:
    """A user holding one role, scoped to a province or organisation where the role needs it."""
    user = UserFactory(**user_fields)
    RoleAssignmentFactory(user=user, role=role, province=province, organisation=organisation)
    return user
