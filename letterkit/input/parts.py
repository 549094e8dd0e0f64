"""The spec's parts → model parts: template, sender, recipients, dateline, annexes.

Each reader takes the spec's located mapping and a
:class:`~letterkit.input.fields.Reader`, reports values of the wrong shape
where they stand, resolves paths by the one path policy, and leaves the
model's rules (allowed words, files that must exist) to
:mod:`letterkit.validate`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from .. import files, l10n
from .._resources import names_a_file
from ..model import GENDER_WORDS, OFFICE_WORDS, Annex, Dateline, Recipient, Sender
from .fields import Reader
from .sources import Located, Where

SENDER_KEYS = ("name", "address", "email", "logo", "logo_position", "logos")
LOGO_POSITIONS = {"auto": "auto", "left": "left", "right": "right", "top": "top"}
RECIPIENT_KEYS = (
    "honorific", "name", "title", "organization", "address", "email", "salutation", "closing",
    "gender", "office", "surname",
)  # fmt: skip
ANNEX_KEYS = (
    "path", "title", "pages", "password", "password_env", "stamp", "generate", "attachments",
)  # fmt: skip
ATTACHMENTS = {"keep": "keep", "drop": "drop"}
DATELINE_KEYS = ("position", "format", "trailing_comma", "show", "align")
POSITIONS = {"before-subject": "before-subject", "after-subject": "after-subject", "top": "top"}
SIDES = {"right": "right", "left": "left"}


def read_template(spec: Located, reader: Reader) -> str | dict[str, str]:
    """A built-in name, a path, or ``{locale: name or path}``; paths follow the path
    policy (whether the file exists is validation's to say)."""
    value = spec.get("template")
    where = reader.mark("letter.template", spec.where("template"))
    if value is None:
        return ""
    names = (
        {str(k): str(v) for k, v in value.items()}
        if isinstance(value, dict)
        else {"": str(value).strip()}
    )
    for name in names.values():
        if names_a_file(name):
            path = reader.resolve(name, where, "letter.template", "template")
            if path is not None and path.is_file():
                reader.inputs.append(path)
    return names if isinstance(value, dict) else names[""]


def read_sender(spec: Located, reader: Reader) -> Sender | None:
    data = reader.section(spec, "sender", SENDER_KEYS)
    if data is None:
        return None
    logo = None
    at = reader.mark("letter.sender.logo", data.where("logo"))
    if data.get("logo"):
        logo = _image(str(data["logo"]), at, reader, "letter.sender.logo")
    return Sender(
        name=reader.text(data, "name", "letter.sender.name", "sender.name"),
        address=reader.lines(data, "address", "letter.sender.address"),
        email=reader.plain(data, "email", "letter.sender.email"),
        logo=logo,
        logo_position=cast(
            Any,
            reader.word(
                data, "logo_position", "letter.sender.logo_position", LOGO_POSITIONS, "auto"
            ),
        ),
        logos=_logos(data, reader),
    )


def _image(value: str, at: Where, reader: Reader, field: str) -> Path | None:
    """An image path by the path policy, remembered as an input when it is there."""
    path = reader.resolve(value, at, field, "image")
    if path is not None and path.is_file():
        reader.inputs.append(path)
    return path


def _logos(data: Located, reader: Reader) -> tuple[Path, ...]:
    """``logos``: a list of image paths, one entry per item as written (how many
    there may be, and what each file holds, is validation's to say). An item
    already reported here stays as written, so the others keep their places."""
    value = data.get("logos")
    where = reader.mark("letter.sender.logos", data.where("logos"))
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.error(
            where, "LK105", "'logos' must be a list of PNG or JPEG files", "letter.sender.logos"
        )
        return ()
    out: list[Path] = []
    for index, (item, at) in enumerate(reader.items(value, where)):
        field = f"letter.sender.logos[{index}]"
        reader.mark(field, at)
        path = None
        if not isinstance(item, str) or not item.strip():
            reader.error(at, "LK105", "each of 'logos' must be a PNG or JPEG file's path", field)
        else:
            path = _image(item.strip(), at, reader, field)
        out.append(Path(str(item)) if path is None else path)
    return tuple(out)


def read_recipients(spec: Located, reader: Reader) -> tuple[Recipient, ...]:
    """``recipients`` (a list of addressee blocks) or ``recipient`` (one)."""
    if "recipient" in spec and "recipients" in spec:
        reader.error(
            spec.where("recipients"), "LK105", "give either 'recipient' or 'recipients', not both"
        )
        return ()
    key = "recipients" if "recipients" in spec else "recipient"
    value = spec.get(key)
    where = reader.mark("letter.recipients", spec.where(key))
    if value is None:
        return ()
    items: list[tuple[Any, Where]] = (
        list(reader.items(value, where)) if isinstance(value, list) else [(value, where)]
    )
    out: list[Recipient] = []
    for item, at in items:
        field = f"letter.recipients[{len(out)}]"
        data = reader.mapping(item, reader.mark(field, at), key, "")
        if data is not None:
            out.append(_recipient(data, reader, field))
    return tuple(out)


def _recipient(data: Located, reader: Reader, field: str) -> Recipient:
    reader.keys(data, RECIPIENT_KEYS, "recipient")
    return Recipient(
        name=reader.text(data, "name", f"{field}.name", "recipient name"),
        honorific=reader.text(data, "honorific", f"{field}.honorific"),
        title=reader.text(data, "title", f"{field}.title"),
        organization=reader.text(data, "organization", f"{field}.organization"),
        address=reader.lines(data, "address", f"{field}.address"),
        email=reader.plain(data, "email", f"{field}.email"),
        salutation=optional_text(data, "salutation", f"{field}.salutation", reader),
        closing=optional_text(data, "closing", f"{field}.closing", reader),
        gender=reader.word(data, "gender", f"{field}.gender", GENDER_WORDS, ""),
        office=reader.word(data, "office", f"{field}.office", OFFICE_WORDS, ""),
        surname=reader.text(data, "surname", f"{field}.surname"),
    )


def optional_text(data: Located, key: str, field: str, reader: Reader) -> Any:
    """A localizable text that may be left out (None) or given empty ("": none)."""
    value = reader.text(data, key, field)
    return None if data.get(key) is None else value


def read_dateline(spec: Located, reader: Reader) -> Dateline:
    data = reader.section(spec, "dateline", DATELINE_KEYS)
    if data is None:
        return Dateline()
    return Dateline(
        position=cast(
            Any,
            reader.word(data, "position", "letter.dateline.position", POSITIONS, "before-subject"),
        ),
        format=reader.plain(data, "format", "letter.dateline.format", "long"),
        trailing_comma=reader.flag(data, "trailing_comma", "letter.dateline.trailing_comma", False),
        show=reader.flag(data, "show", "letter.dateline.show", True),
        align=cast(Any, reader.word(data, "align", "letter.dateline.align", SIDES, "right")),
    )


def _one_path(named: str, at: Where, reader: Reader) -> Path | None:
    """An annex file as written → its path (None: refused, and reported)."""
    # field "": a refused annex is left out, so there is nothing to hold back
    path = reader.resolve(named, at, "", files.annex_kind(named))
    if path is not None and path.is_file():
        reader.inputs.append(path)
    return path


def _local_paths(
    raw: dict[Any, Any], at: Where, reader: Reader, field: str
) -> dict[str, Path] | None:
    """``{locale: file}`` → each file resolved (None: a key is no locale or a
    file is refused, reported)."""
    if not l10n.is_localizable_mapping(raw) or not all(
        isinstance(v, str) and v for v in raw.values()
    ):
        reader.error(
            at, "LK105", "'path' must be a file name or a mapping {locale: file name}", field
        )
        return None
    out: dict[str, Path] = {}
    for key, named in raw.items():
        where = raw.where(key) if isinstance(raw, Located) else at
        path = _one_path(str(named), where, reader)
        if path is None:
            return None
        out[str(key)] = path
    return out


def read_annexes(spec: Located, reader: Reader) -> tuple[Annex, ...]:
    """Annex files (a path, or ``{path, title, pages, …}``) and generated annexes."""
    value = spec.get("annexes")
    where = reader.mark("letter.annexes", spec.where("annexes"))
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.error(where, "LK105", "'annexes' must be a list", "letter.annexes")
        return ()
    out: list[Annex] = []
    for item, at in reader.items(value, where):
        field = f"letter.annexes[{len(out)}]"
        if isinstance(item, str):
            holder = Located(spec.src, at[1], field=at[0] if isinstance(at[0], str) else None)
            holder["path"] = item
            holder.key_pos["path"] = at[1]
            item = holder
        data = reader.mapping(item, reader.mark(field, at), "annexes entry", "")
        if data is not None:
            annex = _annex(data, reader, field)
            if annex is not None:
                out.append(annex)
    return tuple(out)


def _annex(data: Located, reader: Reader, field: str) -> Annex | None:
    reader.keys(data, ANNEX_KEYS, "annex")
    path: Path | dict[str, Path] | None = None
    at = reader.mark(f"{field}.path", data.where("path"))
    raw = data.get("path")
    if isinstance(raw, dict):
        path = _local_paths(raw, at, reader, field)
        if path is None:
            return None
    elif isinstance(raw, list):
        reader.error(
            at, "LK105", "'path' must be one file name (one annex each), or a mapping "
            "{locale: file name}; give each file an annex entry of its own", field,
        )  # fmt: skip
        return None
    elif raw:
        path = _one_path(str(raw), at, reader)
        if path is None:
            return None
    generate = reader.plain(data, "generate", f"{field}.generate")
    title = reader.text(data, "title", f"{field}.title")
    return Annex(
        path=path,
        title=title or (path.stem if isinstance(path, Path) and not generate else ""),
        pages=reader.plain(data, "pages", f"{field}.pages"),
        password=reader.plain(data, "password", f"{field}.password"),
        password_env=reader.plain(data, "password_env", f"{field}.password_env"),
        stamp=reader.flag(data, "stamp", f"{field}.stamp", True),
        generate=cast(Any, generate),
        attachments=_attachments(data, reader, f"{field}.attachments"),
    )


def _attachments(data: Located, reader: Reader, field: str) -> Any:
    """``keep`` or ``drop``; any other word is kept as written, for validation
    to list the allowed ones (YAML's ``yes``/``true`` arrive as a flag)."""
    value = data.get("attachments")
    if isinstance(value, bool):
        reader.mark(field, data.where("attachments"))
        return str(value).lower()
    return reader.word(data, "attachments", field, ATTACHMENTS, "drop")
