"""One error hierarchy. The API renders every ``AppError`` as ``{"error": {"code", "message", "details"}}``;
provider errors say whether a retry can help, which activities turn into Temporal retry decisions."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status_code: int = 500
    code: str = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details
        self.headers = headers or {}


class BadRequest(AppError):
    status_code = 400
    code = "bad_request"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "unsupported_media_type"


class ValidationFailed(AppError):
    status_code = 422
    code = "validation_error"


class UrlFetchFailed(ValidationFailed):
    """Any failure to fetch a URL a caller gave us: refused address, DNS, refused connection, timeout, bad
    status, too big. One message for all of them, so the answer never maps the internal network (which ports
    are open, which names resolve); the specific reason is only logged."""

    def __init__(self, field: str) -> None:
        super().__init__(
            f"{field}: could not fetch the URL", details=[{"field": field, "message": "could not fetch the URL"}]
        )


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"


class ProviderError(Exception):
    """A failure of an outside service. ``retryable`` decides whether Temporal tries again."""

    retryable: bool = False
    type_name: str = "ProviderError"

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        self.status = status


class TransientProviderError(ProviderError):
    """Timeouts, connection errors, 429 and 5xx: worth another try, after ``retry_after`` if known."""

    retryable = True
    type_name = "TransientProviderError"


class PermanentProviderError(ProviderError):
    """400/401/403/404/422 and the like: the same request will fail the same way."""

    type_name = "PermanentProviderError"


class ProviderAuthError(PermanentProviderError):
    type_name = "ProviderAuthError"


class ContentPolicyError(PermanentProviderError):
    type_name = "ContentPolicyError"


class ImageTooLarge(PermanentProviderError):
    """An image with more pixels than we decode (a decompression bomb: a small file that inflates to
    gigabytes). Refused from its header, before any pixel is decoded; a retry would refuse it again."""

    type_name = "ImageTooLarge"


NON_RETRYABLE_PROVIDER_ERRORS: list[str] = [
    PermanentProviderError.type_name,
    ProviderAuthError.type_name,
    ContentPolicyError.type_name,
    ImageTooLarge.type_name,
    "UnsupportedOperation",
]
