"""``resolution …``, ``meeting …``, ``articles …``, ``director …`` and ``board …``: the
decisions of the members and of the board, and the articles."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from plvgov.cli._common import (
    At,
    Json,
    MemberArg,
    cell,
    date_option,
    datetime_option,
    emit,
    id_argument,
    id_option,
    print_json,
    reading,
    report,
    say,
    table,
    today,
    writing,
)

resolution_app = typer.Typer(
    help="Members' resolutions: written or at a general meeting.", no_args_is_help=True
)
meeting_app = typer.Typer(
    help="General meetings: notice, consents, attendance, votes.", no_args_is_help=True
)
articles_app = typer.Typer(
    help="The articles of association: versions, adoption, filing.", no_args_is_help=True
)
director_app = typer.Typer(help="The register of directors (CA 2006 s.162).", no_args_is_help=True)
board_app = typer.Typer(
    help="Board meetings, board resolutions and unanimous written decisions of the directors.",
    no_args_is_help=True,
)

RequiredDate = Annotated[date, date_option("--date", help="The date (YYYY-MM-DD).")]
OptionalDate = Annotated[date | None, date_option("--date", help="The date (default today).")]
IdArg = Annotated[int, id_argument("The resolution's id.", "plvgov resolution list")]
MeetingId = Annotated[int, id_argument("The meeting's id.", "plvgov meeting list")]
VoteOpt = Annotated[
    str, typer.Option("--vote", help="for, against or abstain.", show_default=False)
]
TextFile = Annotated[
    Path | None,
    typer.Option("--text-file", help="A file holding the exact text (default: the title)."),
]
DirectorArg = Annotated[str, typer.Argument(help="The director: id or name.", show_default=False)]


def _text(path: Path | None) -> str | None:
    if path is None:
        return None
    from plvgov.decisions.articles import read_text

    return read_text(path)


def _dump(obj: Any) -> dict[str, Any]:
    return dict(obj.__dict__)


# -- resolution -------------------------------------------------------------------------------
@resolution_app.command("propose")
def resolution_propose(
    title: Annotated[str, typer.Option("--title", help="A short title.", show_default=False)],
    type_: Annotated[str, typer.Option("--type", help="ordinary or special.", show_default=False)],
    procedure: Annotated[
        str, typer.Option("--procedure", help="written or meeting.", show_default=False)
    ],
    text_file: TextFile = None,
    purpose: Annotated[
        str,
        typer.Option(
            "--purpose",
            help="What it does: remove-director, remove-auditor, amend-articles, "
            "admit-member or other.",
        ),
    ] = "other",
    date_: OptionalDate = None,
    as_json: Json = False,
) -> None:
    """Propose a members' resolution; its exact text is stored. Removing a director or an
    auditor can never be a written resolution (CA 2006 s.288(2)).

    Example: plvgov resolution propose --title "Approve the pricing strategy" --type ordinary --procedure written --text-file pricing.md
    """
    from plvgov.decisions import resolutions

    text = _text(text_file)
    with writing() as session:
        r = resolutions.propose(session, title, type_, procedure, date_ or today(), text, purpose)
        data = {"id": r.id}
    report(as_json, data, f"Proposed resolution {data['id']}: {title} ({type_}, {procedure}).")


@resolution_app.command("circulate")
def resolution_circulate(id_: IdArg, date_: RequiredDate, as_json: Json = False) -> None:
    """Circulate a written resolution: fixes the eligible members (s.289) and the lapse date
    (28 days beginning with the circulation date, s.297).

    Example: plvgov resolution circulate 1 --date 2026-03-02
    """
    from plvgov.decisions import resolutions

    with writing() as session:
        result = resolutions.circulate(session, resolutions.get(session, id_), date_, today=today())
    if as_json:
        print_json(result.as_json())
    else:
        say(
            f"Circulated resolution {id_} to {result.eligible} eligible members; it needs "
            f"{result.required} agreements and lapses at the end of {result.lapses_on}."
        )


@resolution_app.command("vote")
def resolution_vote(
    id_: IdArg,
    member: MemberArg,
    vote: VoteOpt,
    date_: RequiredDate,
    representative: Annotated[
        str | None, typer.Option("--representative", help="Who signed for the council.")
    ] = None,
    as_json: Json = False,
) -> None:
    """Record a member's agreement (for), objection or abstention to a written resolution,
    received on --date. A reply cannot be withdrawn or changed (s.296).

    Example: plvgov resolution vote 1 camden --vote for --date 2026-03-05 --representative "Marcus Reed"
    """
    from plvgov.decisions import resolutions
    from plvgov.membership import members

    with writing() as session:
        r = resolutions.get(session, id_)
        m = members.find(session, member)
        resolutions.vote(session, r, m, vote, date_, representative, today=today())
        state = resolutions.tally(session, r, date_)
    if as_json:
        print_json(state.as_json())
    else:
        say(
            f"Recorded {m.name}: {vote} on {date_}. Resolution {id_} is {state.status} "
            f"({state.votes_for} of {state.required} agreements)."
        )


@resolution_app.command("show")
def resolution_show(id_: IdArg, at: At = None, as_json: Json = False) -> None:
    """A resolution's status and tally as of a date (default today).

    Example: plvgov resolution show 1 --at 2026-03-20
    """
    from plvgov.decisions import resolutions

    on = at or today()
    with reading() as session:
        r = resolutions.get(session, id_)
        state = resolutions.tally(session, r, on)
        text = r.text

    def render(console: Any) -> None:
        console.print(
            f"[bold]Resolution {state.id}: {state.title}[/bold] — {state.type}, "
            f"{state.procedure}: {state.status} on {on}"
        )
        for label, value in (
            ("Circulated", state.circulated_on),
            ("Lapses", state.lapses_on),
            ("Eligible", state.eligible),
            ("Required", state.required),
            ("For", state.votes_for),
            ("Against", state.votes_against),
            ("Abstentions", state.abstentions),
            ("Passed", state.passed_on),
            ("File by", state.filing_due_on),
            ("Filed", state.filed_on),
        ):
            console.print(f"  {label + ':':<13} {cell(value)}")
        console.print(f"\n{text}")

    emit(as_json, state.as_json(), render)


@resolution_app.command("list")
def resolution_list(at: At = None, as_json: Json = False) -> None:
    """Every members' resolution with its status on a date.

    Example: plvgov resolution list --json
    """
    from plvgov.decisions import resolutions

    on = at or today()
    with reading() as session:
        rows = resolutions.list_resolutions(session, on)
    emit(
        as_json,
        [r.as_json() for r in rows],
        lambda c: c.print(
            table(
                f"Members' resolutions on {on}",
                ["id", "title", "type", "procedure", "status", "for", "against", "passed"],
                [
                    (
                        r.id,
                        r.title,
                        r.type,
                        r.procedure,
                        r.status,
                        r.votes_for,
                        r.votes_against,
                        r.passed_on,
                    )
                    for r in rows
                ],
                right=["id", "for", "against"],
            )
        ),
    )


@resolution_app.command("file")
def resolution_file(id_: IdArg, date_: RequiredDate, as_json: Json = False) -> None:
    """Record that a copy of a passed resolution went to the registrar (CA 2006 s.30).

    Example: plvgov resolution file 2 --date 2027-01-12
    """
    from plvgov.decisions import resolutions

    with writing() as session:
        r = resolutions.file(session, resolutions.get(session, id_), date_, today=today())
        data = {"id": r.id, "filed_on": r.filed_on}
    report(as_json, data, f"Resolution {id_} filed with the registrar on {date_}.")


# -- meeting ----------------------------------------------------------------------------------
def _meeting_render(view: Any) -> Any:
    def render(console: Any) -> None:
        console.print(
            f"[bold]General meeting {view.id}[/bold] at {view.at:%Y-%m-%d %H:%M}, "
            f"{view.place or 'place to be confirmed'}"
        )
        for label, value in (
            ("Notice sent", f"{view.sent_at:%Y-%m-%d %H:%M} by {view.method}"),
            ("Deemed served", f"{view.deemed_served_at:%Y-%m-%d %H:%M}"),
            ("Earliest valid", view.earliest_valid_on),
            ("Notice valid", view.notice_ok),
            ("Consents", f"{view.consents} of {view.consents_required} for short notice"),
            ("Proxy cut-off", f"{view.proxy_cutoff:%Y-%m-%d %H:%M} at the earliest"),
            ("Closed", view.closed),
        ):
            console.print(f"  {label + ':':<15} {cell(value)}")
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


@meeting_app.command("convene")
def meeting_convene(
    at: Annotated[datetime, datetime_option("--at", help="When the meeting is held.")],
    sent: Annotated[datetime, datetime_option("--sent", help="When the notice was sent.")],
    method: Annotated[str, typer.Option("--method", help="email, post or hand.")] = "email",
    place: Annotated[str | None, typer.Option("--place", help="Where it is held.")] = None,
    resolution: Annotated[
        list[int] | None,
        id_option(
            "--resolution",
            help="A resolution in the notice (repeat for more).",
            listing="plvgov resolution list",
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Convene a general meeting: works out when the notice is deemed served (s.1147, working
    days s.1173) and the earliest valid date (14 clear days, s.307, s.360). Convening plans:
    --at is usually ahead of today; attendance, votes and the close are recorded once the
    meeting has been held.

    Example: plvgov meeting convene --at 2027-01-06T10:00 --sent 2026-12-18T14:00 --method email --place "Barnet House" --resolution 2
    """
    from plvgov.decisions import meetings

    with writing() as session:
        m = meetings.convene(session, at, sent, method, place, resolution or [])
        data = {
            "id": m.id,
            "deemed_served_at": m.deemed_served_at,
            "earliest_valid_on": m.earliest_valid_on,
            "notice_ok": meetings.notice_period_ok(m),
        }
    if as_json:
        print_json(data)
    else:
        verdict = "valid" if data["notice_ok"] else "SHORT: it needs members' consents"
        served = f"{m.deemed_served_at:%Y-%m-%d %H:%M}"
        ahead = (
            f" Planned for {m.held_at:%Y-%m-%d %H:%M}: record attendance, votes and the close "
            "once it has been held."
            if m.held_at.date() > today()
            else ""
        )
        say(
            f"Convened meeting {data['id']}: notice deemed served {served}; "
            f"earliest valid date {m.earliest_valid_on}; notice {verdict}.{ahead}"
        )


