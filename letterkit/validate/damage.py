"""A text value → what a spreadsheet or a wrong encoding did to it, if anything.

Detectors for :mod:`.hygiene`, kept free of the letter model:

- :func:`mojibake`: UTF-8 text that was read as Windows-1252 or Latin-1
  (``Ã©`` for ``é``, ``â€™`` for ``’``, ``Ð¡`` for ``С``, ``Ø§`` for ``ا``),
  with the text it repairs to when the bytes are all still there;
- :func:`misread`: Cyrillic or Arabic opened in the wrong encoding (UTF-8
  read as Windows-1251 or Windows-1256, Windows-1251 read as Windows-1252),
  with the repaired text;
- :func:`lost`: characters that are gone (only question marks, or the
  replacement character ``�``);
- :func:`wrapped`: a whole value inside one pair of quote marks.

The mojibake detector is conservative: a pair of characters counts only when
its first one is the lead byte of a UTF-8 letter or punctuation mark of a
script a letter is written in (Latin accents, Cyrillic, Greek, Hebrew,
Arabic, general punctuation), the next ones are continuation bytes, and the
bytes decode to a letter, a mark or a punctuation sign. Real names in French,
Russian, Arabic or Turkish never hold such a pair ("Élodie", "Şebnem",
"Ølstykke" start no UTF-8 sequence).

>>> mojibake("Ligue des droits de lâ€™Homme")
(True, 'Ligue des droits de l’Homme')
>>> mojibake("Ligue des droits de l’Homme")
(False, None)
"""

from __future__ import annotations

import re
import unicodedata

#: Windows-1252 characters that stand for the lead byte of a UTF-8 letter or
#: punctuation mark: Â Ã (Latin-1 letters, « » °), Ä Å Ç È (Latin Extended:
#: ş ğ ı ł č ș), Î Ï (Greek), Ð Ñ Ò Ó (Cyrillic), × (Hebrew), Ø Ù Ú Û
#: (Arabic), â (’ “ ” – — …), ï (a byte order mark, ï»¿).
_LEADS = frozenset("ÂÃÄÅÇÈÎÏÐÑÒÓ×ØÙÚÛâï")
#: Quote marks that wrap a whole value, opening → closing.
_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "»": "«", "‘": "’", "'": "'", "‹": "›"}
_LOST = re.compile(r"[\s?.,;:()\-]*\?[\s?.,;:()\-]*|.*\?{3}.*", re.DOTALL)


def _byte(char: str) -> int | None:
    """The byte a non-ASCII character was decoded from by Windows-1252 (or by
    Latin-1, for the C1 controls Windows-1252 leaves undefined); None when no
    single byte gives it."""
    if char < "\x80":
        return None
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        return ord(char) if ord(char) < 0x100 else None


def _length(lead: int) -> int:
    """How many continuation bytes follow a UTF-8 lead byte (0: not a lead)."""
    if 0xC2 <= lead <= 0xDF:
        return 1
    if 0xE0 <= lead <= 0xEF:
        return 2
    if 0xF0 <= lead <= 0xF4:
        return 3
    return 0


def _sequence(text: str, start: int) -> tuple[str, int] | None:
    """The character the UTF-8 bytes at *start* decode to, and how many
    characters of *text* they take; None when they are not mojibake."""
    if text[start] not in _LEADS:
        return None
    lead = _byte(text[start])
    need = _length(lead or 0)
    if not need or start + need >= len(text):
        return None
    raw = [lead or 0]
    for char in text[start + 1 : start + 1 + need]:
        byte = _byte(char)
        if byte is None or not 0x80 <= byte <= 0xBF:
            return None
        raw.append(byte)
    try:
        decoded = bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if decoded == "\ufeff":  # a byte order mark: nothing to print
        return "", need + 1
    kind = unicodedata.category(decoded)
    if kind[0] in "LMP" or kind in ("Sc", "Zs", "So"):
        return decoded, need + 1
    return None


def mojibake(text: str) -> tuple[bool, str | None]:
    """Whether *text* holds UTF-8 read as Windows-1252, and the repaired text
    (None when some bytes were lost on the way and it cannot be repaired).

    >>> mojibake("Ã‰lise Ã©crit")
    (True, 'Élise écrit')
    >>> mojibake("Ð¡Ð²Ð¾Ð±Ð¾Ð´Ð°")
    (True, 'Свобода')
    >>> mojibake("Ñ�Ð²Ð¾")[0]
    True
    >>> mojibake("Élodie Noël, Şebnem, Ølstykke, São Tomé")
    (False, None)
    """
    if text.isascii() or _LEADS.isdisjoint(text):
        return False, None
    out: list[str] = []
    found = broken = stray = False
    index = 0
    while index < len(text):
        hit = _sequence(text, index)
        if hit is None:
            char = text[index]
            if char in _LEADS:  # not repaired: real text ("JOÃO"), or bytes lost
                after = text[index + 1 : index + 2]
                byte = _byte(after) if after else None
                broken = broken or after == "\ufffd" or 0x80 <= (byte or 0) <= 0xBF
                stray = True
            out.append(char)
            index += 1
            continue
        out.append(hit[0])
        index += hit[1]
        found = True
    # A lead before a continuation byte or a lost one is damage; a lead left
    # beside repaired text says some bytes were lost: no repair is offered.
    if broken or (found and stray):
        return True, None
    return (True, "".join(out)) if found else (False, None)


