"""Request bodies of the changes after intake (`change_api.py`). Amounts travel as strings in
the order's currency, with the same ceilings as at intake (`schemas.py`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from ordnung.core.api_fields import Sku, free_text, line_text
from ordnung.orchestration.order_changes import LineRequest, PriceRequest, SkuRequest
from ordnung.orchestration.schemas import (
    MAX_QUANTITY,
    AddressIn,
    RateString,
    Strict,
    UnitAmount,
    _example,
)

Reason = Annotated[str, free_text(500, examples=["Customer called"])]
Units = Annotated[int, Field(gt=0, le=MAX_QUANTITY, strict=True)]


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


class ShippingChangeIn(Strict):
    """A new shipping address, a new shipping method, or both."""

    model_config = _example(shipping_method="express", reason="Customer needs it sooner")

    shipping_address: AddressIn | None = None
    shipping_method: Annotated[str | None, line_text(64, examples=["express"])] = None
    reason: Reason


class LineAddIn(Strict):
    model_config = _example(sku="OD-0002", quantity=1, unit_price="9.99", reason="Phoned in")

    sku: Sku
    quantity: Units
    unit_price: UnitAmount
    discount: UnitAmount = "0"
    tax_rate: Annotated[RateString | None, Field(description="Default: the product's")] = None
    reason: Reason

    def to_request(self) -> LineRequest:
        return LineRequest(
            self.sku,
            self.quantity,
            Decimal(self.unit_price),
            Decimal(self.discount),
            _amount(self.tax_rate),
        )


class LineCancelIn(Strict):
    model_config = _example(units=1, reason="Customer wants one less")

    units: Units
    reason: Reason


class LineReplaceIn(Strict):
    model_config = _example(sku="OD-0002", reason="Ordered the wrong colour")

    sku: Sku
    unit_price: Annotated[UnitAmount | None, Field(description="Default: the price stays")] = None
    reason: Reason

    def to_request(self) -> SkuRequest:
        return SkuRequest(self.sku, _amount(self.unit_price))


class PriceCorrectionIn(Strict):
    model_config = _example(unit_price="17.99", reason="Price promised by phone")

    unit_price: UnitAmount | None = None
    discount: UnitAmount | None = None
    reason: Reason

    def to_request(self) -> PriceRequest:
        return PriceRequest(_amount(self.unit_price), _amount(self.discount))


class LineSubstituteIn(Strict):
    model_config = _example(reason="Sold out; the customer takes the successor")

    sku: Annotated[Sku | None, Field(description="Default: the first substitute in stock")] = None
    reason: Reason
