"""JSON answers for region pickers."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from desadevisa.regions.selectors import village_search

VILLAGE_SEARCH_RESULTS = 20


@require_GET
def village_search_view(request: HttpRequest) -> JsonResponse:
    """Up to 20 villages matching ``?q=`` by name or code prefix, with their path, in one query."""
    villages = village_search(query=request.GET.get("q", ""), limit=VILLAGE_SEARCH_RESULTS)
    return JsonResponse(
        {
            "results": [
                {"code": village.code, "name": village.name, "path": village.path}
                for village in villages
            ]
        }
    )
