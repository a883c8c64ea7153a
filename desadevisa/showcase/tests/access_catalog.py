"""Who may reach the public catalog: anyone. An unknown product answers 404."""

from desadevisa.core.tests.matrix import Public

PATTERNS = {
    "showcase:product-list": Public(),
    "showcase:product": Public(status=404, kwargs={"slug": "no-such-product"}),
}
