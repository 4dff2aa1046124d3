"""The `ordnung` command: database, server, worker, staff users, API keys and the demo.

Every command reads its settings from `ORDNUNG_*` environment variables and calls services; it
never opens a session itself. Mistakes a user can make (a bad URL, a taken port, an unknown
scope) end in one readable line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import importlib.util
import logging
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from email.utils import parseaddr
from types import FrameType
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from pydantic import ValidationError

from ordnung.core.auth import unknown_scopes
from ordnung.core.db import Database
from ordnung.core.settings import Settings

if TYPE_CHECKING:
    from ordnung.inventory.model import Address
    from ordnung.orchestration.first_start import FirstStart
    from ordnung.staff.service import ApiKeyInfo

app = typer.Typer(
    name="ordnung",
    help="Ordnung — open-source order management.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Back-office staff users.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys for integrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(apikey_app, name="apikey")
channels_app = typer.Typer(help="Sales channels' shop connectors.", no_args_is_help=True)
app.add_typer(channels_app, name="channels")


class CommandError(Exception):
    """A mistake the user can fix; shown as one line without a traceback."""


def fail(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=1)


@contextmanager
def readable_errors() -> Iterator[None]:
    """Turn the errors a user can cause into one line on stderr and exit code 1."""
    # Imported here so `ordnung --help` stays fast.
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from ordnung.core.errors import OrdnungError

    try:
        yield
    except CommandError as error:
        fail(str(error))
    except OrdnungError as error:
        fail(error.detail)
    except ArgumentError as error:
        fail(f"invalid database URL ({error})")
    except DBAPIError as error:
        first_line = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        fail(f"database error: {first_line}")


def load_settings() -> Settings:
    # Built fresh, not the cached `get_settings()`, so each run sees the current environment.
    with readable_errors():
        try:
            return Settings()
        except ValidationError as error:
            problems = "; ".join(
                f"ORDNUNG_{'_'.join(map(str, problem['loc'])).upper()}: "
                f"{problem['msg'].removeprefix('Value error, ')}"
                for problem in error.errors()
            )
            raise CommandError(f"invalid setting: {problems}") from error


@contextmanager
def opened_database(settings: Settings | None = None) -> Iterator[Database]:
    """The configured database for one command; errors inside become readable lines."""
    from ordnung.core.migrate import schema_problem

    with readable_errors():
        database = Database.from_settings(settings or load_settings())
        problem = schema_problem(database.engine, database.url)
    if problem is not None:
        database.dispose()
        fail(problem)
    try:
        with readable_errors():
            yield database
    finally:
        database.dispose()


def migrate(settings: Settings) -> None:
    from ordnung.core.migrate import upgrade_database

    with readable_errors():
        upgrade_database(settings.database_url)


# --- database ---------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations to ORDNUNG_DATABASE_URL."""
    settings = load_settings()
    migrate(settings)
    typer.echo("Database is up to date.")


@db_app.command("reindex-search")
def db_reindex_search() -> None:
    """Rebuild every order's search key (after an import done past the application)."""
    from ordnung.orders.search_index import count_orders, rebuild_search_keys

    with opened_database() as db:
        total, started = count_orders(db), time.monotonic()

        def progress(done: int) -> None:
            elapsed = time.monotonic() - started
            eta = elapsed / done * (total - done) if done else 0.0
            typer.echo(f"{done:,} / {total:,} orders, {elapsed:.0f} s, ETA {eta:.0f} s", err=True)

        rebuilt = rebuild_search_keys(db, progress)
        db.refresh_statistics()
    typer.echo(f"Search keys rebuilt for {rebuilt:,} orders.")


# --- serving ----------------------------------------------------------------------------------


