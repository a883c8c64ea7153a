"""Reads for the public showcase: only what may be shown to anyone, ready to render."""

from django.db.models import QuerySet

from desadevisa.registry.models import VillageProfile


def village_profile_public_list() -> QuerySet[VillageProfile]:
    """Public village profiles by village name, with the whole region path joined in."""
    return (
        VillageProfile.objects.filter(is_public=True)
        .select_related("village__district__regency__province")
        .order_by("village__name", "pk")
    )
