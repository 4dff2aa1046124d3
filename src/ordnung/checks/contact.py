"""Contact rules: e-mail (email-validator), phone (phonenumbers), VAT id (python-stdnum).
Pure Python: the libraries work offline; the e-mail's domain is not looked up."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum import vatin
from stdnum.exceptions import ValidationError as StdnumValidationError

from ordnung.checks.findings import Finding


def bad_email(email: str) -> list[Finding]:
    problem = _email_problem(email)
    if problem is None:
        return []
    return [Finding("email_format", "contact", "check.email", {"email": email}, problem)]


# Plainly well-formed ASCII addresses (no consecutive dots, labels not starting or ending
# with a hyphen, a letter TLD) are valid for email-validator too; only the rest — the rare
# and the suspicious — pays for the library's full check. This keeps the rule off the
# intake hot path's profile; it never accepts what the library would refuse.
_PLAIN_EMAIL = re.compile(
    r"(?=.{6,254}$)(?=[^@]{1,64}@)[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63})"
)
# Special-use names email-validator refuses (RFC 6761 and friends).
_SPECIAL_USE = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test", "internal"})


def _is_plainly_valid(email: str) -> bool:
    match = _PLAIN_EMAIL.fullmatch(email)
    return match is not None and match.group(4).lower() not in _SPECIAL_USE


@lru_cache(maxsize=8192)
def _email_problem(email: str) -> str | None:
    """Cached: returning customers are checked once (validation is the rule's main cost)."""
    if _is_plainly_valid(email):
        return None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        return f"E-mail: {error}"
    return None


def bad_phone(phone: str, country: str) -> list[Finding]:
    """An empty phone is no finding (most channels send none); one given must be possible."""
    if not phone.strip():
        return []
    try:
        number = phonenumbers.parse(phone, country)
        if phonenumbers.is_possible_number(number) and phonenumbers.is_valid_number(number):
            return []
    except phonenumbers.NumberParseException:
        pass
    values = {"phone": phone, "country": country}
    text = f"Phone number {phone!r} is not a valid number for {country}"
    return [Finding("phone_format", "contact", "check.phone", values, text)]


def bad_vat_id(vat_id: str | None) -> list[Finding]:
    """A VAT id given (B2B) must have its country's format and check digit."""
    if not vat_id:
        return []
    try:
        vatin.validate(vat_id)
    except StdnumValidationError:
        text = f"VAT id {vat_id!r} is not valid (format or check digit)"
        return [Finding("vat_id_format", "contact", "check.vat_id", {"vat_id": vat_id}, text)]
    return []