@meeting_app.command("show")
def meeting_show(id_: MeetingId, at: At = None, as_json: Json = False) -> None:
    """A general meeting: its notice, consents to short notice, business and attendance.

    Example: plvgov meeting show 1
    """
    from plvgov.decisions import meetings

    on = at or today()
    with reading() as session:
        view = meetings.show(session, meetings.get(session, id_), on)
    emit(as_json, view.as_json(), _meeting_render(view))


@meeting_app.command("list")
def meeting_list(at: At = None, as_json: Json = False) -> None:
    """Every general meeting.

    Example: plvgov meeting list
    """
    from plvgov.decisions import meetings

    on = at or today()
    with reading() as session:
        views = meetings.list_meetings(session, on)
    emit(
        as_json,
        [v.as_json() for v in views],
        lambda c: c.print(
            table(
                "General meetings",
                ["id", "at", "place", "earliest valid", "notice ok", "closed"],
                [
                    (
                        v.id,
                        f"{v.at:%Y-%m-%d %H:%M}",
                        v.place,
                        v.earliest_valid_on,
                        v.notice_ok,
                        v.closed,
                    )
                    for v in views
                ],
                right=["id"],
            )
        ),
    )


@meeting_app.command("consent")
def meeting_consent(
    id_: MeetingId, member: MemberArg, date_: RequiredDate, as_json: Json = False
) -> None:
    """Record a member's consent to short notice (s.307(4)-(6)).

    Example: plvgov meeting consent 1 camden --date 2026-12-20
    """
    from plvgov.decisions import meetings
    from plvgov.membership import members

    with writing() as session:
        meeting = meetings.get(session, id_)
        m = members.find(session, member)
        meetings.consent(session, meeting, m, date_, today=today())
        view = meetings.show(session, meeting, date_)
    data = {
        "id": id_,
        "consents": view.consents,
        "consents_required": view.consents_required,
        "notice_ok": view.notice_ok,
    }
    if as_json:
        print_json(data)
    else:
        say(
            f"{m.name} consents to short notice: {view.consents} of "
            f"{view.consents_required} needed."
        )


