from collections.abc import Callable

from fastapi.testclient import TestClient

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.customers.model import normalise_email
from ordnung.customers.service import Person, find_or_create_customers
from tests.factories import order_payload, put_stock, standard_setup

CUSTOMERS = "/api/v1/customers"


def _customer(db: Database, email: str, first: str = "Erika", last: str = "Mustermann") -> int:
    def work(uow: UnitOfWork) -> int:
        ids = find_or_create_customers(uow.connection, [Person(email, first, last)], clock.now())
        return ids[normalise_email(email)]

    return db.write(work)


def test_the_same_email_in_any_case_is_the_same_customer(db: Database) -> None:
    first = _customer(db, "Erika@Example.org")
    again = _customer(db, "erika@example.ORG", "E.", "M.")
    assert first == again
    assert _customer(db, "max@example.org") != first


def test_the_first_orders_name_is_kept(client: TestClient, db: Database) -> None:
    customer_id = _customer(db, "erika@example.org")
    _customer(db, "erika@example.org", "Someone", "Else")
    body = client.get(f"{CUSTOMERS}/{customer_id}").json()
    assert (body["email"], body["first_name"], body["last_name"]) == (
        "erika@example.org",
        "Erika",
        "Mustermann",
    )
    assert body["order_count"] == 0


def test_customers_are_found_by_part_of_email_or_full_name(
    client: TestClient, db: Database
) -> None:
    erika = _customer(db, "erika@example.org")
    max_id = _customer(db, "max@beispiel.de", "Max", "Mustermann")
    _customer(db, "otto@example.org", "Otto", "Normal")

    def ids(q: str) -> list[int]:
        return [c["id"] for c in client.get(CUSTOMERS, params={"q": q}).json()["items"]]

    assert ids("beispiel") == [max_id]
    assert ids("erika must") == [erika]
    assert ids("MUSTERMANN") == [erika, max_id]


def test_the_list_pages_with_a_cursor(client: TestClient, db: Database) -> None:
    created = [_customer(db, f"c{n}@example.org") for n in range(3)]
    first = client.get(CUSTOMERS, params={"limit": 2}).json()
    rest = client.get(CUSTOMERS, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [c["id"] for c in first["items"] + rest["items"]] == created
    assert rest["next_cursor"] is None


def test_customers_need_the_orders_read_scope(
    app_client: TestClient, make_api_key: Callable[..., str]
) -> None:
    assert app_client.get(CUSTOMERS).status_code == 401
    app_client.headers["Authorization"] = f"Bearer {make_api_key('catalog:read')}"
    assert app_client.get(CUSTOMERS).status_code == 403
    app_client.headers["Authorization"] = f"Bearer {make_api_key('orders:read')}"
    assert app_client.get(CUSTOMERS).status_code == 200


def test_an_unknown_customer_is_a_404(client: TestClient) -> None:
    assert client.get(f"{CUSTOMERS}/999").status_code == 404
    assert client.get(f"{CUSTOMERS}/0").status_code == 422


def test_orders_through_intake_land_on_one_customer_and_are_counted(
    client: TestClient, db: Database
) -> None:
    locations = standard_setup(db)
    put_stock(db, "SKU-1", locations["A"], 10)
    for _ in range(2):
        assert client.post("/api/v1/orders", json=order_payload([("SKU-1", 1)])).is_success
    found = client.get(CUSTOMERS, params={"q": "erika@example.de"}).json()["items"]
    assert len(found) == 1
    assert client.get(f"{CUSTOMERS}/{found[0]['id']}").json()["order_count"] == 2
