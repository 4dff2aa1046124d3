"""Rule settings per channel: read set-wise for intake, read and replaced for a channel by
people (back office) and API clients. A rule without a row runs with its default.

A channel's settings carry one version (`channel_check_version`, 0 until first stored),
bumped by every replacement with a compare-and-set: whoever saw an older version is refused
(409) instead of overwriting what someone else stored meanwhile."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from ordnung.channels.service import get_channel
from ordnung.checks.model import DEFAULT_RULES, RuleSetting
from ordnung.checks.tables import channel_check_rule_table as rule_table
from ordnung.checks.tables import channel_check_version_table as version_table
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.driver import driver_of
from ordnung.core.errors import StaleVersionError

ChannelSettings = dict[str, RuleSetting]


def settings_of_channels(
    connection: Connection, channel_ids: Collection[int]
) -> dict[int, ChannelSettings]:
    """Each channel's rules, its own rows over the defaults (one statement for a batch).
    Through the bare driver: order intake asks once per batch (core/driver.py says why)."""
    found: dict[int, ChannelSettings] = {
        channel_id: dict(DEFAULT_RULES) for channel_id in channel_ids
    }
    if not channel_ids:
        return found
    driver = driver_of(connection)
    source, parameters = driver.row_source([(i,) for i in sorted(channel_ids)], ("integer",))
    for channel_id, rule, mode, params in driver.fetch_all(
        _CHANNEL_RULES.format(channels=source), parameters
    ):
        if rule in DEFAULT_RULES:  # a rule since retired is ignored, not an error
            defaults = DEFAULT_RULES[rule].params
            stored = driver.json_result(params) or {}
            found[channel_id][rule] = RuleSetting(mode, {**defaults, **stored})
    return found


_CHANNEL_RULES = (
    "SELECT channel_id, rule, mode, params FROM channel_check_rule WHERE channel_id IN ({channels})"
)


def channel_check_settings(db: Database, code: str) -> dict[str, Any]:
    """A channel's rules as the API and the settings page show them."""
    channel = get_channel(db, code)

    def read(connection: Connection) -> dict[str, Any]:
        rules = settings_of_channels(connection, [channel.id])[channel.id]
        version = _version(connection, channel.id)
        return {"channel": code, "rules": as_plain(rules), "version": version}

    return db.read(read)


def replace_channel_check_settings(
    db: Database,
    code: str,
    rules: Mapping[str, RuleSetting],
    *,
    actor: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Stores the given rules for the channel (rules not named keep their current setting).
    With `expected_version`, settings changed since are a `StaleVersionError`; without, the
    last writer wins."""
    channel = get_channel(db, code)

    def work(uow: UnitOfWork) -> None:
        connection = uow.connection
        _next_version(connection, channel.id, expected_version)
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


def _next_version(connection: Connection, channel_id: int, expected: int | None) -> int:
    """Creates the version row at 0 if missing (ON CONFLICT: two first writers do not
    collide), then compare-and-set; the row stays locked until commit, so concurrent
    replacements take turns and the later one sees the new version."""
    insert = dialect_insert(connection)
    connection.execute(
        insert(version_table).values(channel_id=channel_id, version=0).on_conflict_do_nothing()
    )
    bump = update(version_table).where(version_table.c.channel_id == channel_id)
    if expected is not None:
        bump = bump.where(version_table.c.version == expected)
    new = connection.execute(
        bump.values(version=version_table.c.version + 1).returning(version_table.c.version)
    ).scalar()
    if new is None:
        current = _version(connection, channel_id)
        raise StaleVersionError(
            f"The channel's checks were changed by someone else (version {current}, not "
            f"{expected}); reload them.",
            current_version=current,
        )
    return int(new)


def _version(connection: Connection, channel_id: int) -> int:
    version = connection.execute(
        select(version_table.c.version).where(version_table.c.channel_id == channel_id)
    ).scalar()
    return 0 if version is None else int(version)


def as_plain(rules: Mapping[str, RuleSetting]) -> dict[str, dict[str, Any]]:
    return {
        name: {"mode": setting.mode, "params": dict(setting.params)}
        for name, setting in rules.items()
    }
