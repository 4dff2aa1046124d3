"""Rule settings per channel: read set-wise for intake, read and replaced for a channel by
people (back office) and API clients. A rule without a row runs with its default."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from ordnung.channels.service import get_channel
from ordnung.checks.model import DEFAULT_RULES, RuleSetting
from ordnung.checks.tables import channel_check_rule_table as rule_table
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork

ChannelSettings = dict[str, RuleSetting]


def settings_of_channels(
    connection: Connection, channel_ids: Collection[int]
) -> dict[int, ChannelSettings]:
    """Each channel's rules, its own rows over the defaults (one statement for a batch)."""
    found: dict[int, ChannelSettings] = {
        channel_id: dict(DEFAULT_RULES) for channel_id in channel_ids
    }
    if not channel_ids:
        return found
    query = select(
        rule_table.c.channel_id, rule_table.c.rule, rule_table.c.mode, rule_table.c.params
    )
    query = query.where(rule_table.c.channel_id.in_(sorted(channel_ids)))
    for channel_id, rule, mode, params in connection.execute(query):
        if rule in DEFAULT_RULES:  # a rule since retired is ignored, not an error
            defaults = DEFAULT_RULES[rule].params
            found[channel_id][rule] = RuleSetting(mode, {**defaults, **(params or {})})
    return found


def channel_check_settings(db: Database, code: str) -> dict[str, Any]:
    """A channel's rules as the API and the settings page show them."""
    channel = get_channel(db, code)
    rules = db.read(lambda connection: settings_of_channels(connection, [channel.id]))[channel.id]
    return {"channel": code, "rules": as_plain(rules)}


def replace_channel_check_settings(
    db: Database, code: str, rules: Mapping[str, RuleSetting], *, actor: str
) -> dict[str, Any]:
    """Stores the given rules for the channel (rules not named keep their current setting)."""
    channel = get_channel(db, code)

    def work(uow: UnitOfWork) -> None:
        connection = uow.connection
        names = sorted(rules)
        connection.execute(
            delete(rule_table).where(
                rule_table.c.channel_id == channel.id, rule_table.c.rule.in_(names)
            )
        )
        now = clock.now()
        rows = [
            {
                "channel_id": channel.id,
                "rule": name,
                "mode": rules[name].mode,
                "params": dict(rules[name].params),
                "updated_at": now,
                "updated_by": actor,
            }
            for name in names
        ]
        if rows:
            connection.execute(rule_table.insert(), rows)

    db.write(work, actor=actor)
    return channel_check_settings(db, code)


def as_plain(rules: Mapping[str, RuleSetting]) -> dict[str, dict[str, Any]]:
    return {
        name: {"mode": setting.mode, "params": dict(setting.params)}
        for name, setting in rules.items()
    }