@meeting_app.command("attend")
def meeting_attend(
    id_: MeetingId,
    member: MemberArg,
    representative: Annotated[
        str | None,
        typer.Option("--representative", help="The council's corporate representative (s.323)."),
    ] = None,
    proxy: Annotated[
        str | None, typer.Option("--proxy", help="The member's proxy (s.324).")
    ] = None,
) -> None:
    """Record a member present by its representative or proxy (default: its current
    representative).

    Example: plvgov meeting attend 1 camden --representative "Marcus Reed"
    """
    from plvgov.decisions import meetings
    from plvgov.membership import members

    with writing() as session:
        m = members.find(session, member)
        row = meetings.attend(
            session, meetings.get(session, id_), m, representative, proxy, today=today()
        )
    who = f"proxy {row.proxy}" if row.proxy else row.representative
    say(f"{m.name} present by {who}.")


@meeting_app.command("business")
def meeting_business(id_: MeetingId, resolution: IdArg) -> None:
    """Put a resolution to a meeting after notice went out; it was not in the notice, so it
    cannot pass as a special resolution (s.283(6)).

    Example: plvgov meeting business 1 4
    """
    from plvgov.decisions import meetings, resolutions

    with writing() as session:
        meetings.add_business(
            session, meetings.get(session, id_), resolutions.get(session, resolution)
        )
    say(f"Resolution {resolution} added to meeting {id_} (not in the notice).")


