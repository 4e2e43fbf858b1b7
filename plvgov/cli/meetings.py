"""``meeting …``: general meetings — convening and notice, consents to short notice, attendance,
votes and the close."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Annotated, Any

import typer

from plvgov.cli._common import (
    At,
    Json,
    MemberArg,
    RequiredDate,
    ResolutionId,
    VoteOpt,
    datetime_option,
    emit,
    id_argument,
    id_option,
    print_json,
    reading,
    say,
    today,
    writing,
)
from plvgov.cli._tables import table
from plvgov.cli._views import draw_meeting
from plvgov.words import plural

app = typer.Typer(
    help="General meetings: notice, consents, attendance, votes.", no_args_is_help=True
)

MeetingId = Annotated[int, id_argument("The meeting's id.", "plvgov meeting list")]


def _clock(value: str | None) -> time | None:
    """A time of day on the meeting day, ``HH:MM`` (24-hour, ASCII digits)."""
    if value is None:
        return None
    match = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])", value.strip())
    if match is None:
        raise typer.BadParameter(f"{value!r} is not a time; write it as HH:MM, e.g. 11:15")
    return time(int(match[1]), int(match[2]))


def _clock_option(name: str, help: str) -> Any:
    return typer.Option(name, help=help, parser=_clock, metavar="HH:MM", show_default=False)


@app.command("convene")
def meeting_convene(
    at: Annotated[datetime, datetime_option("--at", help="When the meeting is held.")],
    sent: Annotated[
        datetime | None,
        datetime_option(
            "--sent",
            help="When the notice was sent, if it went outside plvgov. Leave it out when "
            "`plvgov send notice ID` is to send it: the send log then fixes the deemed service.",
        ),
    ] = None,
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
    chair: Annotated[
        str | None,
        typer.Option(
            "--chair",
            help="Who is to chair the meeting, printed in the minutes (change it at the "
            "meeting with `plvgov meeting chair`).",
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Convene a general meeting: works out when the notice is deemed served (s.1147, working
    days s.1173) and the earliest valid date (14 clear days, s.307, s.360). Convening plans:
    --at is usually ahead of today; attendance, votes and the close are recorded once the
    meeting has been held.

    Example: plvgov meeting convene --at 2027-01-06T10:00 --sent 2026-12-18T14:00 --method email --place "Barnet House" --resolution 2 --chair "Jane Doe"

    Example: plvgov meeting convene --at 2027-01-06T10:00 --place "Barnet House"   (then: plvgov send notice ID)
    """
    from plvgov.decisions import meetings

    with writing() as session:
        m = meetings.convene(session, at, sent, method, place, resolution or [], chair)
        data = {
            "id": m.id,
            "deemed_served_at": m.deemed_served_at,
            "earliest_valid_on": m.earliest_valid_on,
            "notice_ok": meetings.notice_period_ok(m),
        }
    if as_json:
        print_json(data)
    else:
        verdict = (
            "valid"
            if data["notice_ok"]
            else "short: the meeting is valid only if enough members consent to short notice "
            "(`plvgov meeting consent`, s.307(4)-(6))"
        )
        ahead = (
            f" Planned for {m.held_at:%Y-%m-%d %H:%M}: record attendance, votes and the close "
            "once it has been held."
            if m.held_at.date() > today()
            else ""
        )
        if m.deemed_served_at is None:
            say(
                f"Convened meeting {data['id']}; its notice is yet to go: send it with "
                f"`plvgov send notice {data['id']}`, which fixes when it is deemed served.{ahead}"
            )
        else:
            say(
                f"Convened meeting {data['id']}: notice deemed served "
                f"{m.deemed_served_at:%Y-%m-%d %H:%M}; earliest valid date "
                f"{m.earliest_valid_on}; notice {verdict}.{ahead}"
            )


@app.command("show")
def meeting_show(id_: MeetingId, at: At = None, as_json: Json = False) -> None:
    """A general meeting: its notice, consents to short notice, business and attendance.

    Example: plvgov meeting show 1
    """
    from plvgov.decisions import meetings

    on = at or today()
    with reading() as session:
        view = meetings.show(session, meetings.get(session, id_), on)
    emit(as_json, view.as_json(), draw_meeting(view))


@app.command("list")
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
                        v.earliest_valid_on or "not sent",
                        v.notice_ok,
                        v.closed,
                    )
                    for v in views
                ],
                right=["id"],
            )
        ),
    )


