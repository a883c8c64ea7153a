"""Who may reach the registry's pages, for the permission matrix."""

from desadevisa.core.tests.matrix import NATIONAL_READERS, ROLES, Access, ObjectScoped, SignedIn

PATTERNS: dict[str, Access] = {
    "registry:village-profile-list": SignedIn(),
    "registry:village-profile-detail": ObjectScoped(
        kwargs=lambda world, records: {"code": records.profile.village_id},
        readers=frozenset(ROLES),
        readers_everywhere=NATIONAL_READERS,
    ),
}