@meeting_app.command("vote")
def meeting_vote(id_: MeetingId, resolution: IdArg, member: MemberArg, vote: VoteOpt) -> None:
    """Record a member's vote at the meeting (one per member, s.284, s.323(4)).

    Example: plvgov meeting vote 1 2 camden --vote for
    """
    from plvgov.decisions import meetings, resolutions
    from plvgov.membership import members

    with writing() as session:
        m = members.find(session, member)
        meetings.vote(
            session,
            meetings.get(session, id_),
            resolutions.get(session, resolution),
            m,
            vote,
            today=today(),
        )
    say(f"{m.name} votes {vote} on resolution {resolution}.")


@meeting_app.command("close")
def meeting_close(id_: MeetingId, as_json: Json = False) -> None:
    """Declare the outcomes on the votes cast and close the meeting's record. Nothing passes at
    an inquorate meeting or one with invalid notice.

    Example: plvgov meeting close 1
    """
    from plvgov.decisions import meetings

    with writing() as session:
        result = meetings.close(session, meetings.get(session, id_), today=today())
    emit(
        as_json,
        result.as_json(),
        lambda c: c.print(
            table(
                f"Meeting {id_}: {'quorate' if result.quorate else 'NOT quorate'}, notice "
                f"{'valid' if result.notice_ok else 'invalid'}",
                ["id", "title", "type", "for", "against", "abstain", "status", "why"],
                [
                    (
                        o.id,
                        o.title,
                        o.type,
                        o.votes_for,
                        o.votes_against,
                        o.abstentions,
                        o.status,
                        o.reason,
                    )
                    for o in result.resolutions
                ],
                right=["id", "for", "against", "abstain"],
            )
        ),
    )


