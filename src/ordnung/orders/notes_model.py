"""What a tag and a comment on an order may be. Pure Python.

A tag is a short word people filter by (`vip`, `gift-wrap`, `b2b_2026`): trimmed and lower-
cased so `VIP` and `vip ` are the same tag; letters (any script), digits, `-` and `_`; at most
40 characters. A comment is free text of at most 4,000 characters, never empty.
"""

from __future__ import annotations

import re

from ordnung.core.errors import ValidationError

MAX_TAG_LENGTH = 40
MAX_COMMENT_LENGTH = 4000
TAG_PATTERN = r"^[^\W]+$"
_TAG = re.compile(TAG_PATTERN)


def normalise_tag(raw: str) -> str:
    """The tag as stored; a ValidationError naming `tag` if it cannot be one."""
    tag = raw.strip().lower()
    if not tag:
        raise ValidationError("A tag must not be empty.", field="tag")
    if len(tag) > MAX_TAG_LENGTH:
        raise ValidationError(f"A tag has at most {MAX_TAG_LENGTH} characters.", field="tag")
    if not _TAG.match(tag.replace("-", "_")):
        raise ValidationError("A tag may hold only letters, digits, '-' and '_'.", field="tag")
    return tag


def checked_comment(raw: str) -> str:
    """The comment as stored (trimmed); a ValidationError naming `body` if empty or long."""
    body = raw.strip()
    if not body:
        raise ValidationError("A comment must not be empty.", field="body")
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            f"A comment has at most {MAX_COMMENT_LENGTH} characters.", field="body"
        )
    return body
