"""Request bodies and answers of the connector routes, for the API and its OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import SINGLE_LINE, line_text
from ordnung.core.openapi import ResponseModel

PlatformName = Literal["shopify", "woocommerce"]
ImportStatus = Literal["received", "imported", "failed", "duplicate", "ignored"]
MethodMap = dict[
    Annotated[str, Field(min_length=1, max_length=100, pattern=SINGLE_LINE)],
    Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,32}$")],
]
SecretValue = Annotated[
    str,
    Field(
        min_length=1,
        max_length=2000,
        pattern=SINGLE_LINE,
        description="The secret itself (stored encrypted) or `env:NAME` (read from the "
        "environment variable NAME when needed). Never shown back.",
        examples=["env:SHOPIFY_WEBHOOK_SECRET"],
    ),
]


class SettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    shop_url: Annotated[
        str, Field(max_length=250, pattern=SINGLE_LINE, examples=["https://demo.myshopify.com"])
    ] = ""
    price_mode: Literal["gross", "net"] = Field(
        "gross", description="Where the platform does not say whether prices include tax."
    )
    payment_methods: MethodMap = Field(
        default_factory=dict,
        description="The platform's payment gateway → Ordnung's payment method.",
        examples=[{"paypal": "paypal", "shopify_payments": "card"}],
    )
    shipping_methods: MethodMap = Field(
        default_factory=dict,
        description="The platform's shipping line code → Ordnung's shipping method.",
        examples=[{"DHL Paket": "standard", "Express": "express"}],
    )


class SecretsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    webhook_secret: SecretValue | None = None
    api_key: SecretValue | None = None
    api_secret: SecretValue | None = None


class ConnectionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "platform": "shopify",
                    "settings": {"shop_url": "https://demo.myshopify.com", "price_mode": "gross"},
                    "secrets": {"webhook_secret": "env:SHOPIFY_WEBHOOK_SECRET"},
                }
            ]
        },
    )

    platform: PlatformName
    settings: SettingsIn = Field(default_factory=SettingsIn)
    secrets: SecretsIn = Field(
        default_factory=SecretsIn, description="A secret left out keeps the one stored."
    )


class SecretsOut(ResponseModel):
    webhook_secret: str = Field(examples=["set"], description="unset, set or env:NAME")
    api_key: str = Field(examples=["unset"])
    api_secret: str = Field(examples=["env:SHOP_API_SECRET"])


class SettingsOut(ResponseModel):
    shop_url: str
    price_mode: str
    payment_methods: dict[str, str]
    shipping_methods: dict[str, str]


class ConnectionOut(ResponseModel):
    """A channel's connection to its shop platform; secrets only as set / unset / env:NAME."""

    channel: str = Field(examples=["shopify-de"])
    platform: PlatformName
    settings: SettingsOut
    secrets: SecretsOut
    pull_cursor: str | None = Field(description="Where the last pull got to.")
    version: int
    webhook_url: str = Field(
        description="Paste into the platform, with the topic at the end.",
        examples=[
            "https://oms.example.de/api/v1/channels/shopify-de/inbound/shopify/orders/create"
        ],
    )


class InboundOut(ResponseModel):
    """What became of a webhook: stored (`import_id`) and imported, or kept to be fixed."""

    import_id: int | None = Field(description="Null only for a WooCommerce ping.")
    status: Literal["imported", "failed", "duplicate", "ignored", "received", "ping"]
    order_id: int | None
    error: str | None


class ImportOut(ResponseModel):
    id: int
    channel: str
    platform: str
    topic: str
    source: Literal["webhook", "pull"]
    delivery_id: str | None
    external_id: str | None
    status: ImportStatus
    error: str | None
    error_field: str | None
    order_id: int | None
    attempts: int
    received_at: datetime
    processed_at: datetime | None
    body: str = Field(description="The payload exactly as the platform sent it.")
    fixed_body: str | None = Field(description="The body with a person's corrections.")


class ImportListOut(ResponseModel):
    items: list[ImportOut]
    next_cursor: str | None = Field(description="Pass as `before` for the next page.")


class SkuMappingIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"platform_sku": "IPOD2008GREEN", "sku": "OD-0001"}]},
    )

    platform_sku: Annotated[str, line_text(200)]
    sku: Annotated[str, line_text(64)]


class SkuMappingOut(ResponseModel):
    channel: str
    platform_sku: str
    sku: str


class SkuMappingListOut(ResponseModel):
    items: list[SkuMappingOut]
    next_cursor: None = Field(description="Always null: one page.")


class FixFieldIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"path": "line_items[0].sku", "value": "OD-0001"}]},
    )

    path: Annotated[str, line_text(200, examples=["email"])]
    value: Annotated[str, Field(max_length=1000, pattern=SINGLE_LINE)]


class PullOut(ResponseModel):
    """What a pull fetched and what became of it."""

    fetched: int
    imported: int
    duplicate: int
    failed: int
    ignored: int
    cursor: str | None