#: Encodings a text is misread in, with the script its words are written in:
#: UTF-8 read as Windows-1251 (``РџСЂР°`` for ``Пра``) or as Windows-1256
#: (``ظ…ظ†`` for ``من``).
_MISREAD = (("cp1251", "CYRILLIC", "Windows-1251"), ("cp1256", "ARABIC", "Windows-1256"))
#: A word of three or more letters from À to ÿ: Windows-1251 Cyrillic read as
#: Windows-1252 (``Ïðàâî`` for ``Право``), when at least half the letters of
#: the text are such: no French or Turkish word is made only of accented letters.
_LATIN1_WORD = re.compile(r"(?<![^\W\d_])[À-ÖØ-öø-ÿ]{3,}(?![^\W\d_])")


def _encoded(text: str, codec: str) -> bytes | None:
    """*text* as the bytes *codec* decoded it from (a C1 control the codec
    leaves undefined stands for its own byte); None when it cannot be."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode(codec)
        except UnicodeEncodeError:
            if not 0x80 <= ord(char) <= 0x9F:
                return None
            out.append(ord(char))
    return bytes(out)


def _script_letters(text: str, script: str) -> int:
    return sum(1 for c in text if c.isalpha() and unicodedata.name(c, "").startswith(script))


def misread(text: str) -> tuple[str, str] | None:
    """How *text* was misread, when it is Cyrillic or Arabic saved in one
    encoding and opened in another, and the text it repairs to; None when it
    is not (:func:`mojibake` covers UTF-8 read as Windows-1252).

    >>> misread("РџСЂР°РІРѕР·Р°С‰РёС‚РЅС‹Р№ С†РµРЅС‚СЂ")
    ('UTF-8 text opened as Windows-1251', 'Правозащитный центр')
    >>> misread("Ïðàâîçàùèòíûé öåíòð Ìåìîðèàë")
    ('Windows-1251 text opened as Windows-1252', 'Правозащитный центр Мемориал')
    >>> misread("ظ…ظ†ط¸ظ…ط©")
    ('UTF-8 text opened as Windows-1256', 'منظمة')
    >>> misread("Правозащитный центр «Мемориал»"), misread("Ève à Noël")
    (None, None)
    """
    if text.isascii():
        return None
    for codec, script, name in _MISREAD:
        raw = _encoded(text, codec)
        try:
            repaired = raw.decode("utf-8") if raw is not None else ""
        except UnicodeDecodeError:
            continue
        if repaired != text and _script_letters(repaired, script) >= 2:
            return f"UTF-8 text opened as {name}", repaired
    letters = [c for c in text if c.isalpha()]
    high = sum(1 for c in letters if "À" <= c <= "ÿ")
    if _LATIN1_WORD.search(text) and 2 * high >= len(letters) and max(map(ord, letters)) < 0x100:
        repaired = "".join(
            bytes([ord(c)]).decode("cp1251") if "À" <= c <= "ÿ" and c not in "×÷" else c
            for c in text
        )
        if _script_letters(repaired, "CYRILLIC") >= 3:
            return "Windows-1251 text opened as Windows-1252", repaired
    return None


def lost(text: str) -> str | None:
    """How characters of *text* were lost, or None: ``"question"`` for a value of
    question marks (or a run of three), ``"replacement"`` for ``�``.

    >>> lost("???? ?????"), lost("Kyrgyz ???????"), lost("A�B"), lost("Who?")
    ('question', 'question', 'replacement', None)
    """
    if "\ufffd" in text:
        return "replacement"
    if text.strip() and _LOST.fullmatch(text):
        return "question"
    return None


def wrapped(text: str) -> str | None:
    """The inside of *text* when quote marks wrap all of it (and only it), else None.

    >>> wrapped('"Amnesty International"'), wrapped("«Мемориал»")
    ('Amnesty International', 'Мемориал')
    >>> wrapped('"Memorial" Centre'), wrapped('"A" and "B"'), wrapped("'t Hooft")
    (None, None, None)
    """
    value = text.strip()
    if len(value) < 3:
        return None
    close = _QUOTES.get(value[0])
    inner = value[1:-1]
    if close is None or value[-1] != close or close in inner or value[0] in inner:
        return None
    return inner.strip() or None


__all__ = ["lost", "misread", "mojibake", "wrapped"]
