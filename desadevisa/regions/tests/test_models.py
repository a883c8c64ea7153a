import pytest

from desadevisa.regions.models import Village, search_key
from desadevisa.regions.tests.factories import DistrictFactory, VillageFactory


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Minggirsari", "minggirsari"),
        ("Minggir Sari", "minggirsari"),
        ("MÍNGGIR-sari", "minggirsari"),
        ("Kwawor Kecil Mata’Ata", "kwaworkecilmataata"),
        ("Kampung Baru (Dusun II)", "kampungbarudusunii"),
        ("Tanjung Batu 1", "tanjungbatu1"),
    ],
)
def test_search_key_folds_case_accents_spaces_and_punctuation(name, key):
    assert search_key(name) == key


@pytest.mark.django_db
def test_saving_a_village_keeps_its_search_name_in_step_with_its_name():
    village = VillageFactory(name="Minggirsari")
    assert village.search_name == "minggirsari"

    village.name = "Minggir Sari Baru"
    village.save(update_fields=["name"])

    village.refresh_from_db()
    assert village.search_name == "minggirsaribaru"


@pytest.mark.django_db
def test_path_names_the_village_district_regency_and_province(django_assert_num_queries):
    district = DistrictFactory(
        code="35.05.10",
        name="Kanigoro",
        regency__code="35.05",
        regency__name="Kabupaten Blitar",
        regency__province__code="35",
        regency__province__name="Jawa Timur",
    )
    VillageFactory(code="35.05.10.2001", name="Minggirsari", district=district)
    village = Village.objects.select_related("district__regency", "province").get()

    with django_assert_num_queries(0):
        path = village.path

    assert path == "Minggirsari — Kanigoro, Kabupaten Blitar, Jawa Timur"
