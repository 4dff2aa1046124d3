"""Each intake check: a case where it fires and one where it does not (pure, no database)."""

from __future__ import annotations

from datetime import timedelta

from ordnung.checks import model
from ordnung.checks.facts import OrderFacts, RecentOrder, line_signature
from ordnung.checks.model import HOLD, OFF, WARN, RuleSetting, run_rules
from tests.checks.orders import HOME, NOW, at, new_order

FACTS = OrderFacts(tax_classes={"SKU-1": "standard", "BOOK": "reduced"})


def fired(rule: str, order=None, facts: OrderFacts = FACTS, **params) -> list[str]:  # type: ignore[no-untyped-def]
    setting = RuleSetting(HOLD, {**model.DEFAULT_RULES[rule].params, **params})
    found = model.RULES[rule](order or new_order(), facts, setting, NOW)
    return [finding.message_key for finding in found]


def test_a_complete_german_address_passes_every_address_rule() -> None:
    for rule in ("address_complete", "postal_code_format", "ship_to_country", "packstation"):
        assert fired(rule) == []


def test_an_address_without_street_or_city_is_incomplete() -> None:
    order = new_order(address=at(street=" ", city=""))
    assert fired("address_complete", order) == ["check.address_missing"]


def test_a_four_digit_german_postal_code_has_the_wrong_format() -> None:
    assert fired("postal_code_format", new_order(address=at(postal_code="5114"))) == [
        "check.postal_code"
    ]
    dutch = at(postal_code="1012 AB", country="NL")
    assert fired("postal_code_format", new_order(address=dutch)) == []


def test_a_country_the_channel_does_not_serve_is_held() -> None:
    austria = new_order(address=at(postal_code="1010", city="Wien", country="AT"))
    assert fired("ship_to_country", austria, countries=["DE"]) == ["check.country_not_served"]
    assert fired("ship_to_country", austria, countries=["DE", "AT"]) == []
    assert fired("ship_to_country", austria) == []  # no list: every country


def test_a_packstation_needs_the_post_number_and_a_carrier_that_delivers_there() -> None:
    station = at(street="Packstation 123", street2="")
    assert fired("packstation", new_order(address=station, shipping_method="dpd")) == [
        "check.post_number_missing",
        "check.packstation_method",
    ]
    with_number = at(street="Packstation 123", street2="Postnummer 12345678")
    assert fired("packstation", new_order(address=with_number, shipping_method="dhl")) == []
    filiale = at(street="Postfiliale 456", street2="87654321")
    assert fired("packstation", new_order(address=filiale, shipping_method="hermes")) == [
        "check.packstation_method"
    ]


def test_an_ordinary_street_named_like_a_station_is_no_packstation() -> None:
    street = at(street="Am Packstationweg 3")
    assert fired("packstation", new_order(address=street, shipping_method="dpd")) == []


def test_contact_rules_check_email_phone_and_vat_id() -> None:
    assert fired("email_format", new_order(email="erika@@example")) == ["check.email"]
    assert fired("email_format") == []
    assert fired("phone_format", new_order(address=at(phone="12"))) == ["check.phone"]
    assert fired("phone_format", new_order(address=at(phone="+49 221 1234567"))) == []
    assert fired("vat_id_format", new_order(vat_id="DE123456789")) == ["check.vat_id"]
    assert fired("vat_id_format", new_order(vat_id="DE136695976")) == []
    assert fired("vat_id_format") == []


def test_a_book_at_the_standard_rate_is_a_tax_hold_with_expected_and_received() -> None:
    order = new_order(lines=(("BOOK", 1, "20.00", "19"),))
    setting = RuleSetting(HOLD)
    (finding,) = model.tax_class(order, FACTS, setting, NOW)
    assert finding.reason == "tax"
    assert finding.values["expected"] == "7" and finding.values["received"] == "19"
    assert fired("tax_class", new_order(lines=(("BOOK", 1, "20.00", "7"),))) == []


def test_the_destination_rate_of_the_class_is_accepted_under_oss() -> None:
    austria = at(postal_code="1010", city="Wien", country="AT")
    assert fired("tax_class", new_order(address=austria, lines=(("SKU-1", 1, "10", "20"),))) == []
    assert fired("tax_class", new_order(address=austria, lines=(("BOOK", 1, "10", "20"),))) == [
        "check.tax_rate"
    ]


def test_the_fraud_score_lists_every_signal_with_its_points_above_the_threshold() -> None:
    order = new_order(
        email="someone@mailinator.com",
        billing=at(postal_code="1010", city="Wien", country="AT"),
        lines=(("SKU-1", 1, "900.00", "19"),),
    )
    facts = OrderFacts(fraud_history=0, is_first_order=True)
    (finding,) = model.fraud_score(order, facts, RuleSetting(HOLD), NOW)
    signals = {s["rule"]: s["points"] for s in finding.values["signals"]}
    assert signals == {"first_order_value": 20, "country_mismatch": 15, "disposable_email": 25}
    assert finding.values["score"] == 60 and finding.reason == "fraud"


