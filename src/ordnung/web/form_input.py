"""Reading the fields of a back-office form: text, whole numbers, choices and the version a
page was shown with. Problems are collected per field as message keys, so a form can be shown
again with every problem beside its field."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import FormData


class FormRejectedError(Exception):
    """A field the page cannot pass on; `key` names the message shown to the reader."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass
class FieldProblems:
    """Field name → message key of what is wrong with it (the first problem per field)."""

    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, key: str) -> None:
        self.by_field.setdefault(name, key)

    def __bool__(self) -> bool:
        return bool(self.by_field)


def text(form: FormData, name: str) -> str:
    """The field's text, trimmed; a file sent where text was expected counts as empty."""
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def whole_number(form: FormData, name: str, problems: FieldProblems, key: str) -> int | None:
    """The field as a whole number (`-5`, `12`), None when empty or unreadable (then `key` is
    noted against the field)."""
    value = text(form, name).replace("\u2212", "-")  # the minus sign some keyboards type
    if not value:
        return None
    digits = value[1:] if value[:1] in "+-" else value
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        problems.add(name, key)
        return None
    return int(value)


def version(form: FormData) -> int:
    """The version the page was shown with; without it an edit could overwrite another."""
    value = text(form, "version")
    if not (value.isascii() and value.isdigit()):
        raise FormRejectedError("flash.form_outdated")
    return int(value)
