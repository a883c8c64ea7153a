import factory
from factory.django import DjangoModelFactory

from desadevisa.accounts.tests.factories import UserFactory
from desadevisa.notifications.models import Notification, NotificationKind


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = NotificationKind.NOMINATION_RETURNED
    params = factory.LazyFunction(
        lambda: {
            "village": "Minggirsari",
            "province": "Jawa Timur",
            "cycle": "Desa Devisa 2022",
            "comment": "Lengkapi bukti keanggotaan koperasi.",
        }
    )
    link = factory.Sequence(lambda n: f"/id/programme/nominations/{n + 1}/")