def test_a_score_below_the_threshold_holds_nothing() -> None:
    order = new_order(email="someone@mailinator.com")
    assert model.fraud_score(order, OrderFacts(), RuleSetting(HOLD), NOW) == []


def test_velocity_history_and_failed_payments_are_fraud_signals() -> None:
    busy = OrderFacts(orders_by_email=3, orders_by_address=3, orders_by_card=3)
    order = new_order(card_fingerprint="fp_1")
    (finding,) = model.fraud_score(order, busy, RuleSetting(HOLD), NOW)
    assert [s["rule"] for s in finding.values["signals"]] == [
        "velocity_email",
        "velocity_address",
        "velocity_card",
    ]
    history = OrderFacts(fraud_history=1)
    assert model.fraud_score(new_order(), history, RuleSetting(HOLD), NOW)[0].points == 60
    failing = OrderFacts(failed_payments=3, orders_by_card=3, orders_by_email=3)
    assert model.fraud_score(order, failing, RuleSetting(HOLD), NOW)[0].points == 75
    quiet = OrderFacts(orders_by_email=2, failed_payments=2)
    assert model.fraud_score(new_order(), quiet, RuleSetting(HOLD), NOW) == []


def test_the_same_lines_to_the_same_place_minutes_later_is_a_duplicate() -> None:
    earlier = new_order(external_id="A-1")
    again = new_order(external_id="A-2")
    recent = RecentOrder(
        1, "A-1", 1, HOME.key(), NOW - timedelta(minutes=5), line_signature(earlier)
    )
    facts = OrderFacts(recent_orders=[recent])
    assert fired("duplicate_order", again, facts) == ["check.duplicate"]
    other_lines = new_order(external_id="A-3", lines=(("SKU-1", 2, "19.99", "19"),))
    assert fired("duplicate_order", other_lines, facts) == []
    long_ago = OrderFacts(recent_orders=[replace_time(recent, NOW - timedelta(hours=2))])
    assert fired("duplicate_order", again, long_ago) == []
    assert fired("duplicate_order", earlier, facts) == []  # the same external id: a repeat


def replace_time(order: RecentOrder, created_at):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(order, created_at=created_at)


def test_b2b_orders_above_the_limit_need_approval() -> None:
    big = new_order(lines=(("SKU-1", 10, "600.00", "19"),), email="einkauf@firma.de")
    b2b = OrderFacts(is_b2b=True)
    assert fired("b2b_approval", big, b2b) == ["check.approval"]
    assert fired("b2b_approval", big, OrderFacts()) == []  # not a business customer
    limits = {"einkauf@firma.de": "10000"}
    assert fired("b2b_approval", big, b2b, customer_limits=limits) == []


def test_modes_decide_between_hold_warning_and_nothing() -> None:
    order = new_order(address=at(postal_code="5114", phone="12"))
    verdict = run_rules(order, FACTS, model.DEFAULT_RULES, NOW)
    assert [hold.reason for hold in verdict.holds] == ["address"]
    assert [w.rule for w in verdict.warnings] == ["phone_format"]
    settings = {
        **model.DEFAULT_RULES,
        "postal_code_format": RuleSetting(OFF),
        "phone_format": RuleSetting(WARN),
    }
    verdict = run_rules(order, FACTS, settings, NOW)
    assert verdict.holds == [] and [w.rule for w in verdict.warnings] == ["phone_format"]


def test_one_hold_per_reason_lists_every_rule_that_fired() -> None:
    order = new_order(address=at(street="Packstation 7", postal_code="511"), shipping_method="x")
    (hold,) = run_rules(order, FACTS, model.DEFAULT_RULES, NOW).holds
    assert hold.reason == "address"
    assert [f["rule"] for f in hold.facts["findings"]] == [
        "postal_code_format",
        "packstation",
        "packstation",
    ]
    assert "Postal code" in hold.detail


def test_the_e_mail_fast_path_never_accepts_what_email_validator_refuses() -> None:
    from email_validator import EmailNotValidError, validate_email

    from ordnung.checks.contact import _is_plainly_valid

    samples = ["erika@example.de", "a.b+c@sub.example.com", "a..b@x.de", ".a@x.de"]
    samples += ["a@-x.de", "a@x-.de", "a@x.test", "a@localhost", "a@x.123", "a@x_y.de"]
    samples += ["a@b.c.invalid", "x" * 65 + "@x.de", "kunde@mailinator.com"]
    for email in samples:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            assert not _is_plainly_valid(email), email
    assert _is_plainly_valid("erika@example.de")