# -- articles ---------------------------------------------------------------------------------
@articles_app.command("adopt")
def articles_adopt(
    file: Annotated[Path, typer.Argument(help="The articles as Markdown.", show_default=False)],
    date_: RequiredDate,
    resolution: Annotated[
        int | None,
        id_option(
            "--resolution",
            help="The passed special resolution adopting them (s.21).",
            listing="plvgov resolution list",
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Adopt a version of the articles from --date. Every version after the first needs a
    passed special resolution (CA 2006 s.21).

    Example: plvgov articles adopt articles-v2.md --date 2027-01-06 --resolution 2
    """
    from plvgov.decisions import articles

    text = articles.read_text(file)
    with writing() as session:
        row = articles.adopt(session, text, date_, resolution, file.name, today=today())
        data = {"version": row.version, "filing_due_on": articles.filing_due(session, row)}
    if as_json:
        print_json(data)
    else:
        due = (
            f"; file with the registrar by {data['filing_due_on']}" if data["filing_due_on"] else ""
        )
        say(f"Adopted articles version {data['version']} from {date_}{due}.")


@articles_app.command("show")
def articles_show(
    version: Annotated[
        int | None,
        id_option("--version", help="This version.", listing="plvgov articles history"),
    ] = None,
    at: At = None,
    as_json: Json = False,
) -> None:
    """The text of the articles in force (or of --version).

    Example: plvgov articles show --version 1
    """
    from plvgov.decisions import articles
    from plvgov.errors import NotFound

    with reading() as session:
        row = (
            articles.get(session, version) if version else articles.in_force(session, at or today())
        )
        if row is None:
            raise NotFound("no articles are in force; adopt them with `plvgov articles adopt`")
        data = {
            "version": row.version,
            "adopted_on": row.adopted_on,
            "resolution_id": row.resolution_id,
            "filed_on": row.filed_on,
            "text": row.text,
        }
    if as_json:
        print_json(data)
    else:
        import sys

        sys.stdout.write(row.text if row.text.endswith("\n") else row.text + "\n")


@articles_app.command("history")
def articles_history(as_json: Json = False) -> None:
    """Every version of the articles with its adoption, resolution and filing.

    Example: plvgov articles history
    """
    from plvgov.decisions import articles

    with reading() as session:
        rows = articles.history(session, today())
    emit(
        as_json,
        [_dump(r) for r in rows],
        lambda c: c.print(
            table(
                "Articles of association",
                ["version", "adopted", "resolution", "file by", "filed", "in force"],
                [
                    (
                        r.version,
                        r.adopted_on,
                        r.resolution_id,
                        r.filing_due_on,
                        r.filed_on,
                        r.in_force,
                    )
                    for r in rows
                ],
                right=["version"],
            )
        ),
    )


@articles_app.command("diff")
def articles_diff(
    a: Annotated[int, id_argument("The older version.", "plvgov articles history")],
    b: Annotated[int, id_argument("The newer version.", "plvgov articles history")],
    as_json: Json = False,
) -> None:
    """A unified diff between two versions of the articles.

    Example: plvgov articles diff 1 2
    """
    from plvgov.decisions import articles

    with reading() as session:
        text = articles.diff(session, a, b)
    if as_json:
        print_json({"from": a, "to": b, "diff": text})
    else:
        import sys

        sys.stdout.write(text or f"versions {a} and {b} have the same text\n")


@articles_app.command("file")
def articles_file(
    version: Annotated[int, id_argument("The version filed.", "plvgov articles history")],
    date_: RequiredDate,
    as_json: Json = False,
) -> None:
    """Record that amended articles went to the registrar (CA 2006 s.26).

    Example: plvgov articles file 2 --date 2027-01-12
    """
    from plvgov.decisions import articles

    with writing() as session:
        row = articles.file(session, articles.get(session, version), date_, today=today())
        data = {"version": row.version, "filed_on": row.filed_on}
    report(as_json, data, f"Articles version {version} filed with the registrar on {date_}.")


# -- director ---------------------------------------------------------------------------------
@director_app.command("appoint")
def director_appoint(
    name: Annotated[str, typer.Argument(help="The director's full name.", show_default=False)],
    date_: RequiredDate,
    nominated_by: Annotated[
        str | None, typer.Option("--nominated-by", help="The member that nominated the director.")
    ] = None,
    as_json: Json = False,
) -> None:
    """Enter a director in the register of directors (s.162) from --date.

    Example: plvgov director appoint "Jane Doe" --date 2023-04-01 --nominated-by barnet
    """
    from plvgov.decisions import board
    from plvgov.membership import members

    with writing() as session:
        nominator = members.find(session, nominated_by) if nominated_by else None
        d = board.appoint(session, name, date_, nominator, today=today())
        data = {"id": d.id, "name": d.name}
    report(as_json, data, f"Appointed {name} as director {data['id']} from {date_}.")


@director_app.command("resign")
def director_resign(director: DirectorArg, date_: RequiredDate) -> None:
    """Record a director's resignation; --date is the last day in office.

    Example: plvgov director resign "Jane Doe" --date 2026-12-31
    """
    from plvgov.decisions import board

    with writing() as session:
        d = board.resign(session, board.find_director(session, director), date_, today=today())
    say(f"{d.name} ceases to be a director at the end of {date_}.")


@director_app.command("list")
def director_list(at: At = None, as_json: Json = False) -> None:
    """The register of directors, past and present.

    Example: plvgov director list --json
    """
    from plvgov.decisions import board

    on = at or today()
    with reading() as session:
        rows = board.register_of_directors(session, on)
    emit(
        as_json,
        [_dump(r) for r in rows],
        lambda c: c.print(
            table(
                f"Register of directors on {on}",
                ["id", "name", "nominated by", "appointed", "resigned", "in office"],
                [
                    (r.id, r.name, r.nominated_by, r.appointed_on, r.resigned_on, r.in_office)
                    for r in rows
                ],
                right=["id"],
            )
        ),
    )


# -- board ------------------------------------------------------------------------------------
BoardId = Annotated[int, id_argument("The board meeting's id.", "plvgov board list")]
BoardResId = Annotated[int, id_argument("The board resolution's id.", "plvgov board resolutions")]
Purpose = Annotated[str, typer.Option("--purpose", help="approve-admission or other.")]
Applicant = Annotated[
    str | None, typer.Option("--member", help="The applicant whose admission it approves.")
]


@board_app.command("meeting")
def board_meeting(
    date_: RequiredDate,
    place: Annotated[str | None, typer.Option("--place", help="Where it is held.")] = None,
    chair: Annotated[str | None, typer.Option("--chair", help="The chairing director.")] = None,
    as_json: Json = False,
) -> None:
    """Convene or record a board meeting on --date. It may be ahead of today (a planned
    meeting); attendance, votes and the close are recorded once it has been held.

    Example: plvgov board meeting --date 2026-11-30 --place "Barnet House" --chair "Jane Doe"
    """
    from plvgov.decisions import board

    with writing() as session:
        chair_row = board.find_director(session, chair) if chair else None
        m = board.convene(session, date_, place, chair_row)
        data = {"id": m.id}
    planned = " (planned: record attendance, votes and the close once held)"
    report(
        as_json, data, f"Board meeting {data['id']} on {date_}{planned if date_ > today() else ''}."
    )


@board_app.command("attend")
def board_attend(id_: BoardId, director: DirectorArg) -> None:
    """Record a director present at a board meeting.

    Example: plvgov board attend 1 "Jane Doe"
    """
    from plvgov.decisions import board

    with writing() as session:
        d = board.find_director(session, director)
        board.attend(session, board.get_meeting(session, id_), d, today=today())
    say(f"{d.name} present at board meeting {id_}.")


@board_app.command("propose")
def board_propose(
    id_: BoardId,
    title: Annotated[str, typer.Option("--title", help="A short title.", show_default=False)],
    text_file: TextFile = None,
    purpose: Purpose = "other",
    member: Applicant = None,
    as_json: Json = False,
) -> None:
    """Put a resolution to a board meeting.

    Example: plvgov board propose 1 --title "Approve Westminster's application" --purpose approve-admission --member westminster
    """
    from plvgov.decisions import board
    from plvgov.membership import members

    text = _text(text_file)
    with writing() as session:
        applicant = members.find(session, member) if member else None
        r = board.propose(session, board.get_meeting(session, id_), title, text, purpose, applicant)
        data = {"id": r.id}
    report(as_json, data, f"Board resolution {data['id']}: {title}.")


@board_app.command("vote")
def board_vote(resolution: BoardResId, director: DirectorArg, vote: VoteOpt) -> None:
    """Record a director's vote at the meeting.

    Example: plvgov board vote 1 "Jane Doe" --vote for
    """
    from plvgov.decisions import board

    with writing() as session:
        d = board.find_director(session, director)
        board.vote(session, board.get_resolution(session, resolution), d, vote, today=today())
    say(f"{d.name} votes {vote} on board resolution {resolution}.")


@board_app.command("close")
def board_close(id_: BoardId, as_json: Json = False) -> None:
    """Declare a board meeting's decisions: majority of votes cast at a quorate meeting, the
    chair's casting vote on a tie when the settings allow it.

    Example: plvgov board close 1
    """
    from plvgov.decisions import board

    with writing() as session:
        result = board.close(session, board.get_meeting(session, id_), today=today())
    emit(
        as_json,
        result.as_json(),
        lambda c: c.print(
            table(
                f"Board meeting {id_}: {'quorate' if result.quorate else 'NOT quorate'}",
                ["id", "status", "for", "against"],
                [
                    (r["id"], r["status"], r["votes_for"], r["votes_against"])
                    for r in result.resolutions
                ],
                right=["id"],
            )
        ),
    )


@board_app.command("written")
def board_written(
    title: Annotated[str, typer.Option("--title", help="A short title.", show_default=False)],
    date_: RequiredDate,
    text_file: TextFile = None,
    purpose: Purpose = "other",
    member: Applicant = None,
    as_json: Json = False,
) -> None:
    """Circulate a directors' written resolution (a unanimous decision, Model Articles art 8)
    to every director in office on --date; it passes when the last of them signs.

    Example: plvgov board written --title "Approve Ealing's application" --date 2023-06-28 --purpose approve-admission --member ealing
    """
    from plvgov.decisions import board
    from plvgov.membership import members

    text = _text(text_file)
    with writing() as session:
        applicant = members.find(session, member) if member else None
        r = board.propose_written(session, title, date_, text, purpose, applicant, today=today())
        data = {"id": r.id, "eligible": r.eligible_count}
    report(
        as_json, data, f"Board resolution {data['id']} circulated to {data['eligible']} directors."
    )


@board_app.command("sign")
def board_sign(
    resolution: BoardResId, director: DirectorArg, date_: RequiredDate, as_json: Json = False
) -> None:
    """Record a director's signature agreeing a written board resolution.

    Example: plvgov board sign 2 "Jane Doe" --date 2023-06-29
    """
    from plvgov.decisions import board

    with writing() as session:
        d = board.find_director(session, director)
        r = board.get_resolution(session, resolution)
        board.sign(session, r, d, date_, today=today())
        data = {"id": r.id, "status": r.status, "decided_on": r.decided_on}
    report(as_json, data, f"{d.name} signed board resolution {resolution}; it is {data['status']}.")


@board_app.command("resolutions")
def board_resolutions(as_json: Json = False) -> None:
    """Every board resolution with its outcome.

    Example: plvgov board resolutions --json
    """
    from plvgov.decisions import board

    with reading() as session:
        rows = board.resolution_views(session)
    emit(
        as_json,
        [_dump(r) for r in rows],
        lambda c: c.print(
            table(
                "Board resolutions",
                ["id", "title", "purpose", "member", "procedure", "status", "decided"],
                [
                    (r.id, r.title, r.purpose, r.member, r.procedure, r.status, r.decided_on)
                    for r in rows
                ],
                right=["id"],
            )
        ),
    )


@board_app.command("show")
def board_show(id_: BoardId, as_json: Json = False) -> None:
    """A board meeting: who was present, the quorum and each resolution's votes and outcome.

    Example: plvgov board show 1
    """
    from plvgov import settings
    from plvgov.decisions import board

    with reading() as session:
        meeting = board.get_meeting(session, id_)
        people = {d.id: d.name for d in board.directors(session)}
        data = {
            "id": meeting.id,
            "held_on": meeting.held_on,
            "place": meeting.place,
            "chair": people.get(meeting.chair_director_id),
            "present": [people.get(p) for p in board.present(session, meeting)],
            "quorum": settings.get(session, "board_quorum", meeting.held_on),
            "closed": meeting.closed,
            "quorate": meeting.quorate,
            "resolutions": [
                _dump(r)
                for r in board.resolution_views(session)
                if r.board_meeting_id == meeting.id
            ],
        }

    def render(console: Any) -> None:
        console.print(
            f"[bold]Board meeting {data['id']}[/bold] on {data['held_on']}, "
            f"{data['place'] or 'place to be confirmed'}; chair {cell(data['chair'])}"
        )
        console.print(
            f"  Present ({len(data['present'])}, quorum {data['quorum']}): "
            f"{', '.join(str(p) for p in data['present']) or '—'}"
        )
        console.print(
            table(
                "Resolutions",
                ["id", "title", "purpose", "status"],
                [(r["id"], r["title"], r["purpose"], r["status"]) for r in data["resolutions"]],
            )
        )

    emit(as_json, data, render)


@board_app.command("list")
def board_list(as_json: Json = False) -> None:
    """Every board meeting.

    Example: plvgov board list
    """
    from plvgov.decisions import board

    with reading() as session:
        rows = [
            {
                "id": m.id,
                "held_on": m.held_on,
                "place": m.place,
                "closed": m.closed,
                "quorate": m.quorate,
                "present": len(board.present(session, m)),
            }
            for m in board.meetings(session)
        ]
    emit(
        as_json,
        rows,
        lambda c: c.print(
            table(
                "Board meetings",
                ["id", "held on", "place", "present", "quorate", "closed"],
                [
                    (r["id"], r["held_on"], r["place"], r["present"], r["quorate"], r["closed"])
                    for r in rows
                ],
                right=["id", "present"],
            )
        ),
    )


def register(root: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    root.add_typer(resolution_app, name="resolution")
    root.add_typer(meeting_app, name="meeting")
    root.add_typer(articles_app, name="articles")
    root.add_typer(director_app, name="director")
    root.add_typer(board_app, name="board")