def ensure_port_free(host: str, port: int) -> None:
    """Check before starting: uvicorn reports a taken port only as a log line."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
    except socket.gaierror as error:
        raise CommandError(f"cannot resolve host {host!r}: {error.strerror}") from error
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise CommandError(
                f"cannot listen on {host}:{port} ({error.strerror}); "
                "is another server running? Choose another --port."
            ) from error


def event_loop() -> str:
    # uvloop and httptools are the fast paths; both are dependencies except uvloop on Windows.
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def http_protocol() -> str:
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def refuse_demo_secret(settings: Settings) -> None:
    """A known session secret lets anyone forge a back-office login, so production refuses it."""
    if settings.secret_key == Settings.model_fields["secret_key"].default and not (
        settings.allow_demo_secret
    ):
        fail(
            "ORDNUNG_SECRET_KEY is still the demo default. Set it to a long random value "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`), "
            "or set ORDNUNG_ALLOW_DEMO_SECRET=true to run anyway."
        )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
    workers: Annotated[int | None, typer.Option(help="Number of worker processes.")] = None,
) -> None:
    """Run migrations, then serve web UI and API with uvicorn worker processes."""
    import uvicorn

    settings = load_settings()
    refuse_demo_secret(settings)
    migrate(settings)
    bind_host, bind_port = host or settings.host, port or settings.port
    with readable_errors():
        ensure_port_free(bind_host, bind_port)
    uvicorn.run(
        "ordnung.api:create_app",
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=workers or settings.workers,
        loop=event_loop(),
        http=http_protocol(),
        proxy_headers=True,
    )


@app.command()
def worker() -> None:
    """Deliver webhooks from the outbox and give freed stock to waiting orders, until stopped."""
    from ordnung.worker import run_worker

    settings = load_settings()
    stop_event = threading.Event()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        typer.echo("Stopping worker after the current batch …", err=True)
        stop_event.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    with opened_database(settings) as database:
        # The worker reports each busy round and each failure through `logging`.
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        typer.echo("Worker running; Ctrl+C to stop.")
        run_worker(database, settings, stop_event)


# --- staff users and API keys -----------------------------------------------------------------


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Login e-mail address.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    password: Annotated[
        str | None, typer.Option(help="Password; prompted for when left out.")
    ] = None,
    language: Annotated[str, typer.Option(help="UI language: de or en.")] = "de",
    role: Annotated[
        str,
        typer.Option(help="admin, operations, customer_service, warehouse or finance."),
    ] = "admin",
    location: Annotated[
        str | None, typer.Option(help="The location code a warehouse account is bound to.")
    ] = None,
) -> None:
    """Create a back-office staff user."""
    from ordnung.staff.model import NewStaffUser
    from ordnung.staff.service import add_staff_user

    if language not in ("de", "en"):
        fail(f"unknown language {language!r}; use de or en")
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with opened_database() as database:
        new = NewStaffUser(email, name, language, role, location, password)
        user_id = add_staff_user(database, new).id
    typer.echo(f"Created staff user {user_id} <{email}> ({role}).")


@user_app.command("list")
def user_list() -> None:
    """List staff users (never passwords)."""
    from ordnung.staff.queries import list_staff_accounts

    with opened_database() as database:
        accounts = list_staff_accounts(database)
    if not accounts:
        typer.echo("No staff users; `ordnung init` creates the first admin.")
        return
    typer.echo("id\temail\tname\trole\tlocation\tstatus")
    for account in accounts:
        status = "active" if account.is_active else "deactivated"
        location = account.location_code or "-"
        typer.echo(
            f"{account.id}\t{account.email}\t{account.name}\t{account.role}\t{location}\t{status}"
        )


@user_app.command("set-password")
def user_set_password(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    password: Annotated[
        str | None, typer.Option(help="New password; prompted for when left out.")
    ] = None,
) -> None:
    """Give an account a new password; its open sessions end (e.g. a locked-out admin)."""
    from ordnung.staff.passwords import set_staff_password
    from ordnung.staff.queries import staff_id_for_email

    if password is None:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with opened_database() as database:
        set_staff_password(database, staff_id_for_email(database, email), password)
    typer.echo(f"New password set for <{email}>; its sessions have ended.")


@user_app.command("deactivate")
def user_deactivate(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
) -> None:
    """Deactivate an account: it can no longer sign in, its open sessions end."""
    from ordnung.staff.queries import staff_id_for_email
    from ordnung.staff.service import deactivate_staff_user

    with opened_database() as database:
        staff_id = staff_id_for_email(database, email)
        # The command line acts as nobody in particular, so any account may be deactivated
        # here — except the last active admin.
        deactivate_staff_user(database, staff_id, acting_staff_id=0)
    typer.echo(f"Deactivated <{email}>.")


@apikey_app.command("create")
def apikey_create(
    name: Annotated[str, typer.Option(help="What the key is for, e.g. the integration.")],
    scopes: Annotated[
        str, typer.Option(help="Comma-separated scopes, e.g. orders:read,orders:write or admin.")
    ],
    location: Annotated[
        str | None,
        typer.Option(help="Bind the key to a location (3PL, store): it sees only its own work."),
    ] = None,
) -> None:
    """Create an API key; the token is shown only this once."""
    from ordnung.staff.service import create_api_key

    scope_list = [scope.strip() for scope in scopes.split(",") if scope.strip()]
    if not scope_list:
        fail("give at least one scope, e.g. --scopes orders:read")
    unknown = unknown_scopes(scope_list)
    if unknown:
        fail(f"unknown scope(s): {', '.join(unknown)}")
    with opened_database() as database:
        key_id, token = create_api_key(database, name, scope_list, location_code=location)
    typer.echo(f"Created API key {key_id} ({name}). Store the token now; it is not shown again:")
    typer.echo(token)


@channels_app.command("pull")
def channels_pull(
    code: Annotated[str, typer.Argument(help="The channel's code, e.g. shopify-de.")],
) -> None:
    """Fetch the orders the channel's platform changed since the last pull (catch-up after
    downtime); each goes through the import queue like a webhook."""
    from ordnung.connectors.pull import pull_orders

    settings = load_settings()
    with opened_database(settings) as database:
        typer.echo(f"Fetching orders of {code} …")
        summary = pull_orders(database, code, secret_key=settings.secret_key)
    typer.echo(
        f"{summary.fetched} fetched: {summary.imported} imported, {summary.duplicate} "
        f"duplicate, {summary.failed} failed, {summary.ignored} ignored; "
        f"cursor {summary.cursor or '-'}."
    )


@apikey_app.command("list")
def apikey_list() -> None:
    """List API keys (never their tokens)."""
    from ordnung.staff.service import list_api_keys

    with opened_database() as database:
        keys = list_api_keys(database)
    if not keys:
        typer.echo("No API keys.")
    else:
        typer.echo("id\tname\tprefix\tscopes\tstatus")
    for key in keys:
        typer.echo(describe_key(key))


def describe_key(key: ApiKeyInfo) -> str:
    status = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
    scopes = ",".join(key.scopes)
    return f"{key.id}\t{key.name}\t{key.prefix}…\t{scopes}\t{status}"


@apikey_app.command("revoke")
def apikey_revoke(key_id: Annotated[int, typer.Argument(help="Id from `apikey list`.")]) -> None:
    """Revoke an API key; requests with it are refused within seconds."""
    from ordnung.staff.service import revoke_api_key

    with opened_database() as database:
        revoke_api_key(database, key_id)
    typer.echo(f"Revoked API key {key_id}.")


# --- first start ------------------------------------------------------------------------------


@app.command()
def init(
    admin: Annotated[
        str,
        typer.Option(
            help='The first admin, as "Name <e-mail>".', prompt='First admin ("Name <e-mail>")'
        ),
    ],
    channel: Annotated[
        str,
        typer.Option(
            help='The first sales channel, as "code:Name".', prompt='Sales channel ("code:Name")'
        ),
    ],
    location: Annotated[
        str,
        typer.Option(help='The first location, as "code:Name".', prompt='Location ("code:Name")'),
    ],
    address: Annotated[
        str,
        typer.Option(
            help='The location\'s address, as "Street 1, 12345 City, DE".',
            prompt='Its address ("Street 1, 12345 City, DE")',
        ),
    ],
    language: Annotated[str, typer.Option(help="The admin's UI language: de or en.")] = "de",
    password: Annotated[
        str | None,
        typer.Option(
            envvar="ORDNUNG_ADMIN_PASSWORD",
            help="The admin's password (or ORDNUNG_ADMIN_PASSWORD); prompted for when left out.",
        ),
    ] = None,
) -> None:
    """Set up an empty installation: migrate, then create the first admin, channel and location.

    The same as the back office's setup page.
    """
    from ordnung.orchestration.first_start import set_up_installation

    settings = load_settings()
    with readable_errors():
        setup = first_start(admin, channel, location, address, language)
    if password is None:
        password = typer.prompt("Admin password", hide_input=True, confirmation_prompt=True)
    migrate(settings)
    with opened_database(settings) as database:
        with_password = replace(setup, admin=replace(setup.admin, password=password))
        installation = set_up_installation(database, with_password)
    typer.echo(f"Ordnung is set up. Sign in as <{installation.admin_email}> after `ordnung serve`.")


def first_start(admin: str, channel: str, location: str, address: str, language: str) -> FirstStart:
    """The command's options as a first start; a malformed one is a readable error."""
    from ordnung.channels.model import ChannelDraft
    from ordnung.inventory.model import LocationDraft
    from ordnung.orchestration.first_start import FirstStart
    from ordnung.staff.model import NewStaffUser

    name, email = parseaddr(admin)
    if not name or "@" not in email:
        raise CommandError(f'give the admin as "Name <e-mail>", not {admin!r}')
    channel_code, channel_name = code_and_name(channel, "channel")
    location_code, location_name = code_and_name(location, "location")
    return FirstStart(
        admin=NewStaffUser(email, name, language),
        channel=ChannelDraft(channel_code, channel_name, "webshop"),
        location=LocationDraft(location_code, location_name, "warehouse", postal_address(address)),
    )


