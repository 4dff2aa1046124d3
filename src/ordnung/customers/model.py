"""Customers: who they are is their e-mail address, compared without regard to case."""

from __future__ import annotations


def normalise_email(email: str) -> str:
    """The stored and compared form. Lower-casing the local part too is technically lossy
    (RFC 5321 lets servers treat it case-sensitively) but no mail provider does, and customers
    type their address differently from order to order."""
    return email.strip().lower()


def full_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()
