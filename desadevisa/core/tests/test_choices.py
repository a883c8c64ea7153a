import pytest
from django.template import Context, Template
from django.utils import translation

from desadevisa.registry.models import Organisation, OrganisationKind


def rendered(record) -> str:
    template = Template('{% load choices %}{{ record|choice_label:"kind" }}')
    return template.render(Context({"record": record}))


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("kind", list(OrganisationKind))
def test_choice_label_is_the_label_get_display_gives(language, kind):
    record = Organisation(kind=kind)

    with translation.override(language):
        assert rendered(record) == record.get_kind_display()


def test_choice_label_follows_the_active_language():
    record = Organisation(kind=OrganisationKind.COOPERATIVE)

    with translation.override("en"):
        english = rendered(record)
    with translation.override("id"):
        indonesian = rendered(record)

    assert english == "Cooperative"
    assert indonesian != english


def test_choice_label_shows_a_value_outside_the_choices_as_it_is():
    assert rendered(Organisation(kind="guild")) == "guild"
