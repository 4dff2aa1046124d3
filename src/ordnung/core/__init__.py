"""Shared kernel: settings, database, money, errors, events, auth primitives, clock."""
