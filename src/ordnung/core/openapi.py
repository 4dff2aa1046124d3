"""The API's OpenAPI document and its offline docs pages.

Routes answer with `Response` objects rendered by orjson (the fast path), so FastAPI cannot see
what they send: each route names its answers with `answers(...)`, and `install_openapi` adds
what every operation shares — the problem+json answers, the bearer scheme's 401 and 403, the
Idempotency-Key header — and removes FastAPI's own validation-error schemas, which this API
never sends (its 422 is a problem too)."""

from __future__ import annotations

from importlib.resources import files
from typing import Annotated, Any

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.http import PROBLEM_BASE, PROBLEM_JSON
from ordnung.core.idempotency import MAX_KEY_LENGTH

OPENAPI_SCHEMAS = "#/components/schemas/"
API_PREFIX = "/api/v1"


class ResponseModel(BaseModel):
    """Base of the models that document answers. They name every key (`extra="forbid"`,
    so the contract test fails on a key they miss); routes still render with orjson."""

    model_config = ConfigDict(extra="forbid")


# Money in answers: a decimal string in the currency's minor unit, never a JSON number.
MoneyOut = Annotated[str, Field(pattern=r"^\d+(\.\d+)?$", examples=["19.99"])]


class ValidationIssueOut(BaseModel):
    """One field that was refused."""

    field: str = Field(description="Dotted path of the field, e.g. `lines.0.quantity`.")
    message: str
    type: str = Field(description="A stable machine-readable kind, e.g. `missing`.")


class ProblemOut(BaseModel):
    """An error as RFC 9457 problem details (`application/problem+json`). `type` is stable
    and names the kind of problem; some kinds add members of their own."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": PROBLEM_BASE + "stale-version",
                    "title": "The object was changed by someone else",
                    "status": 409,
                    "detail": "Order ORD-000321 is at version 3, not 2.",
                    "current_version": 3,
                }
            ]
        }
    )

    type: str = Field(examples=[PROBLEM_BASE + "not-found"])
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    errors: list[ValidationIssueOut] | None = Field(
        None, description="Every refused field (validation errors, 422)."
    )
    field: str | None = Field(None, description="The one field a domain rule refused.")
    line: int | None = Field(None, description="The order line (from 1) a rule refused.")
    current_version: int | None = Field(
        None, description="The object's version now (stale-version, 409): read it again."
    )
    known: list[str] | None = Field(None, description="The values that would be accepted.")
    current_status: str | None = Field(
        None, description="The status the object is in (invalid-transition, 409)."
    )
    error_id: str | None = Field(
        None, description="Quote it when reporting the problem: it is in the server's log."
    )


PROBLEM_DESCRIPTIONS = {
    400: "The body could not be read (not JSON, or another content type than JSON)",
    401: "No API key, or an unknown or revoked one",
    403: "The API key lacks the scope this operation needs",
    404: "No such object, or one this API key may not see",
    409: "Conflicts with the object's state or version, or an Idempotency-Key in flight",
    413: "The request body is larger than the server accepts",
    422: "Invalid input: the problem lists each refused field",
    500: "An error on the server's side; the problem carries an error id",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI answers for these problem statuses."""
    reference = {"$ref": OPENAPI_SCHEMAS + ProblemOut.__name__}
    return {
        status: {
            "description": PROBLEM_DESCRIPTIONS[status],
            "content": {PROBLEM_JSON: {"schema": reference}},
        }
        for status in statuses
    }


