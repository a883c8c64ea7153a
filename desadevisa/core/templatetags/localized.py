"""Template access to bilingual fields (``story_id``/``story_en``) in the active language."""

from django import template

from desadevisa.core.i18n import LocalizedText, localized_text

register = template.Library()


@register.simple_tag
def localized(obj: object, field: str) -> LocalizedText:
    """``{% localized profile "story" as story %}``: then ``story.text`` and ``story.lang``."""
    return localized_text(obj, field)
