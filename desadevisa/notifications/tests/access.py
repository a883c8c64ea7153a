"""Who may reach the inbox, for the permission matrix.

Every signed-in person has an inbox. A notification is its recipient's alone: the matrix's is
the Jawa Timur (or Jawa Tengah) provincial officer's, and everyone else gets 404.
"""

from __future__ import annotations

from desadevisa.core.tests.matrix import Access, ObjectScoped, SignedIn
from desadevisa.notifications.tests.factories import NotificationFactory


def _officers_notification(world, records) -> dict[str, object]:
    return {"pk": NotificationFactory(recipient=records.officer).pk}


PATTERNS: dict[str, Access] = {
    "notifications:inbox": SignedIn(),
    "notifications:inbox-badge": SignedIn(),
    "notifications:inbox-read-all": SignedIn(method="post", status=302),
    "notifications:notification-open": ObjectScoped(
        kwargs=_officers_notification,
        readers=frozenset({"provincial_officer"}),
        readers_everywhere=frozenset(),
        method="post",
        status=302,
    ),
}
