"""A campaign's ``output.filename`` template → one safe, unique file name per recipient.

The template is Jinja in the same bounded sandbox as a letter's template
(time, size and value limits), with the recipient's fields and the letter's
date and locale, and a ``slug`` filter; every name it renders is checked to
be a plain file name inside the output folder, ending in ``.pdf``, and unique.
A problem every recipient's name shares is the template's: it is said once,
at the campaign's ``output``, not once per row.
"""

from __future__ import annotations

from .. import l10n
from ..input.campaign import Campaign, CampaignRecipient, filename_problem
from ..input.sources import Reporter, where_of
from ..limits import TimeLimit
from ..model import Letter
from ..validate.damage import wrapped
from .sandbox import FILENAME_ENV, OutputTooLarge, compiled, render_bounded


def render_filename(template: str, row: CampaignRecipient, letter: Letter) -> str:
    """The output file name of one letter (not yet checked)."""
    r = row.recipient
    context = {
        "recipient": {
            "id": row.id,
            "name": l10n.localize(r.name, row.locale),
            "honorific": l10n.localize(r.honorific, row.locale),
            "title": l10n.localize(r.title, row.locale),
            "organization": l10n.localize(r.organization, row.locale),
            "locale": row.locale,
        },
        "letter": {"date": letter.date.isoformat(), "locale": row.locale},
    }
    tpl = compiled(FILENAME_ENV, template, "output.filename")
    return render_bounded(tpl, context).strip()


def output_names(campaign: Campaign, reporter: Reporter) -> dict[str, str]:
    """Recipient id → file name for every recipient whose name is safe, a PDF's
    and unique; each other one is reported (LK160) with its row, or once at
    ``output`` when every recipient's name is wrong. A template wrapped in
    quote marks (pasted ``“…”``) is a warning (LK125)."""
    spec = where_of(campaign.output_at)
    inner = wrapped(campaign.filename)
    if inner is not None:
        reporter.warning(
            spec, "LK125",
            f"output.filename '{campaign.filename}' is wrapped in quote marks, which would "
            f"be part of every file name; write it as '{inner}'",
        )  # fmt: skip
    names: dict[str, str] = {}
    taken: dict[str, str] = {}
    bad: list[tuple[CampaignRecipient, str]] = []
    for row in campaign.recipients:
        try:
            name = render_filename(campaign.filename, row, campaign.letter)
        except (TimeLimit, OutputTooLarge, MemoryError, RecursionError) as exc:
            reporter.error(
                spec, "LK114",
                f"output.filename ran past its limits ({_said(exc)}); a file name needs "
                "only the recipient's fields",
            )  # fmt: skip
            return {}
        except Exception as exc:  # anything a template can raise is the template's fault
            reporter.error(spec, "LK160", f"output.filename cannot be rendered: {_said(exc)}")
            return {}
        problem = filename_problem(name) or _not_pdf(name)
        if problem:
            bad.append((row, problem))
            continue
        if name.lower() in taken:
            reporter.error(
                where_of(row.origin), "LK160",
                f"recipient '{row.id}' gets the file name '{name}' of recipient "
                f"'{taken[name.lower()]}'; put recipient.id in output.filename",
            )  # fmt: skip
            continue
        taken[name.lower()] = row.id
        names[row.id] = name
    if len(bad) > 1 and len(bad) == len(campaign.recipients):
        row, problem = bad[0]
        reporter.error(
            spec, "LK160",
            f"output.filename {problem} (recipient '{row.id}'; the same for all {len(bad)} "
            "recipients)",
        )  # fmt: skip
        return names
    for row, problem in bad:
        reporter.error(
            where_of(row.origin), "LK160", f"recipient '{row.id}': output.filename {problem}"
        )
    return names


def _not_pdf(name: str) -> str | None:
    """Why *name* is not a PDF's file name, or None."""
    if name.lower().endswith(".pdf"):
        return None
    return f"renders '{name if len(name) <= 80 else name[:79] + '…'}', which does not end in .pdf; end output.filename in .pdf"


def _said(exc: BaseException) -> str:
    """An exception as one short line of a problem."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"
