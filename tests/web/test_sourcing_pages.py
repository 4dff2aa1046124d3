"""Sourcing in the back office, through HTTP (no browser): the rules page drafts and
activates versions, the order page shows the decision, the queue lists unfulfillable orders."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.sourcing import rule_versions
from ordnung.sourcing.decisions import decisions_of_order
from tests.web.conftest import csrf_from
from tests.web.seed import place, seed_shop


def test_a_draft_is_saved_from_the_form_and_activated(signed_in: TestClient, db: Database) -> None:
    seed_shop(db)
    page = signed_in.get("/channels/webshop/sourcing")
    assert page.status_code == 200
    assert "Noch keine Regeln" in page.text
    saved = signed_in.post(
        "/channels/webshop/sourcing",
        data={
            "csrf_token": csrf_from(page.text),
            "strategy": "nearest",
            "split": "max_shipments",
            "max_shipments": "2",
            "capability": "ship",
            "max_distance": "300",
            "keep_units": "1",
        },
    )
    assert saved.status_code == 200
    assert "Entwurf 1 gespeichert" in saved.text
    [draft] = rule_versions.list_rule_versions(db, "webshop")
    assert draft["rules"]["strategy"] == "nearest"
    assert [f["kind"] for f in draft["rules"]["filters"]] == [
        "capability",
        "max_distance",
        "keep_units",
    ]
    activated = signed_in.post(
        "/channels/webshop/sourcing/1/activate",
        data={"csrf_token": csrf_from(saved.text), "version": str(draft["version"])},
    )
    assert "Version 1 ist jetzt aktiv" in activated.text
    stale = signed_in.post(
        "/channels/webshop/sourcing/1/activate",
        data={"csrf_token": csrf_from(activated.text), "version": str(draft["version"])},
    )
    assert "kein Entwurf mehr" in stale.text


def test_a_bad_number_in_the_form_names_the_field(signed_in: TestClient, db: Database) -> None:
    seed_shop(db)
    page = signed_in.get("/channels/webshop/sourcing")
    refused = signed_in.post(
        "/channels/webshop/sourcing",
        data={
            "csrf_token": csrf_from(page.text),
            "strategy": "priority",
            "split": "allow_split",
            "max_distance": "-5",
        },
    )
    assert "Ungültige Angabe: max_distance" in refused.text
    assert rule_versions.list_rule_versions(db, "webshop") == []


def test_the_order_page_shows_the_decision_and_the_queue_the_unfulfillable(
    signed_in: TestClient, db: Database
) -> None:
    orders = seed_shop(db)
    page = signed_in.get(f"/orders/{orders.allocated}")
    assert "Sourcing-Entscheidung" in page.text
    assert "Gewählt: SKU-1 × 2" in page.text
    draft = rule_versions.create_rule_draft(
        db,
        "webshop",
        rule_versions.parse_rules({"filters": [{"kind": "capability", "capability": "dropship"}]}),
        actor="test",
    )
    rule_versions.activate_rule_version(db, "webshop", draft["number"], actor="test")
    nobody = place(db, "EXT-NOBODY", ("ida@example.de", "Ida", "Kraus"), [("SKU-1", 1)])
    queue = signed_in.get("/sourcing/unfulfillable")
    assert f'href="/orders/{nobody}"' in queue.text
    assert "Fähigkeit nötig" in queue.text
    detail = signed_in.get(f"/orders/{nobody}")
    assert "Nicht erfüllbar" in detail.text
    assert "Ausgeschlossen durch Fähigkeit nötig (dropship)" in detail.text
    signed_in.get("/language/en")
    english = signed_in.get(f"/orders/{nobody}")
    assert "Dropped by Capability required (dropship)" in english.text


def test_every_strategy_split_filter_and_outcome_has_words_in_both_languages() -> None:
    from ordnung.sourcing import routing
    from ordnung.sourcing.rules import FILTER_KINDS, SPLIT_POLICIES, STRATEGIES
    from ordnung.web.catalogue import MESSAGES

    outcomes = (routing.ALLOCATED, routing.PARTIAL, routing.WAITING, routing.UNFULFILLABLE)
    keys = (
        [f"sourcing.strategy.{s}" for s in STRATEGIES]
        + [f"sourcing.split.{s}" for s in SPLIT_POLICIES]
        + [f"sourcing.filter.{f}" for f in FILTER_KINDS]
        + [f"sourcing.outcome.{o}" for o in outcomes]
        + [f"sourcing.status.{s}" for s in ("draft", "active", "retired")]
        + [f"sourcing.unit.{u}" for u in ("km", "grams", "units", "orders")]
    )
    assert [key for key in keys if key not in MESSAGES] == []


def test_the_simulator_replays_the_last_orders_under_a_draft_and_writes_nothing(
    signed_in: TestClient, db: Database
) -> None:
    orders = seed_shop(db)
    before = len(decisions_of_order(db, orders.allocated))
    draft = rule_versions.create_rule_draft(
        db,
        "webshop",
        rule_versions.parse_rules({"filters": [{"kind": "capability", "capability": "dropship"}]}),
        actor="test",
    )
    page = signed_in.get(f"/channels/webshop/sourcing/{draft['number']}/simulate?orders=50")
    assert page.status_code == 200
    active = page.text.split('data-side="active"')[1].split("</tr>")[0]
    candidate = page.text.split('data-side="candidate"')[1].split("</tr>")[0]
    # Under the draft no location may ship: every replayed order with stock is unfulfillable.
    assert 'data-label="Nicht erfüllbar">0<' in active
    assert 'data-label="Nicht erfüllbar">0<' not in candidate
    assert len(decisions_of_order(db, orders.allocated)) == before
    assert rule_versions.list_rule_versions(db, "webshop")[0]["status"] == "draft"
