"""Whether a webhook really comes from the shop: each platform signs the raw body.

Shopify (`X-Shopify-Hmac-Sha256`) and WooCommerce (`X-WC-Webhook-Signature`) both send the
base64 HMAC-SHA256 of the raw body under the webhook secret; compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def body_signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def is_signed_body(body: bytes, secret: str | None, signature: str | None) -> bool:
    if not secret or not signature:
        return False
    return hmac.compare_digest(body_signature(body, secret).encode(), signature.strip().encode())
