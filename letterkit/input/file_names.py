"""A rendered output file name → why it cannot be one, on any system a bundle
may be copied to (a path separator, a name Windows keeps, too many bytes…)."""

from __future__ import annotations

import re

#: Names Windows keeps for its devices, whatever follows a dot (``CON.pdf`` is the console).
_RESERVED = re.compile(
    r"(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])", re.I
)
#: Characters no file name may hold on one system or another: controls, line and paragraph
#: separators, the marks that reorder text (they disguise an extension), what Windows forbids.
_UNSAFE = re.compile(
    r'[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff<>:"|?*]'
)
#: Longest file name most file systems take, in bytes of UTF-8.
NAME_BYTES = 255


def filename_problem(name: str) -> str | None:
    """Why *name* cannot be an output file name inside the output folder, on any
    system a bundle may be copied to, or None."""
    if not name or name in {".pdf"}:
        return "renders an empty file name"
    shown = _shown(name)
    if "/" in name or "\\" in name:
        return f"renders '{shown}', which holds a path separator; use |slug on the values"
    if ".." in name.split(".pdf")[0].split("."):
        return f"renders '{shown}', which would leave the output folder"
    if name.startswith("..") or name.startswith("."):
        return f"renders '{shown}', which is not a plain file name; use |slug on the values"
    size = len(name.encode("utf-8", "surrogatepass"))
    if size > NAME_BYTES:
        return (
            f"renders a name of {size:,} bytes ('{shown}'); a file name holds at most "
            f"{NAME_BYTES} bytes: shorten it"
        )
    unsafe = _UNSAFE.search(name)
    if unsafe:
        return (
            f"renders '{shown}', which holds {_char(unsafe.group())}, not allowed in a file "
            "name; use |slug on the values"
        )
    if _RESERVED.fullmatch(name.split(".", 1)[0].rstrip(" ")):
        return (
            f"renders '{shown}', a name Windows keeps for a device; add a word before it "
            "in output.filename"
        )
    if name.endswith((".", " ")):
        return f"renders '{shown}', which ends in a dot or a space; remove it"
    return None


def _char(char: str) -> str:
    """A character as a message names it: ``'|'``, or ``U+000A`` for an invisible one."""
    return f"'{char}'" if char.isprintable() else f"U+{ord(char):04X}"


def _shown(name: str) -> str:
    """A rendered name as a one-line message shows it: invisible characters as
    ``\\x0a``-style escapes, and long names cut to 80 characters."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256
                   else f"\\u{ord(c):04x}" for c in name)  # fmt: skip
    return text if len(text) <= 80 else text[:79] + "…"


#: Jinja's opening marks: a combined PDF's name is not a template.
_TEMPLATE = re.compile(r"\{[{%#]")
_EXAMPLE = "such as all-letters.pdf"


def combined_problem(name: str) -> str | None:
    """Why *name* cannot be ``output.combined``, the one PDF of every letter, or
    None: a plain file name in the output folder (not a template), ending in
    ``.pdf`` as a letter's name must, and one any file system takes."""
    shown = _shown(name)
    if _TEMPLATE.search(name):
        return (
            f"'{shown}' holds template syntax, but the combined PDF is one file for all "
            f"the letters, not a template: give a plain file name, {_EXAMPLE}"
        )
    if "/" in name or "\\" in name or name.startswith("."):
        return (
            f"'{shown}' is not a plain file name in the output folder: give a name with no "
            f"folder and no leading dot, {_EXAMPLE}"
        )
    if not name.lower().endswith(".pdf"):
        return f"'{shown}' does not end in .pdf; end it in .pdf, {_EXAMPLE}"
    problem = filename_problem(name)
    if problem is None:
        return None
    # The rest are a name no file system takes: said as for letters, without their template advice.
    reason = problem.split("; use |slug")[0].split("; add a word before it")[0]
    return reason.replace(f"renders '{shown}', ", f"'{shown}' ", 1).replace("renders ", "is ", 1)
