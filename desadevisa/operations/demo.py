"""The demonstration data: the Minggirsari story of the specification, labelled as demo.

Every row is written with ``origin=demo`` (people with ``is_demo``) and found again by a natural
key (a code, a name, a year), so loading twice changes nothing and a newer demo brings the rows
of an older one up to date.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from io import BytesIO
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw, ImageFont

from desadevisa.accounts.models import Role, RoleAssignment, User
from desadevisa.catalog.models import HSCode, Product, ProductPhoto
from desadevisa.core.models import PHOTO_RENDITIONS, DataOrigin, Photo
from desadevisa.core.uploads import image_process
from desadevisa.exports.models import ExchangeRate, ExportShipment
from desadevisa.nominations.models import (
    CycleDateOverride,
    Designation,
    DesignationStatus,
    Nomination,
    NominationEvent,
    NominationEventKind,
    NominationState,
    ProgrammeCycle,
    ProvinceQuota,
    QuotaRaiseRequest,
    QuotaRequestState,
)
from desadevisa.nominations.screening import nomination_screen, uniqueness_review_of
from desadevisa.regions.models import Country, Province, Village
from desadevisa.registry.models import (
    CraftUnit,
    CraftUnitPhoto,
    Membership,
    Organisation,
    OrganisationKind,
    QuantityUnit,
    VillageProfile,
    VillageProfilePhoto,
)
from desadevisa.showcase.models import DisplayItem, Exhibition, ExhibitionVenue
from desadevisa.support.models import (
    DesignDeliverable,
    Disbursement,
    MarketChannel,
    SupportItem,
    SupportKind,
    SupportStatus,
)
from desadevisa.verification.models import (
    Aspect,
    AspectScore,
    CriterionFinding,
    Finding,
    ProductReview,
    Recommendation,
    Visit,
    VisitState,
)

# Shared by every demonstration account, documented and printed by `desadevisa up` on purpose.
DEMO_PASSWORD = "demo-desa-devisa"  # noqa: S105

ModelT = TypeVar("ModelT", bound=models.Model)
Progress = Callable[[str], None]
Drawing = Callable[[ImageDraw.ImageDraw], None]


class ReferenceDataMissing(Exception):
    """The demo stands on regions, countries and HS codes that are not in the database."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        super().__init__(
            gettext("Reference data is missing: %(missing)s.") % {"missing": ", ".join(missing)}
        )


class DemoConflict(Exception):
    """A row the demo would write already exists as real data; the demo never overwrites it."""

    def __init__(self, record: models.Model) -> None:
        self.record = record
        super().__init__(
            gettext("%(model)s “%(record)s” already exists as real data; the demo leaves it alone.")
            % {"model": record._meta.verbose_name, "record": record}
        )


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    scope: str
    password: str


@dataclass(frozen=True)
class DemoSummary:
    """Demonstration rows in the database after a load, and what this load wrote."""

    village_profiles: int
    craft_units: int
    products: int
    photos: int
    export_shipments: int
    nominations: int
    exhibitions: int
    accounts: int
    rows_written: int
    photos_generated: int


# Pictures are drawn here: the demo needs no download and shows no photo of a real person.
SAND = (246, 231, 206)
WOOD = (133, 64, 27)
WOOD_DARK = (90, 40, 16)
SKIN = (238, 217, 176)
ROPE = (214, 172, 92)
RATTAN = (196, 142, 74)
CLAY = (178, 86, 48)
INK = (70, 36, 18)


def _drum(
    *,
    centre: int,
    base: int,
    scale: float,
    body: tuple[int, int, int] = WOOD,
    painted: bool = False,
) -> Drawing:
    def draw(canvas: ImageDraw.ImageDraw) -> None:
        def at(x: float, y: float) -> tuple[float, float]:
            return centre + x * scale, base + y * scale

        canvas.polygon(
            [
                at(-150, -400),
                at(150, -400),
                at(110, -300),
                at(45, -190),
                at(-45, -190),
                at(-110, -300),
            ],
            fill=body,
        )
        canvas.polygon([at(-45, -190), at(45, -190), at(95, -15), at(-95, -15)], fill=body)
        canvas.ellipse([at(-95, -35), at(95, 5)], fill=WOOD_DARK)
        if painted:
            for x in range(-60, 61, 30):
                canvas.ellipse([at(x - 9, -262), at(x + 9, -244)], fill=SKIN)
        for step in range(8):
            top = -140 + step * 35
            canvas.line([at(top, -395), at(top * 0.7 + 17, -300)], fill=ROPE, width=4)
            canvas.line([at(top * 0.7 + 17, -300), at(top + 35, -395)], fill=ROPE, width=4)
        canvas.ellipse([at(-155, -430), at(155, -380)], fill=SKIN, outline=WOOD_DARK, width=5)

    return draw


def _chair(canvas: ImageDraw.ImageDraw) -> None:
    canvas.rounded_rectangle([300, 140, 660, 400], radius=60, fill=RATTAN, outline=INK, width=5)
    canvas.rectangle([270, 380, 690, 450], fill=RATTAN, outline=INK, width=5)
    for x in range(320, 660, 24):
        canvas.line([x, 160, x, 390], fill=WOOD, width=3)
    for leg in (290, 650):
        canvas.rectangle([leg, 450, leg + 20, 620], fill=WOOD_DARK)


def _pot(canvas: ImageDraw.ImageDraw) -> None:
    canvas.ellipse([300, 250, 660, 610], fill=CLAY, outline=INK, width=5)
    canvas.rectangle([410, 160, 550, 280], fill=CLAY)
    canvas.ellipse([390, 140, 570, 180], fill=WOOD_DARK)
    for y in (360, 390, 420):
        canvas.arc([320, y - 120, 640, y + 120], 20, 160, fill=SAND, width=4)


def _picture(*drawings: Drawing, label: str) -> ContentFile:
    image = Image.new("RGB", (960, 720), SAND)
    canvas = ImageDraw.Draw(image)
    for draw in drawings:
        draw(canvas)
    canvas.text((36, 24), "DEMO", fill=INK, font=ImageFont.load_default(size=72))
    canvas.text((36, 660), label, fill=INK, font=ImageFont.load_default(size=30))
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="demo.jpg")


@dataclass(frozen=True)
class _Unit:
    name: str
    owner: str
    women: int
    men: int
    capacity: int
    joined: date
    business_id: str = ""
    left: date | None = None

    @property
    def is_active(self) -> bool:
        # In the demo a unit that has stopped working has also left its organisation.
        return self.left is None


@dataclass(frozen=True)
class _Shipment:
    country: str
    shipped_on: date
    quantity: int
    value: str
    currency: str
    usd_per_unit: str
    idr_per_usd: str
    peb_number: str


