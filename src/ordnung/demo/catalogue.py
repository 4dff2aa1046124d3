"""What the demo shop sells, where it sells and where it ships from: fixed data, no randomness.

A household and outdoor retailer ("Nordwind Haus & Garten") with a web shop, a marketplace
presence and a B2B portal; two warehouses and one store that also ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from stdnum import ean

from ordnung.catalog.model import TAX_RATES, ProductDraft
from ordnung.channels.model import ChannelDraft
from ordnung.inventory.model import Address, LocationDraft

CHANNELS = (
    ChannelDraft(code="onlineshop", name="Onlineshop", type="webshop", currency="EUR"),
    ChannelDraft(code="marktplatz", name="Marktplatz", type="marketplace", currency="EUR"),
    ChannelDraft(code="b2b", name="B2B-Portal", type="b2b", currency="EUR"),
)

LOCATIONS = (
    LocationDraft(
        code="lager-nord",
        name="Lager Nord Hamburg",
        type="warehouse",
        address=Address("Am Saalehafen 14", "20457", "Hamburg", "DE"),
        capabilities=("ship",),
        priority=10,
    ),
    LocationDraft(
        code="lager-sued",
        name="Lager Süd München",
        type="warehouse",
        address=Address("Hansastraße 27", "81373", "München", "DE"),
        capabilities=("ship",),
        priority=20,
    ),
    LocationDraft(
        code="filiale-koeln",
        name="Filiale Köln",
        type="store",
        address=Address("Ehrenstraße 44", "50672", "Köln", "DE"),
        capabilities=("pickup", "ship", "ship_from_store"),
        priority=50,
    ),
)


@dataclass(frozen=True, slots=True)
class DemoProduct:
    sku: str
    name: str
    price: Decimal  # gross consumer price in EUR
    weight_grams: int
    tax_class: str = "standard"

    @property
    def tax_rate_percent(self) -> Decimal:
        return TAX_RATES[self.tax_class]


def _range(prefix: str, items: list[tuple[str, str, int]], tax_class: str) -> list[DemoProduct]:
    return [
        DemoProduct(f"{prefix}-{number:04d}", name, Decimal(price), grams, tax_class)
        for number, (name, price, grams) in enumerate(items, start=1)
    ]


_HOUSEHOLD = [
    ("Edelstahl-Topfset 5-teilig", "89.99", 4200),
    ("Gusseisenpfanne 28 cm", "49.90", 2900),
    ("Wasserkocher Glas 1,7 l", "39.99", 1300),
    ("French-Press-Kaffeebereiter 1 l", "24.95", 800),
    ("Schneidebrett Eiche 40 × 25 cm", "29.90", 1500),
    ("Messerblock 6-teilig", "79.00", 2600),
    ("Geschirrtücher Leinen, 4 Stück", "18.50", 300),
    ("Vorratsgläser mit Bügelverschluss, 3er-Set", "22.90", 1800),
    ("Salatschleuder", "14.99", 600),
    ("Auflaufform Steinzeug 32 cm", "24.99", 1900),
    ("Spülbürste Buche", "4.95", 80),
    ("Kaffeemühle mit Handkurbel", "34.90", 650),
    ("Isolierkanne 1 l", "29.99", 550),
    ("Brotkasten Emaille", "39.90", 2100),
    ("Küchenwaage digital", "19.99", 900),
    ("Kartoffelstampfer Edelstahl", "9.95", 250),
]
_OUTDOOR = [
    ("Trekkingrucksack 40 l", "119.00", 1450),
    ("Kuppelzelt für 2 Personen", "189.00", 2800),
    ("Schlafsack 3 Jahreszeiten", "89.90", 1600),
    ("Isomatte selbstaufblasend", "59.95", 1100),
    ("Gaskocher kompakt", "44.90", 900),
    ("Stirnlampe 300 Lumen", "29.95", 120),
    ("Wanderstöcke Carbon, Paar", "79.00", 480),
    ("Trinkflasche Edelstahl 0,75 l", "19.90", 350),
    ("Regenjacke Herren", "129.00", 520),
    ("Regenjacke Damen", "129.00", 480),
    ("Campingstuhl faltbar", "34.99", 2300),
    ("Hängematte Baumwolle", "49.90", 900),
    ("Kühlbox 24 l", "59.00", 3200),
    ("Erste-Hilfe-Set Outdoor", "24.95", 300),
    ("Taschenmesser 11 Funktionen", "39.90", 90),
]
_GARDEN = [
    ("Gartenschere Bypass", "24.90", 250),
    ("Gießkanne verzinkt 10 l", "29.99", 1400),
    ("Hochbeet Lärche 120 × 60 cm", "149.00", 18000),
    ("Vogelhaus zum Aufhängen", "29.90", 1600),
    ("Pflanzkübel Terrakotta 40 cm", "34.95", 6500),
    ("Gartenhandschuhe Leder", "9.95", 120),
    ("Spaten Edelstahl", "44.90", 2200),
    ("Thermokomposter 300 l", "69.00", 9000),
    ("Solar-Gartenleuchten, 4 Stück", "29.99", 800),
    ("Rasensprenger Viereck", "24.95", 700),
]
_HOME = [
    ("Wolldecke Merino 130 × 180 cm", "99.00", 1400),
    ("Kissenbezüge Leinen 40 × 40 cm, 2 Stück", "29.90", 400),
    ("Kerzenständer Messing", "34.90", 700),
    ("Duftkerze Zedernholz", "14.95", 350),
    ("Fußmatte Kokos 60 × 40 cm", "24.90", 1800),
    ("Bilderrahmen Eiche 30 × 40 cm", "19.95", 900),
    ("Wäschekorb Seegras", "39.90", 1200),
]
# Food and books carry the reduced German VAT rate (7 %).
_FOOD = [
    ("Bio-Kaffee ganze Bohne 1 kg", "21.90", 1050),
    ("Bio-Schwarztee Ostfriesenmischung 250 g", "8.95", 300),
    ("Rapshonig aus Schleswig-Holstein 500 g", "7.49", 650),
    ("Bio-Olivenöl nativ extra 0,75 l", "14.90", 1200),
    ("Dinkelnudeln 500 g", "3.29", 520),
    ("Apfelchips ungesüßt 100 g", "4.49", 120),
]
_BOOKS = [
    ("Kochbuch: Regionale Küche durchs Jahr", "28.00", 900),
    ("Wanderführer Allgäuer Alpen", "19.90", 450),
    ("Praxisbuch Gartenjahr", "24.95", 800),
    ("Zelten in Deutschland – 100 Plätze", "22.00", 600),
]

PRODUCTS: tuple[DemoProduct, ...] = tuple(
    _range("HH", _HOUSEHOLD, "standard")
    + _range("OD", _OUTDOOR, "standard")
    + _range("GA", _GARDEN, "standard")
    + _range("WO", _HOME, "standard")
    + _range("LM", _FOOD, "reduced")
    + _range("BU", _BOOKS, "reduced")
)

# Non-stock products (catalog `non_stock`): services, digital goods, made to order. Never
# counted, reserved or backordered; their lines go with the parcel of the order's goods.
# A multi-purpose voucher is not taxed when sold (UStG §3 Abs. 15), e-books carry 7 %.
NON_STOCK_PRODUCTS: tuple[DemoProduct, ...] = (
    DemoProduct("SV-0001", "Geschenkverpackung mit Grußkarte", Decimal("4.95"), 60),
    DemoProduct("SV-0002", "Gravur nach Wunsch (Anfertigung)", Decimal("12.90"), 0),
    DemoProduct("DG-0001", "Digitaler Geschenkgutschein 25 €", Decimal("25.00"), 0, "zero"),
    DemoProduct("DG-0002", "E-Book: Wanderführer Allgäuer Alpen", Decimal("14.99"), 0, "reduced"),
)

# Sold out everywhere: orders for these wait as backorders until goods arrive.
SOLD_OUT_SKUS = frozenset({"OD-0002", "GA-0003", "WO-0001"})

# Old article numbers a marketplace still sends; the catalogue no longer knows them.
UNKNOWN_SKUS = ("HH-0099", "OD-0450", "ALT-7731")

# Invented GS1 company prefix under Germany's 400-440 range; the check digit is real.
_GTIN_COMPANY_PREFIX = "4061234"


def gtin_for(index: int) -> str:
    body = f"{_GTIN_COMPANY_PREFIX}{index:05d}"
    return body + ean.calc_check_digit(body)


def product_drafts() -> list[ProductDraft]:
    return [
        ProductDraft(
            sku=product.sku,
            name=product.name,
            tax_class=product.tax_class,
            gtin=gtin_for(index),
            weight_grams=product.weight_grams,
            stock_policy="non_stock" if product in NON_STOCK_PRODUCTS else "stocked",
        )
        for index, product in enumerate(PRODUCTS + NON_STOCK_PRODUCTS, start=1)
    ]
