"""Bilingual vocabulary of Indonesian village crafts and commodities for generated data."""

from dataclasses import dataclass

from desadevisa.registry.models import QuantityUnit


@dataclass(frozen=True)
class Commodity:
    """A kind of product villages make, named in Indonesian and English, with its HS code."""

    name_id: str
    name_en: str
    hs_code: str
    unit: str
    # Typical FOB price range per unit, in US dollars.
    price_low: int
    price_high: int
    materials: tuple[str, ...]


PIECE = QuantityUnit.PIECE.value
KILOGRAM = QuantityUnit.KILOGRAM.value
LITRE = QuantityUnit.LITRE.value
METRE = QuantityUnit.METRE.value
SET = QuantityUnit.SET.value
PAIR = QuantityUnit.PAIR.value

COMMODITIES: tuple[Commodity, ...] = (
    Commodity("Kendang", "hand drum", "920600", PIECE, 25, 180, ("mahogany wood", "goat skin")),
    Commodity("Gamelan", "gamelan set", "920600", SET, 400, 3000, ("bronze", "teak wood")),
    Commodity("Batik tulis", "hand-drawn batik", "5208", PIECE, 30, 250, ("cotton", "wax")),
    Commodity("Batik cap", "stamped batik", "5208", PIECE, 8, 60, ("cotton", "natural dye")),
    Commodity("Kain tenun ikat", "ikat woven cloth", "5209", METRE, 15, 120, ("cotton",)),
    Commodity("Kain songket", "songket cloth", "5007", METRE, 40, 400, ("silk", "gold thread")),
    Commodity("Sarung tenun", "woven sarong", "6304", PIECE, 12, 90, ("cotton", "rayon")),
    Commodity("Taplak tenun", "woven tablecloth", "6302", PIECE, 10, 70, ("cotton",)),
    Commodity("Anyaman rotan", "rattan weaving", "4602", PIECE, 8, 120, ("rattan",)),
    Commodity("Keranjang bambu", "bamboo basket", "4602", PIECE, 3, 40, ("bamboo",)),
    Commodity("Tikar pandan", "pandan mat", "4601", PIECE, 5, 45, ("pandan leaves",)),
    Commodity("Tas anyaman", "woven bag", "4202", PIECE, 10, 85, ("water hyacinth", "leather")),
    Commodity("Gerabah", "earthenware pottery", "6912", PIECE, 4, 60, ("clay",)),
    Commodity("Keramik hias", "decorative ceramics", "6913", PIECE, 10, 150, ("clay", "glaze")),
    Commodity("Ukiran kayu", "wood carving", "4420", PIECE, 15, 500, ("teak wood",)),
    Commodity("Topeng kayu", "wooden mask", "4420", PIECE, 12, 200, ("pule wood", "paint")),
    Commodity("Mebel jati", "teak furniture", "9403", PIECE, 120, 2500, ("teak wood",)),
    Commodity("Perak bakar", "silver filigree jewellery", "7113", PIECE, 20, 400, ("silver",)),
    Commodity("Perhiasan manik", "beaded jewellery", "7117", PIECE, 3, 40, ("glass beads",)),
    Commodity("Kerajinan kerang", "shell craft", "9601", PIECE, 4, 70, ("sea shells",)),
    Commodity("Wayang golek", "wooden puppet", "9503", PIECE, 15, 180, ("albasia wood", "cloth")),
    Commodity("Sandal kulit", "leather sandals", "6403", PAIR, 8, 60, ("cow leather", "rubber")),
    Commodity("Bunga kering", "dried flower arrangement", "6702", PIECE, 5, 50, ("dried flowers",)),
    Commodity("Kopi arabika", "arabica coffee", "090111", KILOGRAM, 6, 30, ("coffee beans",)),
    Commodity("Kopi robusta", "robusta coffee", "090111", KILOGRAM, 3, 12, ("coffee beans",)),
    Commodity("Biji kakao fermentasi", "fermented cocoa beans", "1801", KILOGRAM, 3, 9, ("cocoa",)),
    Commodity("Cokelat batangan", "chocolate bar", "1806", KILOGRAM, 10, 45, ("cocoa", "sugar")),
    Commodity("Teh hijau", "green tea", "0902", KILOGRAM, 5, 40, ("tea leaves",)),
    Commodity("Lada hitam", "black pepper", "0904", KILOGRAM, 4, 12, ("pepper",)),
    Commodity("Vanili", "vanilla", "0905", KILOGRAM, 60, 300, ("vanilla pods",)),
    Commodity("Kayu manis", "cinnamon", "0906", KILOGRAM, 3, 10, ("cinnamon bark",)),
    Commodity("Cengkeh", "cloves", "0907", KILOGRAM, 6, 15, ("cloves",)),
    Commodity("Pala", "nutmeg", "0908", KILOGRAM, 8, 25, ("nutmeg",)),
    Commodity("Minyak nilam", "patchouli oil", "330129", LITRE, 40, 120, ("patchouli leaves",)),
    Commodity("Minyak kelapa murni", "virgin coconut oil", "1513", LITRE, 3, 12, ("coconut",)),
    Commodity("Gula aren", "palm sugar", "1702", KILOGRAM, 2, 8, ("aren palm sap",)),
    Commodity("Kacang mete", "cashew nuts", "0801", KILOGRAM, 6, 16, ("cashew",)),
    Commodity("Rumput laut kering", "dried seaweed", "1212", KILOGRAM, 1, 5, ("seaweed",)),
)