@dataclass(frozen=True)
class _Photo:
    caption: str
    drawings: tuple[Drawing, ...]


@dataclass(frozen=True)
class _VillageStory:
    village: str
    commodity: str
    story_id: str
    story_en: str
    organisation_kind: str
    organisation_name: str
    registration_number: str
    address: str
    units: tuple[_Unit, ...]
    hs_code: str
    product: dict[str, Any]
    photos: tuple[_Photo, ...]
    shipments: tuple[_Shipment, ...] = field(default=())


MINGGIRSARI = _VillageStory(
    village="35.05.10.2001",
    commodity="Kendang djimbe",
    story_id=(
        "Di Desa Minggirsari, Kecamatan Kanigoro, Kabupaten Blitar, Jawa Timur, banyak rumah "
        "tangga membuat kendang djimbe. Badan kendang dibubut dan dipahat dari kayu mahoni, "
        "ditutup kulit kambing, lalu dikencangkan dengan tali. Kendang dari Minggirsari sudah "
        "diekspor ke beberapa negara. Dinas Perindustrian dan Perdagangan Jawa Timur mengusulkan "
        "desa ini sebagai Desa Devisa; gubernur mengunjungi bengkel Pak Basuki dan mendukung "
        "usulan itu.\n\nData contoh: nama unit usaha, angka, dan pengiriman di sini adalah "
        "contoh."
    ),
    story_en=(
        "In Desa Minggirsari, Kanigoro district, Blitar regency, East Java, many households make "
        "kendang djimbe, djembe drums. The bodies are turned and carved from mahogany, covered "
        "with goat skin and tightened with rope. Minggirsari's drums are already exported to "
        "several countries. The East Java trade office proposes the village as a Desa Devisa; "
        "the governor visits Pak Basuki's workshop and backs the nomination.\n\nDemonstration "
        "data: the craft units, figures and shipments shown here are examples."
    ),
    organisation_kind=OrganisationKind.COOPERATIVE,
    organisation_name="Koperasi Pengrajin Kendang Minggirsari",
    registration_number="AHU-0001729.AH.01.26.TAHUN 2019",
    address="Jl. Raya Minggirsari, Kecamatan Kanigoro, Kabupaten Blitar, Jawa Timur",
    units=(
        _Unit(
            "Bengkel Kendang Pak Basuki", "Basuki", 5, 11, 400, date(2019, 2, 1), "9120001234561"
        ),
        _Unit("Djimbe Sari Kanigoro", "Siti Rohmah", 7, 4, 220, date(2019, 2, 1)),
        _Unit(
            "Kendang Mahoni Jaya", "Agus Priyanto", 3, 9, 300, date(2019, 5, 13), "9120001234578"
        ),
        _Unit("Rumah Kendang Lestari", "Lestari Handayani", 6, 3, 180, date(2020, 1, 6)),
        _Unit("Pengrajin Djimbe Mbah Karto", "Sukarto", 2, 6, 150, date(2020, 3, 2)),
        _Unit("Tali dan Kulit Minggir", "Sri Wahyuni", 8, 2, 250, date(2021, 7, 1)),
        _Unit(
            "Bubut Kayu Slamet",
            "Slamet Santoso",
            0,
            3,
            80,
            date(2019, 2, 1),
            left=date(2021, 6, 30),
        ),
    ),
    hs_code="9206",
    product={
        "slug": "kendang-djimbe-minggirsari",
        "name_id": "Kendang Djimbe",
        "name_en": "Kendang Djimbe (djembe drum)",
        "description_id": (
            "Kendang djimbe buatan tangan dari Minggirsari, Blitar: badan kayu mahoni yang dibubut "
            "dan dipahat, kulit kambing, dan tali penyetem. Tersedia dalam beberapa ukuran, "
            "tinggi 30 sampai 60 cm, polos, berukir, atau bercat motif."
        ),
        "description_en": (
            "Hand-made djembe drums from Minggirsari, Blitar: a turned and carved mahogany body, "
            "a goat-skin head and tuning rope. Several sizes, 30 to 60 cm high, plain, carved or "
            "painted."
        ),
        "materials": "Mahogany (mahoni) wood body, goat skin head, braided tuning rope.",
        "uniqueness_statement": (
            "Each body is turned and carved by hand from one piece of mahogany and finished with "
            "motifs drawn by the village's artisans, so no two drums are alike."
        ),
        "origin_statement": (
            "Every step, from turning the body to fitting and tuning the skin, is done in the "
            "workshops of Desa Minggirsari."
        ),
        "price_min": Decimal("12.00"),
        "price_max": Decimal("95.00"),
        "currency": "USD",
        "minimum_order": 50,
        "order_unit": QuantityUnit.PIECE,
        "lead_time_days": 45,
        "monthly_capacity": 1200,
        "is_public": True,
    },
    photos=(
        _Photo("Kendang djimbe, carved mahogany body", (_drum(centre=480, base=640, scale=1.2),)),
        _Photo(
            "Three sizes",
            (
                _drum(centre=230, base=640, scale=0.7),
                _drum(centre=480, base=640, scale=1.0),
                _drum(centre=740, base=640, scale=0.85, body=WOOD_DARK),
            ),
        ),
        _Photo("Painted motif", (_drum(centre=480, base=640, scale=1.2, body=CLAY, painted=True),)),
    ),
    shipments=(
        _Shipment("US", date(2020, 3, 17), 300, "9600", "USD", "1", "15400", "017452"),
        _Shipment("JP", date(2020, 9, 8), 120, "480000", "JPY", "0.0094", "14800", "062318"),
        _Shipment("DE", date(2020, 11, 24), 200, "5400", "EUR", "1.19", "14150", "081127"),
        _Shipment("AU", date(2021, 2, 16), 150, "6900", "AUD", "0.77", "14000", "010934"),
        _Shipment("NL", date(2021, 6, 22), 250, "6750", "EUR", "1.19", "14350", "044871"),
        _Shipment("US", date(2021, 10, 5), 400, "13200", "USD", "1", "14250", "073506"),
        _Shipment("FR", date(2022, 2, 14), 180, "4860", "EUR", "1.13", "14350", "009842"),
        _Shipment("JP", date(2022, 5, 30), 160, "690000", "JPY", "0.0078", "14600", "038215"),
        _Shipment("US", date(2022, 8, 9), 500, "17500", "USD", "1", "14850", "057731"),
    ),
)