@app.command("consent")
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
            f"{m.name} consents to short notice; the meeting has {view.consents} of the "
            f"{plural(view.consents_required, 'consent')} it needs"
            + (", so it may be held at short notice." if view.notice_ok else ".")
        )


@app.command("attend")
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
    from plvgov.decisions import meetings, proceedings
    from plvgov.membership import members

    with writing() as session:
        m = members.find(session, member)
        row = proceedings.attend(
            session, meetings.get(session, id_), m, representative, proxy, today=today()
        )
    who = f"proxy {row.proxy}" if row.proxy else row.representative
    say(f"{m.name} present by {who}.")


@app.command("chair")
def meeting_chair(
    id_: MeetingId,
    name: Annotated[
        str, typer.Option("--name", help="Who chairs the meeting.", show_default=False)
    ],
) -> None:
    """Name or change the chair of a general meeting — at the meeting, if someone else takes
    the chair (Model Articles art 12). Allowed until the meeting is closed; the minutes print
    the chair of record.

    Example: plvgov meeting chair 1 --name "Sam Patel"
    """
    from plvgov.decisions import meetings, proceedings

    with writing() as session:
        meeting = meetings.get(session, id_)
        before = meeting.chair
        proceedings.set_chair(session, meeting, name)
        chair = meeting.chair
    say(f"{chair} chairs meeting {id_}" + (f" in place of {before}." if before else "."))


@app.command("officers")
def meeting_officers(
    id_: MeetingId,
    director: Annotated[
        list[str] | None,
        typer.Option(
            "--director",
            help="A director in attendance, as on the register of directors (repeat for more).",
            show_default=False,
        ),
    ] = None,
    secretary: Annotated[
        str | None,
        typer.Option("--secretary", help="The company secretary, in attendance."),
    ] = None,
) -> None:
    """Record the directors and the company secretary in attendance at a general meeting;
    the minutes list them under "In attendance". They are not members' representatives and do
    not count for the quorum (record those with `plvgov meeting attend`).

    Example: plvgov meeting officers 1 --director "Jane Doe" --director "Sam Patel" --secretary "Alex Kim"
    """
    from plvgov.decisions import meetings, proceedings

    with writing() as session:
        rows = proceedings.attend_officers(
            session, meetings.get(session, id_), director or [], secretary, today=today()
        )
        names = [
            f"{r.name} ({'company secretary' if r.role == 'secretary' else r.role})" for r in rows
        ]
    say(f"In attendance at meeting {id_}: {', '.join(names)}.")


@app.command("business")
def meeting_business(id_: MeetingId, resolution: ResolutionId) -> None:
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


@app.command("vote")
def meeting_vote(
    id_: MeetingId, resolution: ResolutionId, member: MemberArg, vote: VoteOpt
) -> None:
    """Record a member's vote at the meeting (one per member, s.284, s.323(4)).

    Example: plvgov meeting vote 1 2 camden --vote for
    """
    from plvgov.decisions import meetings, proceedings, resolutions
    from plvgov.membership import members

    with writing() as session:
        m = members.find(session, member)
        r = resolutions.get(session, resolution)
        proceedings.vote(session, meetings.get(session, id_), r, m, vote, today=today())
        state = resolutions.standing(session, r, today())
    say(
        f"{m.name} votes {vote} on resolution {resolution}: so far {state.votes_for} for, "
        f"{state.votes_against} against, {state.abstentions} abstaining."
    )


@app.command("close")
def meeting_close(
    id_: MeetingId,
    opened: Annotated[
        time | None,
        _clock_option(
            "--opened",
            "When the meeting opened, on its day (default: the time in the notice; never earlier).",
        ),
    ] = None,
    closed: Annotated[
        time | None,
        _clock_option(
            "--closed",
            "When the meeting closed, on its day; the minutes print it (without it they say "
            "the closing time was not recorded).",
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Declare the outcomes on the votes cast, record when the meeting opened and closed, and
    close the meeting's record. Nothing passes at an inquorate meeting or one with invalid
    notice.

    Example: plvgov meeting close 1 --opened 10:00 --closed 11:15
    """
    from plvgov.decisions import meetings, proceedings

    with writing() as session:
        result = proceedings.close(
            session, meetings.get(session, id_), today=today(), opened=opened, closed=closed
        )
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


def register(root: typer.Typer) -> None:
    """Add ``meeting …`` to the root app."""
    root.add_typer(app, name="meeting")
