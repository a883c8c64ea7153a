"""Verification visits in the admin, view only: the visit form and its services record the
checklist, the product review and the scores, and a submitted visit is evidence for the
decision, so nothing here adds, changes or deletes them."""

from django.contrib import admin

from desadevisa.core.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline
from desadevisa.verification.models import AspectScore, CriterionFinding, ProductReview, Visit


class CriterionFindingInline(ReadOnlyTabularInline):
    model = CriterionFinding
    fields = ["criterion", "finding", "note"]
    readonly_fields = fields


class ProductReviewInline(ReadOnlyTabularInline):
    model = ProductReview
    fields = ["sample_name", "quality_rating", "notes"]
    readonly_fields = fields


class AspectScoreInline(ReadOnlyTabularInline):
    model = AspectScore
    fields = ["aspect", "score", "note"]
    readonly_fields = fields


@admin.register(Visit)
class VisitAdmin(ReadOnlyModelAdmin):
    list_display = ["nomination", "planned_on", "state", "recommendation", "submitted_at"]
    list_filter = ["state", "recommendation"]
    search_fields = ["nomination__village__name", "nomination__village__code"]
    list_select_related = ["nomination__village", "nomination__cycle"]
    inlines = [CriterionFindingInline, ProductReviewInline, AspectScoreInline]