TRANGSAN = _VillageStory(
    village="33.11.11.2013",
    commodity="Mebel rotan",
    story_id=(
        "Desa Trangsan di Kecamatan Gatak, Kabupaten Sukoharjo, Jawa Tengah, menganyam rotan "
        "menjadi kursi dan mebel untuk pembeli di luar negeri.\n\nData contoh."
    ),
    story_en=(
        "Desa Trangsan, in Gatak district, Sukoharjo regency, Central Java, weaves rattan into "
        "chairs and furniture for buyers abroad.\n\nDemonstration data."
    ),
    organisation_kind=OrganisationKind.ASSOCIATION,
    organisation_name="Asosiasi Pengrajin Rotan Trangsan",
    registration_number="AHU-0012345.AH.01.07.TAHUN 2018",
    address="Desa Trangsan, Kecamatan Gatak, Kabupaten Sukoharjo, Jawa Tengah",
    units=(
        _Unit("Rotan Jaya Trangsan", "Sutrisno", 6, 14, 120, date(2018, 4, 2), "9120005551230"),
        _Unit("Anyam Rotan Gatak", "Wahyuningsih", 12, 5, 90, date(2018, 4, 2)),
        _Unit("Trangsan Rattan Craft", "Bambang Haryanto", 4, 10, 100, date(2019, 1, 14)),
        _Unit("Mebel Rotan Sri Rejeki", "Sri Lestari", 9, 6, 80, date(2020, 8, 3)),
    ),
    hs_code="940153",
    product={
        "slug": "kursi-rotan-trangsan",
        "name_id": "Kursi Rotan Trangsan",
        "name_en": "Trangsan rattan armchair",
        "description_id": "Kursi rotan anyaman tangan dengan rangka kayu jati.",
        "description_en": "Hand-woven rattan armchair on a teak frame.",
        "materials": "Natural rattan (rotan) cane and core, teak frame, natural lacquer.",
        "uniqueness_statement": (
            "A weave pattern passed down in Trangsan's workshops, finished by hand."
        ),
        "origin_statement": "Woven and finished in the workshops of Desa Trangsan.",
        "price_min": Decimal("35.00"),
        "price_max": Decimal("180.00"),
        "currency": "USD",
        "minimum_order": 40,
        "order_unit": QuantityUnit.PIECE,
        "lead_time_days": 60,
        "monthly_capacity": 350,
        "is_public": True,
    },
    photos=(_Photo("Rattan armchair", (_chair,)),),
    shipments=(
        _Shipment("NL", date(2020, 7, 14), 80, "6400", "EUR", "1.14", "14600", "052214"),
        _Shipment("DE", date(2021, 3, 9), 120, "9100", "EUR", "1.19", "14400", "019370"),
        _Shipment("US", date(2021, 9, 21), 200, "18000", "USD", "1", "14250", "068843"),
        _Shipment("KR", date(2022, 4, 12), 60, "6500000", "KRW", "0.00081", "14400", "027561"),
        _Shipment("AU", date(2022, 10, 18), 90, "11250", "AUD", "0.64", "15500", "079102"),
    ),
)

# Banyumulek falls short of the cycle's threshold of active craft units (criterion 3): two
# active units make its pottery, the third has stopped.
BANYUMULEK = _VillageStory(
    village="52.01.02.2006",
    commodity="Gerabah",
    story_id=(
        "Perempuan Desa Banyumulek, Kecamatan Kediri, Kabupaten Lombok Barat, membentuk gerabah "
        "dari tanah liat setempat.\n\nData contoh."
    ),
    story_en=(
        "The women of Desa Banyumulek, Kediri district, West Lombok, shape earthenware from "
        "local clay.\n\nDemonstration data."
    ),
    organisation_kind=OrganisationKind.COOPERATIVE,
    organisation_name="Koperasi Gerabah Banyumulek",
    registration_number="AHU-0020418.AH.01.26.TAHUN 2020",
    address="Desa Banyumulek, Kecamatan Kediri, Kabupaten Lombok Barat, Nusa Tenggara Barat",
    units=(
        _Unit("Gerabah Sasak Banyumulek", "Mariani", 9, 2, 600, date(2020, 6, 1)),
        _Unit("Sentosa Keramik Lombok", "Lalu Muhammad Zaini", 3, 4, 400, date(2020, 6, 1)),
        _Unit(
            "Tanah Liat Inaq Sahnun", "Sahnun", 5, 0, 150, date(2020, 6, 1), left=date(2021, 12, 31)
        ),
    ),
    hs_code="6913",
    product={
        "slug": "gerabah-banyumulek",
        "name_id": "Gerabah Banyumulek",
        "name_en": "Banyumulek earthenware vase",
        "description_id": "Vas gerabah yang dibentuk tangan dan dibakar di tungku desa.",
        "description_en": "Earthenware vase, shaped by hand and fired in the village kiln.",
        "materials": "Local clay, rattan wrapping.",
        "uniqueness_statement": "Sasak motifs burnished into the clay by hand.",
        "origin_statement": "Shaped, fired and finished in Desa Banyumulek.",
        "price_min": Decimal("4.00"),
        "price_max": Decimal("40.00"),
        "currency": "USD",
        "minimum_order": 100,
        "order_unit": QuantityUnit.PIECE,
        "lead_time_days": 30,
        "monthly_capacity": 700,
        "is_public": False,
    },
    photos=(_Photo("Earthenware vase", (_pot,)),),
    shipments=(_Shipment("AU", date(2021, 8, 24), 400, "5200", "AUD", "0.73", "14400", "064417"),),
)

STORIES = (MINGGIRSARI, TRANGSAN, BANYUMULEK)

# Jawa Timur had twenty ready villages for its fifteen places in 2022: Minggirsari and these
# nineteen villages of Kabupaten Blitar, in the province's order. The first fourteen hold a
# place with Minggirsari, the last five wait on the waiting list.
BLITAR_DISTRICTS = {
    "35.05.10": "Kanigoro",
    "35.05.11": "Garum",
    "35.05.12": "Sutojayan",
    "35.05.13": "Panggungrejo",
}
JAWA_TIMUR_READY = (
    ("35.05.10.2002", "Jatinom", "9206"),
    ("35.05.10.2003", "Gogodeso", "6913"),
    ("35.05.10.2004", "Gaprang", "9206"),
    ("35.05.10.2005", "Papungan", "6913"),
    ("35.05.10.2006", "Tlogo", "9206"),
    ("35.05.10.2007", "Karangsono", "6913"),
    ("35.05.10.2009", "Banggle", "9206"),
    ("35.05.11.2001", "Pojok", "6913"),
    ("35.05.11.2005", "Tingal", "9206"),
    ("35.05.11.2007", "Slorok", "6913"),
    ("35.05.11.2008", "Sidodadi", "9206"),
    ("35.05.11.2009", "Karangrejo", "6913"),
    ("35.05.12.2001", "Pandanarum", "9206"),
    ("35.05.12.2009", "Bacem", "6913"),
    ("35.05.13.2001", "Serang", "9206"),
    ("35.05.13.2002", "Kalitengah", "6913"),
    ("35.05.13.2003", "Margomulyo", "9206"),
    ("35.05.13.2004", "Panggungrejo", "6913"),
    ("35.05.13.2005", "Sumbersih", "9206"),
)
JAWA_TIMUR_WAITING = 5
READY_PRODUCTS = {
    "9206": ("Kendang", "hand drum", "Mahogany wood, goat skin, rope."),
    "6913": ("Gerabah", "earthenware", "Local clay."),
}
READY_OWNERS = ("Sumarni", "Joko Susilo", "Endang Wulandari")

