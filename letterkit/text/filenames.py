"""A campaign's ``output.filename`` template → one safe, unique file name per recipient.

The template is Jinja in a sandbox, with the recipient's fields and the
letter's date and locale, and a ``slug`` filter; every name it renders is
checked to be a plain file name inside the output folder, and unique.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2.exceptions import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .. import l10n
from ..input.campaign import Campaign, CampaignRecipient, filename_problem
from ..input.sources import Reporter, where_of
from ..model import Letter

_FILENAME_ENV = SandboxedEnvironment(autoescape=False)
_FILENAME_ENV.filters["slug"] = l10n.slug


@functools.lru_cache(maxsize=16)
def _filename_template(template: str) -> Any:
    """``output.filename``, compiled once (it is rendered for every recipient)."""
    return _FILENAME_ENV.from_string(template)


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
    name = str(_filename_template(template).render(context)).strip()
    return name if name.lower().endswith(".pdf") else name + ".pdf"


def output_names(campaign: Campaign, reporter: Reporter) -> dict[str, str]:
    """Recipient id → file name for every recipient whose name is safe and
    unique; each other one is reported (LK160) with its row."""
    names: dict[str, str] = {}
    taken: dict[str, str] = {}
    for row in campaign.recipients:
        try:
            name = render_filename(campaign.filename, row, campaign.letter)
        except TemplateError as exc:
            reporter.error(
                where_of(campaign.output_at), "LK160",
                f"output.filename cannot be rendered: {exc}",
            )  # fmt: skip
            return {}
        problem = filename_problem(name)
        at = where_of(row.origin)
        if problem:
            reporter.error(at, "LK160", f"recipient '{row.id}': output.filename {problem}")
            continue
        if name.lower() in taken:
            reporter.error(
                at, "LK160",
                f"recipient '{row.id}' gets the file name '{name}' of recipient "
                f"'{taken[name.lower()]}'; put recipient.id in output.filename",
            )  # fmt: skip
            continue
        taken[name.lower()] = row.id
        names[row.id] = name
    return names
