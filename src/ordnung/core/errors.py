"""Domain errors. Each has a stable problem `type` slug and the HTTP status the API maps it to."""

from typing import Any


class OrdnungError(Exception):
    type_slug = "error"
    status = 400
    title = "Request could not be processed"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFoundError(OrdnungError):
    type_slug = "not-found"
    status = 404
    title = "Not found"


class ValidationError(OrdnungError):
    type_slug = "validation-error"
    status = 422
    title = "Invalid input"


class ConflictError(OrdnungError):
    type_slug = "conflict"
    status = 409
    title = "Conflict"


class StaleVersionError(ConflictError):
    type_slug = "stale-version"
    title = "The object was changed by someone else"


class InvalidTransitionError(ConflictError):
    type_slug = "invalid-transition"
    title = "This action is not allowed in the current state"


class IdempotencyKeyReusedError(OrdnungError):
    type_slug = "idempotency-key-reused"
    status = 422
    title = "Idempotency-Key was used with a different request"


class IdempotencyKeyInFlightError(ConflictError):
    type_slug = "idempotency-key-in-flight"
    title = "A request with this Idempotency-Key is still being processed"


class AuthenticationError(OrdnungError):
    type_slug = "unauthenticated"
    status = 401
    title = "Authentication required"


class PermissionDeniedError(OrdnungError):
    type_slug = "forbidden"
    status = 403
    title = "Not allowed"


class InsufficientStockError(ConflictError):
    type_slug = "insufficient-stock"
    title = "Not enough stock"