# Rupiah per unit of each currency of the demo's shipments, from the first day of each half-year:
# round illustrative figures, not official rates.
EXCHANGE_RATE_DAYS = (
    date(2020, 1, 1),
    date(2020, 7, 1),
    date(2021, 1, 1),
    date(2021, 7, 1),
    date(2022, 1, 1),
    date(2022, 7, 1),
)
EXCHANGE_RATES = {
    "USD": ("13900", "14300", "14100", "14400", "14300", "14900"),
    "EUR": ("15600", "16100", "17200", "17100", "16200", "15200"),
    "JPY": ("127.5", "132.9", "136.4", "130.2", "124.0", "109.8"),
    "AUD": ("9750", "9900", "10800", "10800", "10300", "10200"),
    "KRW": ("12.0", "11.9", "12.9", "12.6", "12.0", "11.4"),
}

# Jawa Timur's 2022 quota of 15 comes from the specification; the others are examples.
CYCLES = {
    2021: ("Desa Devisa 2021", {"35": 10, "33": 8, "51": 6, "52": 5}),
    2022: ("Desa Devisa 2022", {"35": 15, "33": 10, "51": 8, "52": 6}),
}


@dataclass(frozen=True)
class _AccountSpec:
    username: str
    role: str
    last_name: str
    province: str | None = None
    organisation: _VillageStory | None = None


ACCOUNTS = (
    _AccountSpec("demo-admin", Role.ADMINISTRATOR, "Administrator"),
    _AccountSpec("demo-programme", Role.PROGRAMME_OFFICER, "Programme Officer"),
    _AccountSpec("demo-verifier", Role.VERIFIER, "Verifier"),
    _AccountSpec("demo-jatim", Role.PROVINCIAL_OFFICER, "Disperindag Jawa Timur", province="35"),
    _AccountSpec(
        "demo-koperasi",
        Role.ORGANISATION_MANAGER,
        "Koperasi Minggirsari",
        organisation=MINGGIRSARI,
    ),
)

REQUIRED_VILLAGES = (
    *(story.village for story in STORIES),
    *(code for code, _name, _hs in JAWA_TIMUR_READY),
)
REQUIRED_PROVINCES = tuple(sorted({code for _, quotas in CYCLES.values() for code in quotas}))
REQUIRED_HS_CODES = tuple(story.hs_code for story in STORIES)
REQUIRED_COUNTRIES = tuple(
    sorted({shipment.country for story in STORIES for shipment in story.shipments})
)


@dataclass
class _Reference:
    villages: dict[str, Village]
    provinces: dict[str, Province]
    hs_codes: dict[str, HSCode]
    countries: dict[str, Country]


def _reference_get() -> _Reference:
    reference = _Reference(
        villages=Village.objects.in_bulk(REQUIRED_VILLAGES),
        provinces=Province.objects.in_bulk(REQUIRED_PROVINCES),
        hs_codes=HSCode.objects.in_bulk(REQUIRED_HS_CODES),
        countries=Country.objects.in_bulk(REQUIRED_COUNTRIES),
    )
    wanted = [
        (gettext("village"), REQUIRED_VILLAGES, reference.villages),
        (gettext("province"), REQUIRED_PROVINCES, reference.provinces),
        (gettext("HS code"), REQUIRED_HS_CODES, reference.hs_codes),
        (gettext("country"), REQUIRED_COUNTRIES, reference.countries),
    ]
    missing = [
        f"{kind} {code}" for kind, codes, found in wanted for code in codes if code not in found
    ]
    if missing:
        raise ReferenceDataMissing(missing)
    return reference


class _Writer:
    """Writes demonstration rows by natural key, counting only what it changes."""

    def __init__(self) -> None:
        self.rows_written = 0
        self.photos_generated = 0
        self.saved_files: list[str] = []

    def upsert(
        self,
        model: type[ModelT],
        *,
        lookup: dict[str, Any],
        values: dict[str, Any] | None = None,
        initial: dict[str, Any] | None = None,
    ) -> ModelT:
        """Create the row, or bring it to ``values``; ``initial`` applies only to a new row.

        Workflow fields (a nomination's state) go in ``initial``: a second load must not undo
        what people did with the demo since.
        """
        values = values or {}
        row = model._default_manager.filter(**lookup).first()
        if row is None:
            self.rows_written += 1
            return model._default_manager.create(
                **lookup, **values, **(initial or {}), origin=DataOrigin.DEMO
            )
        if row.origin != DataOrigin.DEMO:
            raise DemoConflict(row)
        changed = [name for name, value in values.items() if _differs(row, name, value)]
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            row.save(update_fields=[*changed, "updated_at"])
            self.rows_written += 1
        return row

    def photo(
        self,
        model: type[Photo],
        *,
        lookup: dict[str, Any],
        photo: _Photo,
        values: dict[str, Any] | None = None,
    ) -> None:
        row = self.upsert(model, lookup=lookup, values={"caption": photo.caption, **(values or {})})
        if all(
            row.rendition(name) and row.rendition(name).storage.exists(row.rendition(name).name)
            for name in PHOTO_RENDITIONS
        ):
            return
        row.set_image(image_process(_picture(*photo.drawings, label=photo.caption)))
        row.save(update_fields=[*PHOTO_RENDITIONS, "width", "height", "updated_at"])
        self.saved_files.extend(row.stored_files())
        self.photos_generated += 1

    def user(self, spec: _AccountSpec) -> User:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                email=f"{spec.username}@example.org",
                first_name="Demo",
                last_name=spec.last_name,
                is_demo=True,
                is_staff=spec.role == Role.ADMINISTRATOR,
                is_superuser=spec.role == Role.ADMINISTRATOR,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.rows_written += 1
        elif not user.is_demo:
            raise DemoConflict(user)
        return user


