"""Checks at intake: named rules over a new order (address, contact, tax, fraud, duplicates,
approval), configurable per channel (off, warn, hold). See README: Checks at intake."""
