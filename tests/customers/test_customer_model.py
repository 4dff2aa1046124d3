from ordnung.customers.model import full_name, normalise_email


def test_emails_are_compared_trimmed_and_lower_case() -> None:
    assert normalise_email("  Erika.Mustermann@Example.DE ") == "erika.mustermann@example.de"


def test_a_missing_first_name_leaves_no_leading_space() -> None:
    assert full_name("", "Mustermann") == "Mustermann"