def _differs(row: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):
        # Compare keys: reading the related row would cost a query per field.
        return getattr(row, row._meta.get_field(name).attname) != value.pk
    return getattr(row, name) != value


def _story_load(writer: _Writer, reference: _Reference, story: _VillageStory) -> Product:
    village = reference.villages[story.village]
    profile = writer.upsert(
        VillageProfile,
        lookup={"village": village},
        values={
            "flagship_commodity": story.commodity,
            "story_id": story.story_id,
            "story_en": story.story_en,
            "is_public": story.product["is_public"],
        },
    )
    organisation = writer.upsert(
        Organisation,
        lookup={"kind": story.organisation_kind, "registration_number": story.registration_number},
        values={
            "legal_name": story.organisation_name,
            "address": story.address,
            "village": village,
        },
    )
    units = []
    for spec in story.units:
        unit = writer.upsert(
            CraftUnit,
            lookup={"village": village, "name": spec.name},
            values={
                "owner_name": spec.owner,
                "workers_women": spec.women,
                "workers_men": spec.men,
                "monthly_capacity": spec.capacity,
                "capacity_unit": QuantityUnit.PIECE,
                "business_id": spec.business_id,
                "is_active": spec.is_active,
            },
        )
        writer.upsert(
            Membership,
            lookup={"craft_unit": unit, "organisation": organisation, "started_on": spec.joined},
            values={"ended_on": spec.left},
        )
        units.append(unit)
    values = {**story.product, "village": village, "hs_code": reference.hs_codes[story.hs_code]}
    product = writer.upsert(Product, lookup={"slug": values.pop("slug")}, values=values)
    if set(product.craft_units.values_list("pk", flat=True)) != {unit.pk for unit in units}:
        product.craft_units.set(units)
        writer.rows_written += 1
    for position, photo in enumerate(story.photos, start=1):
        writer.photo(
            ProductPhoto,
            lookup={"product": product, "position": position},
            photo=photo,
            values={"is_cover": position == 1},
        )
    # The village and its first workshop show the product's first picture at work.
    first = story.photos[0]
    village_photo = _Photo(f"{story.organisation_name}: {first.caption}", first.drawings)
    writer.photo(
        VillageProfilePhoto, lookup={"profile": profile, "position": 1}, photo=village_photo
    )
    unit_photo = _Photo(f"{units[0].name}: {first.caption}", first.drawings)
    writer.photo(CraftUnitPhoto, lookup={"craft_unit": units[0], "position": 1}, photo=unit_photo)
    for shipment in story.shipments:
        value = Decimal(shipment.value)
        value_usd = (value * Decimal(shipment.usd_per_unit)).quantize(Decimal("0.01"))
        writer.upsert(
            ExportShipment,
            lookup={
                "product": product,
                "destination": reference.countries[shipment.country],
                "shipped_on": shipment.shipped_on,
            },
            values={
                "quantity": Decimal(shipment.quantity),
                "unit": QuantityUnit.PIECE,
                "value": value,
                "currency": shipment.currency,
                "value_usd": value_usd,
                "value_idr": (value_usd * Decimal(shipment.idr_per_usd)).quantize(Decimal("0.01")),
                "peb_number": shipment.peb_number,
            },
        )
    return product


def _exchange_rates_load(writer: _Writer) -> None:
    for currency, rates in EXCHANGE_RATES.items():
        for valid_from, rate in zip(EXCHANGE_RATE_DAYS, rates, strict=True):
            writer.upsert(
                ExchangeRate,
                lookup={"currency": currency, "valid_from": valid_from},
                values={"idr_per_unit": Decimal(rate)},
            )


def _cycles_load(writer: _Writer, reference: _Reference) -> dict[int, ProgrammeCycle]:
    cycles = {}
    for year, (name, quotas) in CYCLES.items():
        cycle = writer.upsert(
            ProgrammeCycle,
            lookup={"year": year},
            values={
                "name": name,
                "opens_on": date(year, 1, 1),
                "closes_on": date(year, 12, 31),
                "min_craft_units": 3,
                "min_membership_share": 100,
            },
        )
        for province, allowed in quotas.items():
            writer.upsert(
                ProvinceQuota,
                lookup={"cycle": cycle, "province": reference.provinces[province]},
                values={"allowed": allowed},
            )
        cycles[year] = cycle
    return cycles


def _nominations_load(
    writer: _Writer,
    reference: _Reference,
    cycles: dict[int, ProgrammeCycle],
    products: dict[str, Product],
) -> None:
    province = User.objects.get(username="demo-jatim")
    writer.upsert(
        Nomination,
        lookup={"cycle": cycles[2022], "village": reference.villages[MINGGIRSARI.village]},
        values={
            "flagship_product": products[MINGGIRSARI.village],
            "statement": (
                "Disperindag Jawa Timur mengusulkan Desa Minggirsari dengan kendang djimbe sebagai "
                "produk unggulan. Gubernur mengunjungi bengkel Pak Basuki dan mendukung usulan ini."
            ),
        },
        initial={"state": NominationState.SUBMITTED, "submitted_by": province},
    )
    _ready_load(writer, reference, cycles[2022], province)
    writer.upsert(
        Nomination,
        lookup={"cycle": cycles[2022], "village": reference.villages[BANYUMULEK.village]},
        values={
            "flagship_product": products[BANYUMULEK.village],
            "statement": "Disperindag NTB mengusulkan Desa Banyumulek dengan gerabahnya.",
        },
        initial={"state": NominationState.DRAFT},
    )
    trangsan = writer.upsert(
        Nomination,
        lookup={"cycle": cycles[2021], "village": reference.villages[TRANGSAN.village]},
        values={
            "flagship_product": products[TRANGSAN.village],
            "statement": "Disperindag Jawa Tengah mengusulkan Desa Trangsan dengan mebel rotannya.",
        },
        initial={"state": NominationState.DESIGNATED},
    )
    writer.upsert(
        Designation,
        lookup={"nomination": trangsan},
        values={
            "decree_number": "KEP-017/DD/XI/2021",
            "designated_on": date(2021, 11, 22),
        },
        initial={"status": DesignationStatus.DESIGNATED},
    )


