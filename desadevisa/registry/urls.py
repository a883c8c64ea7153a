from django.urls import path

from desadevisa.registry.views import craft_units, organisations, photos, villages

app_name = "registry"

VILLAGE = "villages/<str:code>/"
VILLAGE_PHOTO = f"{VILLAGE}photos/<int:pk>/"
ORGANISATION = "organisations/<int:pk>/"
MEMBERSHIP = "memberships/<int:pk>/"
CRAFT_UNIT = "craft-units/<int:pk>/"
CRAFT_UNIT_PHOTO = f"{CRAFT_UNIT}photos/<int:photo_pk>/"

urlpatterns = [
    # Village profiles
    path("villages/", villages.village_profile_list_view, name="village-profile-list"),
    path("villages/new/", villages.village_profile_create_view, name="village-profile-create"),
    path(VILLAGE, villages.village_profile_detail_view, name="village-profile-detail"),
    path(f"{VILLAGE}edit/", villages.village_profile_update_view, name="village-profile-update"),
    path(f"{VILLAGE}delete/", villages.village_profile_delete_view, name="village-profile-delete"),
    path(
        f"{VILLAGE}photos/add/",
        photos.village_profile_photo_add_view,
        name="village-profile-photo-add",
    ),
    path(
        f"{VILLAGE_PHOTO}edit/",
        photos.village_profile_photo_update_view,
        name="village-profile-photo-update",
    ),
    path(
        f"{VILLAGE_PHOTO}delete/",
        photos.village_profile_photo_delete_view,
        name="village-profile-photo-delete",
    ),
    path(
        f"{VILLAGE_PHOTO}<str:rendition>/",
        photos.village_profile_photo_view,
        name="village-profile-photo",
    ),
    # Organisations and their memberships
    path("organisations/", organisations.organisation_list_view, name="organisation-list"),
    path("organisations/new/", organisations.organisation_create_view, name="organisation-create"),
    path(ORGANISATION, organisations.organisation_detail_view, name="organisation-detail"),
    path(
        f"{ORGANISATION}edit/", organisations.organisation_update_view, name="organisation-update"
    ),
    path(
        f"{ORGANISATION}delete/",
        organisations.organisation_delete_view,
        name="organisation-delete",
    ),
    path(
        f"{ORGANISATION}members/new/",
        organisations.membership_create_view,
        name="membership-create",
    ),
    path("memberships/", organisations.membership_list_view, name="membership-list"),
    path(f"{MEMBERSHIP}edit/", organisations.membership_update_view, name="membership-update"),
    path(f"{MEMBERSHIP}delete/", organisations.membership_delete_view, name="membership-delete"),
    # Craft units
    path("craft-units/", craft_units.craft_unit_list_view, name="craft-unit-list"),
    path("craft-units/new/", craft_units.craft_unit_create_view, name="craft-unit-create"),
    path(CRAFT_UNIT, craft_units.craft_unit_detail_view, name="craft-unit-detail"),
    path(f"{CRAFT_UNIT}edit/", craft_units.craft_unit_update_view, name="craft-unit-update"),
    path(f"{CRAFT_UNIT}delete/", craft_units.craft_unit_delete_view, name="craft-unit-delete"),
    path(f"{CRAFT_UNIT}photos/add/", photos.craft_unit_photo_add_view, name="craft-unit-photo-add"),
    path(
        f"{CRAFT_UNIT_PHOTO}edit/",
        photos.craft_unit_photo_update_view,
        name="craft-unit-photo-update",
    ),
    path(
        f"{CRAFT_UNIT_PHOTO}delete/",
        photos.craft_unit_photo_delete_view,
        name="craft-unit-photo-delete",
    ),
    path(
        f"{CRAFT_UNIT_PHOTO}<str:rendition>/",
        photos.craft_unit_photo_view,
        name="craft-unit-photo",
    ),
]
