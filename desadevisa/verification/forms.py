"""The forms of the visit pages: scheduling, the visit form with its product reviews, photos."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from desadevisa.accounts.models import Role, User
from desadevisa.core.bounds import PROGRAMME_DATES
from desadevisa.core.editing import VERSION_FIELD, record_version
from desadevisa.registry.forms import MultipleFileInput, MultipleImageField
from desadevisa.verification.models import (
    CRITERION_CHOICES,
    SCORE_MAX,
    SCORE_MIN,
    Aspect,
    Finding,
    Recommendation,
)
from desadevisa.verification.selectors import VisitRecord

SCORE_CHOICES = [("", "—"), *((str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1))]
MAX_REVIEWS = 50


def verifier_candidates(*, nomination):
    """Active accounts holding the verifier role, except the nomination's submitter."""
    rows = User.objects.filter(
        is_active=True, pk__in=User.objects.filter(role_assignments__role=Role.VERIFIER)
    ).order_by("username")
    if nomination.submitted_by_id is not None:
        rows = rows.exclude(pk=nomination.submitted_by_id)
    return rows


class VerifierChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.get_username()})" if full_name else obj.get_username()


class VisitScheduleForm(forms.Form):
    date_bounds = {"planned_on": PROGRAMME_DATES}

    planned_on = forms.DateField(
        label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    verifiers = VerifierChoiceField(
        label=_("Verifiers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People holding the verifier role; the nomination's submitter is left out."),
    )

    def __init__(self, *args, nomination, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verifiers"].queryset = verifier_candidates(nomination=nomination)


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VisitForm(forms.Form):
    """Everything the team fills in on the visit, in one form: findings per criterion, scores
    per aspect, the overall findings and the recommendation (reviews are a formset beside)."""

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)
    overall_findings = forms.CharField(
        label=_("Overall findings"), widget=_textarea(4), required=False
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    recommendation_note = forms.CharField(
        label=_("Note on the recommendation"), widget=_textarea(3), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, label in CRITERION_CHOICES:
            self.fields[f"finding_{code}"] = forms.ChoiceField(
                label=label, choices=Finding.choices, widget=forms.RadioSelect, required=False
            )
            self.fields[f"finding_note_{code}"] = forms.CharField(
                label=_("Note"), widget=_textarea(), required=False
            )
        for aspect in Aspect:
            self.fields[f"score_{aspect.value}"] = forms.TypedChoiceField(
                label=aspect.label,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.Select(attrs={"data-aspect-score": ""}),
            )
            self.fields[f"score_note_{aspect.value}"] = forms.CharField(
                label=_("Note"), widget=_textarea(), required=False
            )

    @staticmethod
    def initial_from(record: VisitRecord) -> dict[str, Any]:
        visit = record.visit
        initial: dict[str, Any] = {
            VERSION_FIELD: record_version(visit),
            "overall_findings": visit.overall_findings,
            "recommendation": visit.recommendation,
            "recommendation_note": visit.recommendation_note,
        }
        for code, row in record.findings.items():
            initial[f"finding_{code}"] = row.finding
            initial[f"finding_note_{code}"] = row.note
        for line in record.scores:
            if line.score is not None:
                initial[f"score_{line.aspect}"] = str(line.score.score)
                initial[f"score_note_{line.aspect}"] = line.score.note
        return initial

    def criterion_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (code, self[f"finding_{code}"], self[f"finding_note_{code}"])
            for code, _label in CRITERION_CHOICES
        ]

    def score_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"score_{a.value}"], self[f"score_note_{a.value}"]) for a in Aspect]

    def draft(self) -> dict[str, Any]:
        """The cleaned values as ``visit_draft_save`` takes them (reviews apart)."""
        data = self.cleaned_data
        return {
            "findings": {
                code: {"finding": data[f"finding_{code}"], "note": data[f"finding_note_{code}"]}
                for code, _label in CRITERION_CHOICES
            },
            "scores": {
                a.value: {"score": data[f"score_{a.value}"], "note": data[f"score_note_{a.value}"]}
                for a in Aspect
            },
            "overall_findings": data["overall_findings"],
            "recommendation": data["recommendation"],
            "recommendation_note": data["recommendation_note"],
        }


class ProductReviewForm(forms.Form):
    """One product sample's review; a row left empty is ignored."""

    sample_name = forms.CharField(label=_("Product sample"), max_length=200, required=False)
    quality_rating = forms.TypedChoiceField(
        label=_("Quality rating (1 to 5)"),
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(label=_("Notes"), widget=_textarea(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name, rating = data.get("sample_name"), data.get("quality_rating")
        if name and rating is None:
            self.add_error("quality_rating", _("Give the sample a quality rating."))
        if rating is not None and not name:
            self.add_error("sample_name", _("Name the product sample you rated."))
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("sample_name") and data.get("quality_rating") is None


class BaseProductReviewFormSet(forms.BaseFormSet):
    def reviews(self) -> list[dict[str, Any]]:
        """The rows kept, as ``visit_draft_save`` takes them."""
        return [
            {
                "sample_name": form.cleaned_data["sample_name"],
                "quality_rating": form.cleaned_data["quality_rating"],
                "notes": form.cleaned_data["notes"],
            }
            for form in self.forms
            if form.has_changed()
            and not form.is_blank
            and not (self.can_delete and self._should_delete_form(form))
        ]


ProductReviewFormSet = forms.formset_factory(
    ProductReviewForm,
    formset=BaseProductReviewFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_REVIEWS,
    validate_max=True,
    absolute_max=MAX_REVIEWS,
)


def review_initial(record: VisitRecord) -> list[dict[str, Any]]:
    return [
        {"sample_name": r.sample_name, "quality_rating": str(r.quality_rating), "notes": r.notes}
        for r in record.reviews
    ]


class CameraInput(MultipleFileInput):
    """The phone opens its camera (or its gallery) for the photo field."""

    def __init__(self) -> None:
        super().__init__(attrs={"accept": "image/*", "capture": "environment"})


class VisitPhotoForm(forms.Form):
    photos = MultipleImageField(
        label=_("Photos"),
        widget=CameraInput(),
        help_text=_(
            "Photos taken on the spot: their GPS position and time are read from the camera's "
            "data, which phones record when location is on for the camera."
        ),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    criterion = forms.TypedChoiceField(
        label=_("Evidence for the criterion"),
        choices=[("", _("None: a photo of the visit")), *CRITERION_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