def _ready_load(
    writer: _Writer, reference: _Reference, cycle: ProgrammeCycle, province: User
) -> None:
    """Jawa Timur's other ready villages, each with a cooperative of three craft units making
    its product, nominated in 2022: fourteen in the quota with Minggirsari, five waiting."""
    kinds = {hs: reference.hs_codes[hs] for hs in READY_PRODUCTS}
    waiting_from = len(JAWA_TIMUR_READY) - JAWA_TIMUR_WAITING
    for number, (code, name, hs) in enumerate(JAWA_TIMUR_READY, start=1):
        village = reference.villages[code]
        word, english, materials = READY_PRODUCTS[hs]
        organisation = writer.upsert(
            Organisation,
            lookup={
                "kind": OrganisationKind.COOPERATIVE,
                "registration_number": f"AHU-00{3500 + number}.AH.01.26.TAHUN 2021",
            },
            values={"legal_name": f"Koperasi Pengrajin {name}", "village": village},
        )
        units = []
        for position, owner in enumerate(READY_OWNERS, start=1):
            unit = writer.upsert(
                CraftUnit,
                lookup={"village": village, "name": f"{word} {name} {position}"},
                values={
                    "owner_name": owner,
                    "workers_women": 3,
                    "workers_men": 3,
                    "monthly_capacity": 100,
                    "capacity_unit": QuantityUnit.PIECE,
                    "is_active": True,
                },
            )
            writer.upsert(
                Membership,
                lookup={"craft_unit": unit, "organisation": organisation},
                values={"started_on": date(2021, 3, 1), "ended_on": None},
            )
            units.append(unit)
        product = writer.upsert(
            Product,
            lookup={"slug": f"{word.lower()}-{slugify(name)}"},
            values={
                "name_id": f"{word} {name}",
                "name_en": f"{name} {english}",
                "hs_code": kinds[hs],
                "village": village,
                "materials": materials,
                "uniqueness_statement": f"Motifs drawn by the artisans of {name}.",
                "origin_statement": f"Made from start to finish in the workshops of {name}.",
                "price_min": Decimal("5.00"),
                "price_max": Decimal("60.00"),
                "currency": "USD",
                "minimum_order": 50,
                "order_unit": QuantityUnit.PIECE,
                "lead_time_days": 45,
                "monthly_capacity": 300,
            },
        )
        if set(product.craft_units.values_list("pk", flat=True)) != {unit.pk for unit in units}:
            product.craft_units.set(units)
            writer.rows_written += 1
        waiting = number > waiting_from
        writer.upsert(
            Nomination,
            lookup={"cycle": cycle, "village": village},
            values={
                "flagship_product": product,
                "statement": f"Disperindag Jawa Timur mengusulkan Desa {name}.",
            },
            initial={
                "state": NominationState.WAITING if waiting else NominationState.SUBMITTED,
                "waiting_rank": number - waiting_from if waiting else None,
                "submitted_by": province,
            },
        )


def _submissions_load(writer: _Writer, cycle: ProgrammeCycle) -> None:
    """The submission of each of Jawa Timur's 2022 nominations, in the province's order in
    March 2022, with the screening as it stands; written once."""
    province = User.objects.get(username="demo-jatim")
    nominations = (
        Nomination.objects.filter(cycle=cycle, village__province_id="35", events__isnull=True)
        .exclude(state=NominationState.DRAFT)
        .select_related("cycle", "flagship_product")
        .order_by("waiting_rank", "pk")
    )
    for day, nomination in enumerate(nominations, start=1):
        NominationEvent.objects.create(
            nomination=nomination,
            from_state=NominationState.DRAFT,
            to_state=nomination.state,
            actor=province,
            actor_label=province.get_username(),
            at=datetime.combine(date(2022, 3, min(day, 31)), time(9), tzinfo=UTC),
            screening=nomination_screen(nomination=nomination).as_json(),
        )
        writer.rows_written += 1


# The programme's uniqueness review of Trangsan and its visit, which made criteria 1 and 2 pass.
TRANGSAN_UNIQUENESS = (
    "Tidak ada desa devisa lain di Jawa Tengah dengan mebel rotan; pola anyaman Trangsan khas."
)


def _trangsan_review_load(writer: _Writer, reference: _Reference) -> None:
    nomination = Nomination.objects.get(
        cycle__year=2021, village=reference.villages[TRANGSAN.village]
    )
    programme = User.objects.get(username="demo-programme")
    verifier = User.objects.get(username="demo-verifier")
    visit = writer.upsert(
        Visit,
        lookup={"nomination": nomination, "planned_on": date(2021, 9, 14)},
        values={
            "overall_findings": "Empat bengkel dikunjungi; semua di Desa Trangsan.",
            "recommendation": Recommendation.DESIGNATE,
        },
        initial={
            "state": VisitState.SUBMITTED,
            "submitted_at": datetime(2021, 9, 15, 8, tzinfo=UTC),
            "submitted_by": verifier,
        },
    )
    if not visit.verifiers.exists():
        visit.verifiers.set([verifier])
        for criterion in (1, 2, 3, 4):
            CriterionFinding.objects.create(
                visit=visit, criterion=criterion, finding=Finding.CONFIRMED
            )
        AspectScore.objects.bulk_create(
            AspectScore(visit=visit, aspect=aspect, score=4) for aspect in Aspect
        )
        ProductReview.objects.create(
            visit=visit, sample_name="Kursi rotan, rangka jati", quality_rating=4
        )
        writer.rows_written += 1
    if not nomination.events.filter(kind=NominationEventKind.UNIQUENESS_CONFIRMED).exists():
        event = NominationEvent(
            nomination=nomination,
            kind=NominationEventKind.UNIQUENESS_CONFIRMED,
            from_state=NominationState.VISITED,
            to_state=NominationState.VISITED,
            actor=programme,
            actor_label=programme.get_username(),
            at=datetime(2021, 10, 4, 9, tzinfo=UTC),
            comment=TRANGSAN_UNIQUENESS,
        )
        event.screening = nomination_screen(
            nomination=nomination, uniqueness_review=uniqueness_review_of(event)
        ).as_json()
        event.save()
        writer.rows_written += 1


# The demo tells a 2022 story but runs today: the programme keeps the 2022 cycle open.
CYCLE_OVERRIDE_REASON = (
    "Data contoh: cerita tahun 2022 dijalankan hari ini, sehingga usulan dan keputusan periode "
    "2022 tetap dibuka setelah tanggal periode berakhir."
)


def _cycle_override_load(writer: _Writer, cycles: dict[int, ProgrammeCycle]) -> None:
    programme = User.objects.get(username="demo-programme")
    writer.upsert(
        CycleDateOverride,
        lookup={"cycle": cycles[2022], "reason": CYCLE_OVERRIDE_REASON},
        values={
            "granted_by": programme,
            "granted_by_label": programme.get_full_name() or programme.get_username(),
            "until": None,
        },
    )


