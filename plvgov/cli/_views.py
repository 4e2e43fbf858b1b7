"""How one member and one general meeting are drawn on the screen (`member show`,
`meeting show`): the commands stay thin, and the layout of a record lives here."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from plvgov.cli._common import heading
from plvgov.cli._tables import cell, table

if TYPE_CHECKING:
    from rich.console import Console


def draw_member(
    console: Console, d: object, on: date, documents: dict[str, object] | None = None
) -> None:
    """`member show`: a member's status, particulars, how it gets documents, representative,
    exits and decisions."""
    from plvgov.dates import uk_date
    from plvgov.membership import views

    assert isinstance(d, views.MemberDetail)
    console.print(heading(d.council_name, f" ({d.gss_code or d.slug}) on {uk_date(on)}"))
    lines: list[tuple[str, object]] = [
        ("Status", views.status_line(d, on)),
        ("Address", d.address),
    ]
    if d.email:
        lines.append(("Email", d.email))
    if d.peppol_id:
        lines.append(("Peppol", d.peppol_id))
    if documents is not None and d.status in ("member", "notice_given"):
        lines.append(("Documents by", _documents_by(documents)))
    if d.representative is not None:
        rep = d.representative
        assert isinstance(rep["from_on"], date)
        lines.append(("Representative", f"{rep['name']} from {uk_date(rep['from_on'])}"))
    elif d.status in ("member", "notice_given"):
        lines.append(("Representative", None))
    if d.next_exit_on is not None and d.status == "member" and d.ceased_on is None:
        deadline = f" (notice by {uk_date(d.notice_deadline)})" if d.notice_deadline else ""
        lines.append(("Next exit point", f"{uk_date(d.next_exit_on)}{deadline}"))
    if d.withdrawal and d.status != "member" and not d.withdrawal["deadline_met"]:
        missed = d.withdrawal["missed_exit_on"]
        assert isinstance(missed, date)
        lines.append(("Missed exit point", f"{uk_date(missed)} (the notice came too late)"))
    if d.guarantee_until is not None:
        lines.append(("Guarantee until", uk_date(d.guarantee_until)))
    console.print(_fields(lines, 18))
    if d.decisions:
        console.print(
            table(
                "Council decisions",
                ["date", "stage", "body", "reference"],
                [
                    (
                        x["decided_on"],
                        views.STAGE_WORDS.get(str(x["stage"])),
                        x["body"],
                        x["reference"],
                    )
                    for x in d.decisions
                ],
            )
        )


def _fixed_by(view: Any) -> list[tuple[str, object]]:
    """What the send log says of a notice plvgov sent (`meeting show`)."""
    if view.notice_fixed_by:
        sent = view.notice_fixed_by
        how = f"to {sent['address']}" if sent["method"] == "email" else "posted"
        return [
            (
                "Fixed by",
                f"the last copy: {sent['member']}, {how} at {sent['sent_at']:%Y-%m-%d %H:%M}"
                + (f" (Message-ID {sent['message_id']})" if sent["message_id"] else ""),
            )
        ]
    if view.notice_waiting:
        names = ", ".join(view.notice_waiting[:5])
        more = f" and {len(view.notice_waiting) - 5} more" if len(view.notice_waiting) > 5 else ""
        return [("Awaiting", f"{len(view.notice_waiting)}: {names}{more}")]
    return []


def draw_meeting(view: Any) -> Any:
    """`meeting show`: the notice, its timing, consents, chair, business and who was present."""

    def render(console: Any) -> None:
        console.print(
            heading(
                f"General meeting {view.id}",
                f" at {view.at:%Y-%m-%d %H:%M}, {view.place or 'place to be confirmed'}",
            )
        )
        pairs: list[tuple[str, object]] = []
        for label, value in (
            (
                "Notice sent",
                f"{view.sent_at:%Y-%m-%d %H:%M} by {view.method}"
                if view.sent_at
                else "not yet: `plvgov send notice` sends it",
            ),
            (
                "Deemed served",
                f"{view.deemed_served_at:%Y-%m-%d %H:%M}" if view.deemed_served_at else "—",
            ),
            ("Earliest valid", view.earliest_valid_on or "—"),
            *_fixed_by(view),
            ("Notice valid", view.notice_ok),
            (
                "Consents",
                f"{view.consents} of the {view.consents_required} needed for short notice",
            ),
            (
                "Proxies",
                f"the articles may require them by {view.proxy_cutoff:%Y-%m-%d %H:%M}, no earlier (s.327)",
            ),
            ("Chair", view.chair or "not named (`plvgov meeting chair`)"),
            ("Closed", view.closed),
        ):
            pairs.append((label, value))
        console.print(_fields(pairs, 15))
        if view.resolutions:
            console.print(
                table(
                    "Business",
                    ["id", "title", "type", "in notice", "status"],
                    [
                        (r["id"], r["title"], r["type"], r["in_notice"], r["status"])
                        for r in view.resolutions
                    ],
                )
            )
        if view.attendance:
            console.print(
                table(
                    "Present",
                    ["member", "representative", "proxy"],
                    [(a["member"], a["representative"], a["proxy"]) for a in view.attendance],
                )
            )

    return render


def _fields(pairs: list[tuple[str, object]], width: int) -> Any:
    """``label: value`` lines; a value too long for the line wraps under itself, not under
    the label."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=width + 2)
    grid.add_column(overflow="fold")
    for label, value in pairs:
        grid.add_row(Text(f"  {label}:"), Text(cell(value)))
    return grid


def _documents_by(documents: dict[str, object]) -> str:
    """ "email to X (agreed 1 April 2023)", or "post: no agreement to email" (CA 2006 Sch. 5)."""
    from plvgov.dates import uk_date

    if documents["method"] == "email":
        agreed = documents["agreed_on"]
        assert isinstance(agreed, date)
        return f"email to {documents['address']} (agreed {uk_date(agreed)})"
    return "post: no agreement to email (`plvgov member email`)"
