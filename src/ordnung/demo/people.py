"""Demo customers: German names and addresses from Faker, reproducible from one seed."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from faker import Faker

from ordnung.orders.draft import Address

# Reserved example domains (RFC 2606 style): demo mail must never reach a real mailbox.
_MAIL_DOMAINS = ("example.de", "example.com", "example.org", "example.net")
_COMPANY_SHARE = 0.15
# How Germans write umlauts where only ASCII is allowed (Müller → mueller, not muller).
_GERMAN_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True, slots=True)
class DemoCustomer:
    email: str
    first_name: str
    last_name: str
    phone: str
    address: Address


def ascii_slug(text: str) -> str:
    """'Jürgen Groß' → 'juergen-gross', for e-mail local parts."""
    spelled = text.lower().translate(_GERMAN_SPELLING)
    decomposed = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in decomposed).split())


def make_customers(count: int, rng: random.Random, faker: Faker) -> list[DemoCustomer]:
    customers: list[DemoCustomer] = []
    taken: set[str] = set()
    while len(customers) < count:
        customer = _make_customer(rng, faker)
        if customer.email not in taken:
            taken.add(customer.email)
            customers.append(customer)
    return customers


def _make_customer(rng: random.Random, faker: Faker) -> DemoCustomer:
    first_name, last_name = faker.first_name(), faker.last_name()
    local = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}"
    if rng.random() < 0.4:
        local += str(rng.randint(1, 99))
    email = f"{local}@{rng.choice(_MAIL_DOMAINS)}"
    phone = faker.phone_number()
    company = faker.company() if rng.random() < _COMPANY_SHARE else ""
    address = Address(
        first_name=first_name,
        last_name=last_name,
        company=company,
        street=faker.street_address(),
        postal_code=faker.postcode(),
        city=faker.city(),
        country="DE",
        phone=phone,
    )
    return DemoCustomer(email, first_name, last_name, phone, address)