def _exhibition_load(writer: _Writer, products: dict[str, Product]) -> None:
    exhibition = writer.upsert(
        Exhibition,
        lookup={"slug": "g20-indonesia-2022"},
        values={
            "name_id": "Desa Devisa di G20 Indonesia 2022",
            "name_en": "Desa Devisa at G20 Indonesia 2022",
            "starts_on": date(2022, 3, 1),
            "ends_on": date(2022, 12, 31),
            "description_id": (
                "Produk Desa Devisa dipamerkan kepada delegasi dari banyak negara selama "
                "pertemuan G20 di Indonesia, Maret sampai akhir tahun."
            ),
            "description_en": (
                "Desa Devisa products shown to delegates from many countries during the G20 "
                "meetings in Indonesia, from March to the end of the year."
            ),
        },
    )
    venues = (
        ("Jakarta Convention Center", "Jakarta", None),
        ("Bali Nusa Dua Convention Center", "Nusa Dua, Bali", date(2022, 11, 15)),
    )
    for name, city, held_on in venues:
        writer.upsert(
            ExhibitionVenue,
            lookup={"exhibition": exhibition, "name": name},
            values={"city": city, "held_on": held_on},
        )
    items = (
        (
            MINGGIRSARI,
            "Kendang djimbe dari Minggirsari, Blitar.",
            "Djembe drums from Minggirsari, Blitar.",
        ),
        (
            TRANGSAN,
            "Kursi rotan dari Trangsan, Sukoharjo.",
            "Rattan chairs from Trangsan, Sukoharjo.",
        ),
    )
    for position, (story, note_id, note_en) in enumerate(items, start=1):
        writer.upsert(
            DisplayItem,
            lookup={"exhibition": exhibition, "product": products[story.village]},
            values={"note_id": note_id, "note_en": note_en, "position": position},
        )


def _accounts_load(writer: _Writer, reference: _Reference) -> None:
    for spec in ACCOUNTS:
        user = writer.user(spec)
        scope = {
            "province": reference.provinces[spec.province] if spec.province else None,
            "organisation": (
                Organisation.objects.get(
                    kind=spec.organisation.organisation_kind,
                    registration_number=spec.organisation.registration_number,
                )
                if spec.organisation
                else None
            ),
        }
        _, created = RoleAssignment.objects.get_or_create(user=user, role=spec.role, **scope)
        if created:
            writer.rows_written += 1
        # Every demo account signs in with two-factor, as real ones must; `desadevisa otp`
        # prints the current code. The key is random and kept across loads.
        if not TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
            writer.rows_written += 1


def _support_load(writer: _Writer, reference: _Reference) -> None:
    """Trangsan's support since its designation in 2021: LPEI's export credit in two
    tranches, a design partnership with the regency's crafts council, and the G20 stand."""
    designation = Designation.objects.get(
        nomination__village=reference.villages[TRANGSAN.village], nomination__cycle__year=2021
    )
    financing = writer.upsert(
        SupportItem,
        lookup={"designation": designation, "title": "Kredit modal kerja ekspor mebel rotan"},
        values={
            "kind": SupportKind.FINANCING,
            "partner": "LPEI",
            "scheme": "Kredit Usaha Rakyat Berorientasi Ekspor (KURBE)",
            "approved_amount_idr": Decimal("750000000"),
            "approved_on": date(2022, 1, 10),
            "starts_on": date(2022, 1, 10),
            "ends_on": date(2023, 1, 9),
        },
        initial={"status": SupportStatus.DONE},
    )
    for disbursed_on, amount, note in (
        (date(2022, 1, 24), "450000000", "Tahap 1"),
        (date(2022, 6, 14), "200000000", "Tahap 2"),
    ):
        writer.upsert(
            Disbursement,
            lookup={"item": financing, "disbursed_on": disbursed_on},
            values={"amount_idr": Decimal(amount), "note": note},
        )
    design = writer.upsert(
        SupportItem,
        lookup={"designation": designation, "title": "Desain kursi rotan untuk pasar Eropa"},
        values={
            "kind": SupportKind.PRODUCT_DESIGN,
            "partner": "Dekranasda Kabupaten Sukoharjo",
            "designer": "Program Studi Desain Produk, Universitas Sebelas Maret",
            "starts_on": date(2022, 2, 7),
            "ends_on": date(2022, 5, 31),
        },
        initial={"status": SupportStatus.DONE},
    )
    for title, delivered_on in (
        ("Gambar kerja tiga model kursi", date(2022, 4, 8)),
        ("Katalog produk 2022", date(2022, 5, 27)),
    ):
        writer.upsert(
            DesignDeliverable,
            lookup={"item": design, "title": title},
            values={"delivered_on": delivered_on},
        )
    writer.upsert(
        SupportItem,
        lookup={"designation": designation, "title": "Pameran Desa Devisa di G20 Indonesia 2022"},
        values={
            "kind": SupportKind.MARKET_ACCESS,
            "partner": "LPEI",
            "channel": MarketChannel.TRADE_FAIR,
            "exhibition": Exhibition.objects.get(slug="g20-indonesia-2022"),
            "buyers_or_events": (
                "Delegasi G20 di Jakarta Convention Center dan Bali Nusa Dua Convention Center"
            ),
            "starts_on": date(2022, 3, 1),
            "ends_on": date(2022, 12, 31),
        },
        initial={"status": SupportStatus.DONE},
    )