# Each adjective is paired with its English rendering; Indonesian puts it after the noun.
ADJECTIVES: tuple[tuple[str, str], ...] = (
    ("Tradisional", "traditional"),
    ("Klasik", "classic"),
    ("Premium", "premium"),
    ("Alami", "natural"),
    ("Organik", "organic"),
    ("Motif Parang", "Parang-pattern"),
    ("Motif Kawung", "Kawung-pattern"),
    ("Warna Alam", "natural-dyed"),
    ("Buatan Tangan", "handmade"),
    ("Khas Desa", "village-style"),
    ("Pilihan", "select"),
    ("Halus", "fine"),
)

TECHNIQUES: tuple[tuple[str, str], ...] = (
    ("dikerjakan dengan tangan oleh perajin desa", "made by hand by village artisans"),
    ("diwariskan turun-temurun", "passed down through generations"),
    ("diolah dengan cara tradisional", "processed the traditional way"),
    ("dipanen dan disortir secara manual", "harvested and sorted by hand"),
    ("menggunakan bahan dari kebun warga", "using materials from villagers' gardens"),
)

# Names for craft units, organisations and their owners.
UNIT_WORDS = ("Usaha", "Sanggar", "Kriya", "Bengkel", "Rumah", "Griya", "Omah", "Karya")
UNIT_NAMES = (
    "Mekar",
    "Sari",
    "Lestari",
    "Jaya",
    "Makmur",
    "Sejahtera",
    "Mandiri",
    "Abadi",
    "Indah",
    "Rejeki",
    "Barokah",
    "Sentosa",
    "Harapan",
    "Bunga",
    "Melati",
    "Cendana",
)
GIVEN_NAMES = (
    "Siti",
    "Sri",
    "Dewi",
    "Ayu",
    "Wayan",
    "Made",
    "Nyoman",
    "Ketut",
    "Budi",
    "Agus",
    "Rina",
    "Yusuf",
    "Ahmad",
    "Nur",
    "Putri",
    "Eko",
    "Hendra",
    "Lestari",
    "Maria",
    "Yohanes",
)
FAMILY_NAMES = (
    "Rahayu",
    "Santoso",
    "Wijaya",
    "Hidayat",
    "Susanti",
    "Saputra",
    "Nainggolan",
    "Siregar",
    "Pratama",
    "Kurniawan",
    "Lubis",
    "Manurung",
    "Wulandari",
    "Setiawan",
    "Tanjung",
    "Ndruru",
)
ORGANISATION_PREFIXES = {
    "cooperative": "Koperasi",
    "association": "Asosiasi Perajin",
    "bumdes": "BUMDes",
}