def code_and_name(value: str, what: str) -> tuple[str, str]:
    code, _, name = value.partition(":")
    if not code.strip() or not name.strip():
        raise CommandError(f'give the {what} as "code:Name", not {value!r}')
    return code.strip(), name.strip()


def postal_address(value: str) -> Address:
    from ordnung.inventory.model import Address

    parts = [part.strip() for part in value.rsplit(",", 2)]
    postal_code, _, city = parts[1].partition(" ") if len(parts) == 3 else ("", "", "")
    if len(parts) != 3 or not all((parts[0], postal_code, city.strip(), parts[2])):
        raise CommandError(f'give the address as "Street 1, 12345 City, DE", not {value!r}')
    return Address(parts[0], postal_code, city.strip(), parts[2])


# --- demo -------------------------------------------------------------------------------------


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    fresh: Annotated[bool, typer.Option(help="Start from an empty database.")] = False,
) -> None:
    """Seed a demo shop and run web UI, API and worker in one process."""
    from ordnung.demo.runner import prepare_demo, run_demo_server

    settings = load_settings()
    with readable_errors():
        ensure_port_free(host, port)
        access = prepare_demo(settings, is_fresh=fresh, echo=typer.echo)
    base_url = f"http://{host}:{port}"
    typer.echo("")
    typer.echo(f"Ordnung demo: {base_url}/")
    typer.echo(f"  Login:    {access.email} / {access.password}")
    typer.echo(f"  API key:  {access.api_key}  (scope admin)")
    typer.echo(f"  API docs: {base_url}/docs")
    typer.echo(
        f'  Try:      curl -H "Authorization: Bearer {access.api_key}" {base_url}/api/v1/orders'
    )
    typer.echo("Press Ctrl+C to stop.\n")
    try:
        with readable_errors():
            run_demo_server(settings, host=host, port=port, loop=event_loop(), http=http_protocol())
    except KeyboardInterrupt:
        # uvicorn re-raises Ctrl+C after a clean shutdown; for the demo that is a normal end.
        typer.echo("Demo stopped.")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