def _inquiries_load(writer: _Writer, reference: _Reference, products: dict[str, Product]) -> None:
    """Two buyer inquiries (demonstration data; names and addresses are invented): a G20
    delegate asking about Minggirsari's djembe, still new; and a Korean buyer of Trangsan's
    rattan chair, Trangsan's first in that country, followed to its April 2022 shipment."""
    from desadevisa.inquiries.models import (
        ConsentPurpose,
        ConsentRecord,
        Inquiry,
        InquiryEvent,
        InquiryStatus,
        PrivacyNotice,
    )
    from desadevisa.inquiries.services import buyer_key

    exhibition = Exhibition.objects.get(slug="g20-indonesia-2022")
    trangsan = products[TRANGSAN.village]
    korea = reference.countries["KR"]
    shipment = ExportShipment.objects.get(
        product=trangsan, destination=korea, shipped_on=date(2022, 4, 12)
    )
    S = InquiryStatus
    stories = (
        (
            products[MINGGIRSARI.village],
            {
                "name": "Emily Carter (demo)",
                "company": "Outback Rhythm Imports Pty Ltd (demo)",
                "country": reference.countries["AU"],
                "email": "emily.carter@example.com",
                "phone": "+61255550123",
                "quantity": 120,
                "message": (
                    "We met your cooperative at the G20 stand in Nusa Dua. Could you quote 120 "
                    "painted djembes of 50 and 60 cm, FOB Surabaya, and tell us the lead time?"
                ),
                "language": "en",
                "created_at": datetime(2022, 11, 15, 10, 30, tzinfo=UTC),
            },
            {"status": S.NEW},
            (),
        ),
        (
            trangsan,
            {
                "name": "Kim Min-jun (demo)",
                "company": "Hanok Living Co. (demo)",
                "country": korea,
                "email": "minjun.kim@example.com",
                "phone": "+82212345678",
                "quantity": 60,
                "message": (
                    "Seen at the G20 exhibition in Jakarta. We would like samples of the "
                    "armchair in natural and dark finish before ordering 60 pieces."
                ),
                "language": "en",
                "created_at": datetime(2022, 3, 8, 3, 15, tzinfo=UTC),
            },
            {"status": S.SHIPPED, "shipment": shipment},
            (
                (S.NEW, S.CONTACTED, date(2022, 3, 9), "Replied with the price list."),
                (S.CONTACTED, S.SAMPLES_SENT, date(2022, 3, 14), "Two samples sent by air."),
                (S.SAMPLES_SENT, S.ORDER, date(2022, 3, 24), "Order of 60 armchairs confirmed."),
                (S.ORDER, S.SHIPPED, date(2022, 4, 12), "Shipped to Busan."),
            ),
        ),
    )
    notice = PrivacyNotice.objects.order_by("version").first()
    for product, values, initial, steps in stories:
        received = values["created_at"]
        inquiry = writer.upsert(
            Inquiry,
            lookup={"product": product, "buyer_key": buyer_key(values["email"])},
            values={**values, "exhibition": exhibition},
            initial={
                **initial,
                # Already told: loading the demo e-mails no one.
                "confirmation_sent_at": received,
                "handlers_notified_at": received,
            },
        )
        if notice is not None and not ConsentRecord.objects.filter(inquiry=inquiry).exists():
            ConsentRecord.objects.create(
                inquiry=inquiry,
                notice=notice,
                purpose=ConsentPurpose.INQUIRY_CONTACT,
                given_at=received,
            )
            writer.rows_written += 1
        if not InquiryEvent.objects.filter(inquiry=inquiry).exists():
            events = [InquiryEvent(inquiry=inquiry, from_status="", to_status=S.NEW, at=received)]
            events += [
                InquiryEvent(
                    inquiry=inquiry,
                    from_status=source,
                    to_status=target,
                    comment=comment,
                    at=datetime.combine(day, time(9), tzinfo=UTC),
                )
                for source, target, day, comment in steps
            ]
            InquiryEvent.objects.bulk_create(events)
            writer.rows_written += len(events)


# East Java had twenty ready villages for fifteen places in 2022 and asked for more.
QUOTA_REQUEST_REASON = (
    "Dua puluh desa di Jawa Timur siap diusulkan, sedangkan kuota 2022 hanya 15. Kami mohon lima "
    "tempat tambahan agar desa-desa berikutnya pada daftar tunggu dapat dinilai."
)


def _quota_request_load(
    writer: _Writer, reference: _Reference, cycles: dict[int, ProgrammeCycle]
) -> None:
    writer.upsert(
        QuotaRaiseRequest,
        lookup={
            "cycle": cycles[2022],
            "province": reference.provinces["35"],
            "reason": QUOTA_REQUEST_REASON,
        },
        values={"places": 5, "requested_by": User.objects.get(username="demo-jatim")},
        initial={"state": QuotaRequestState.PENDING},
    )


def _demo_rows(model: type[models.Model]) -> int:
    return model._default_manager.filter(origin=DataOrigin.DEMO).count()


def demo_load(*, progress: Progress | None = None) -> DemoSummary:
    """Load the demonstration data in one transaction; loading it again changes nothing.

    Needs the reference data (regions, countries, HS codes): raises ReferenceDataMissing,
    before writing anything, when a row the demo stands on is absent, and DemoConflict when a
    row it would write exists as real data. Photos are drawn and stored only when missing.
    """
    report = progress or (lambda message: None)
    writer = _Writer()
    try:
        with transaction.atomic():
            reference = _reference_get()
            report(gettext("Exchange rates"))
            _exchange_rates_load(writer)
            report(gettext("Programme cycles and quotas"))
            cycles = _cycles_load(writer, reference)
            products = {}
            for story in STORIES:
                report(gettext("Village %(name)s") % {"name": reference.villages[story.village]})
                products[story.village] = _story_load(writer, reference, story)
            report(gettext("Demonstration accounts"))
            _accounts_load(writer, reference)
            report(gettext("Nominations and designations"))
            _cycle_override_load(writer, cycles)
            _nominations_load(writer, reference, cycles, products)
            _submissions_load(writer, cycles[2022])
            _trangsan_review_load(writer, reference)
            report(gettext("Exhibition"))
            _exhibition_load(writer, products)
            report(gettext("Support plans"))
            _support_load(writer, reference)
            _quota_request_load(writer, reference, cycles)
            report(gettext("Buyer inquiries"))
            _inquiries_load(writer, reference, products)
    except BaseException:
        # Files are not part of the transaction: remove the pictures a failed load stored.
        for name in writer.saved_files:
            default_storage.delete(name)
        raise
    return DemoSummary(
        village_profiles=_demo_rows(VillageProfile),
        craft_units=_demo_rows(CraftUnit),
        products=_demo_rows(Product),
        photos=sum(
            _demo_rows(model) for model in (ProductPhoto, VillageProfilePhoto, CraftUnitPhoto)
        ),
        export_shipments=_demo_rows(ExportShipment),
        nominations=_demo_rows(Nomination),
        exhibitions=_demo_rows(Exhibition),
        accounts=User.objects.filter(is_demo=True).count(),
        rows_written=writer.rows_written,
        photos_generated=writer.photos_generated,
    )


def demo_accounts() -> list[DemoAccount]:
    """The demonstration accounts present in the database, with their shared password."""
    assignments = RoleAssignment.objects.filter(
        user__username__in=[spec.username for spec in ACCOUNTS], user__is_demo=True
    ).select_related("user", "province", "organisation")
    by_username = {assignment.user.username: assignment for assignment in assignments}
    national_scopes = {
        Role.ADMINISTRATOR: gettext("System"),
        Role.PROGRAMME_OFFICER: gettext("All provinces"),
        Role.VERIFIER: gettext("Visits assigned to them"),
    }
    return [
        DemoAccount(
            username=spec.username,
            role=str(assignment.get_role_display()),
            scope=str(assignment.province or assignment.organisation or national_scopes[spec.role]),
            password=DEMO_PASSWORD,
        )
        for spec in ACCOUNTS
        if (assignment := by_username.get(spec.username))
    ]