def answers(
    model: type[BaseModel],
    *problem_statuses: int,
    status: int = 200,
    description: str = "Done",
    headers: dict[str, Any] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route: its success answer (shape `model`) and the problems it
    may give besides those every operation shares (401, 403, 413, 422, 500)."""
    success: dict[str, Any] = {"model": model, "description": description}
    if headers:
        success["headers"] = headers
    return {status: success, **problems(*problem_statuses)}


IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Any unique string (a UUID): a retry with the same key and body gets the first "
        "answer again (header Idempotent-Replayed: true) and changes nothing; the same key "
        "with another body is a 422, while the first is still running a 409. Keys are kept "
        "at least 7 days, per API key."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "example": "3f1c9b2e-5d1a-4c70-9e55-0b7a2f9d8c11",
}
REPLAYED_HEADER = {
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored answer to an earlier request.",
        "schema": {"type": "string", "enum": ["true"]},
    }
}

_documented_bodies: dict[str, type[BaseModel]] = {}


def idempotent_operation(body: type[BaseModel] | None = None) -> dict[str, Any]:
    """`openapi_extra` of a POST that honours Idempotency-Key; with `body`, also documents
    that model as the JSON body of a route that parses its body itself (the hot path)."""
    extra: dict[str, Any] = {"parameters": [IDEMPOTENCY_KEY_PARAMETER]}
    if body is not None:
        _documented_bodies[body.__name__] = body
        reference = {"$ref": OPENAPI_SCHEMAS + body.__name__}
        extra["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": reference}},
        }
    return extra


def _add_schemas(document: dict[str, Any], models: list[type[BaseModel]]) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in models:
        schema = model.model_json_schema(ref_template=OPENAPI_SCHEMAS + "{model}")
        for name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
        schemas.setdefault(model.__name__, schema)
    # FastAPI's own 422 shape: never sent, since every 422 here is a problem.
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    document["components"]["schemas"] = dict(sorted(schemas.items()))


def _shared_answers(operation: dict[str, Any], *, is_api: bool) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    shared = [500] if is_api else []
    if operation.get("security"):
        shared += [401, 403]
    if operation.get("parameters") or operation.get("requestBody"):
        shared.append(422)
    if operation.get("requestBody"):
        shared += [400, 413]
    for status, answer in problems(*shared).items():
        responses[str(status)] = answer
    is_idempotent = any(
        parameter.get("name") == "Idempotency-Key" for parameter in operation.get("parameters", [])
    )
    for status, answer in responses.items():
        if not status.startswith("2"):
            continue
        for content in answer.get("content", {}).values():
            # Routes return `Response`, for which FastAPI writes `"type": "string"` beside the
            # model named in `answers`; the model alone is the answer's shape.
            schema = content.get("schema", {})
            if "$ref" in schema:
                content["schema"] = {"$ref": schema["$ref"]}
        if is_idempotent:
            answer.setdefault("headers", {}).update(REPLAYED_HEADER)


def build_openapi(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    _add_schemas(document, [ProblemOut, *sorted(_documented_bodies.values(), key=str)])
    for path, item in document.get("paths", {}).items():
        for operation in item.values():
            _shared_answers(operation, is_api=path.startswith(API_PREFIX))
    return document


def install_openapi(app: FastAPI) -> None:
    """Serves `build_openapi`'s document (built once) as the app's /openapi.json."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# -- docs pages ------------------------------------------------------------------------------

DOCS_ASSETS = "/docs-assets"
# The pages may load from this app only. Redoc would fetch its vendor's logo from a CDN; the
# browser refuses that before any request leaves (and Redoc then leaves the logo out).
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "worker-src 'self' blob:; connect-src 'self'"
)
_POLICY_HEADER = {"Content-Security-Policy": DOCS_POLICY}
_ASSETS_DIRECTORY = files("fastapi_offline") / "static"


def install_api_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc with their scripts and styles served by the app itself,
    from the `fastapi-offline` package: the pages work without any other host (design.md §9).
    Redoc gets no web fonts; it falls back to the system's."""
    assert app.openapi_url is not None
    openapi_url = app.openapi_url
    app.mount(
        DOCS_ASSETS,
        StaticFiles(directory=str(_ASSETS_DIRECTORY)),
        name="docs-assets",
    )
    favicon = f"{DOCS_ASSETS}/favicon.png"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=favicon,
            oauth2_redirect_url="/docs/oauth2-redirect",
            # The online validator would be asked about the document: no other hosts.
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True},
        )
        page.headers.update(_POLICY_HEADER)
        return page

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} API",
            redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=favicon,
            with_google_fonts=False,
        )
        page.headers.update(_POLICY_HEADER)
        return page
