"""``board …``: board meetings, board resolutions and the directors' unanimous written
decisions (Model Articles arts 7-13)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer

from plvgov.cli._common import (
    DirectorArg,
    Json,
    RequiredDate,
    TextFile,
    VoteOpt,
    emit,
    heading,
    id_argument,
    reading,
    report,
    say,
    text_of,
    today,
    writing,
)
from plvgov.cli._tables import cell, table
from plvgov.words import plural

app = typer.Typer(
    help="Board meetings, board resolutions and unanimous written decisions of the directors.",
    no_args_is_help=True,
)

BoardId = Annotated[int, id_argument("The board meeting's id.", "plvgov board list")]
BoardResId = Annotated[int, id_argument("The board resolution's id.", "plvgov board resolutions")]
Purpose = Annotated[str, typer.Option("--purpose", help="approve-admission or other.")]
Applicant = Annotated[
    str | None, typer.Option("--member", help="The applicant whose admission it approves.")
]


@app.command("meeting")
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
    from plvgov.decisions import appointments, board

    with writing() as session:
        chair_row = appointments.find_director(session, chair) if chair else None
        m = board.convene(session, date_, place, chair_row)
        data = {"id": m.id}
    planned = " (planned: record attendance, votes and the close once held)"
    report(
        as_json, data, f"Board meeting {data['id']} on {date_}{planned if date_ > today() else ''}."
    )


@app.command("attend")
def board_attend(id_: BoardId, director: DirectorArg) -> None:
    """Record a director present at a board meeting.

    Example: plvgov board attend 1 "Jane Doe"
    """
    from plvgov.decisions import appointments, board

    with writing() as session:
        d = appointments.find_director(session, director)
        board.attend(session, board.get_meeting(session, id_), d, today=today())
    say(f"{d.name} present at board meeting {id_}.")


@app.command("propose")
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

    text = text_of(text_file)
    with writing() as session:
        applicant = members.find(session, member) if member else None
        r = board.propose(session, board.get_meeting(session, id_), title, text, purpose, applicant)
        data = {"id": r.id}
    report(as_json, data, f"Board resolution {data['id']}: {title}.")


@app.command("vote")
def board_vote(resolution: BoardResId, director: DirectorArg, vote: VoteOpt) -> None:
    """Record a director's vote at the meeting.

    Example: plvgov board vote 1 "Jane Doe" --vote for
    """
    from plvgov.decisions import appointments, board

    with writing() as session:
        d = appointments.find_director(session, director)
        board.vote(session, board.get_resolution(session, resolution), d, vote, today=today())
    say(f"{d.name} votes {vote} on board resolution {resolution}.")


@app.command("close")
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


@app.command("written")
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

    text = text_of(text_file)
    with writing() as session:
        applicant = members.find(session, member) if member else None
        r = board.propose_written(session, title, date_, text, purpose, applicant, today=today())
        data = {"id": r.id, "eligible": r.eligible_count}
    report(
        as_json,
        data,
        f"Board resolution {data['id']} circulated to {plural(data['eligible'] or 0, 'director')}.",
    )


@app.command("sign")
def board_sign(
    resolution: BoardResId, director: DirectorArg, date_: RequiredDate, as_json: Json = False
) -> None:
    """Record a director's signature agreeing a written board resolution.

    Example: plvgov board sign 2 "Jane Doe" --date 2023-06-29
    """
    from plvgov.decisions import appointments, board

    with writing() as session:
        d = appointments.find_director(session, director)
        r = board.get_resolution(session, resolution)
        board.sign(session, r, d, date_, today=today())
        data = {"id": r.id, "status": r.status, "decided_on": r.decided_on}
        everyone = plural(r.eligible_count or 0, "director")
    standing = (
        f"it passed on {data['decided_on']}: all {everyone} have signed"
        if data["status"] == "passed"
        else f"it passes when all {everyone} have signed"
    )
    report(as_json, data, f"{d.name} signed board resolution {resolution}; {standing}.")


@app.command("resolutions")
def board_resolutions(as_json: Json = False) -> None:
    """Every board resolution with its outcome.

    Example: plvgov board resolutions --json
    """
    from plvgov.decisions import board

    with reading() as session:
        rows = board.resolution_views(session)
    emit(
        as_json,
        [asdict(r) for r in rows],
        lambda c: c.print(
            table(
                "Board resolutions",
                ["id", "title", "purpose", "member", "procedure", "status", "decided"],
                [
                    (r.id, r.title, r.purpose, r.member, r.procedure, r.status, r.decided_on)
                    for r in rows
                ],
                right=["id"],
                optional=["purpose", "procedure"],
            )
        ),
    )


@app.command("show")
def board_show(id_: BoardId, as_json: Json = False) -> None:
    """A board meeting: who was present, the quorum and each resolution's votes and outcome.

    Example: plvgov board show 1
    """
    from plvgov.decisions import board

    with reading() as session:
        view = board.meeting_view(session, board.get_meeting(session, id_))

    def render(console: Any) -> None:
        console.print(
            heading(
                f"Board meeting {view.id}",
                f" on {view.held_on}, {view.place or 'place to be confirmed'}; "
                f"chair {cell(view.chair)}",
            )
        )
        console.print(
            f"  Present ({len(view.present)}, quorum {view.quorum}): "
            f"{', '.join(str(p) for p in view.present) or '—'}"
        )
        console.print(
            table(
                "Resolutions",
                ["id", "title", "purpose", "status"],
                [(r.id, r.title, r.purpose, r.status) for r in view.resolutions],
            )
        )

    emit(as_json, view.as_json(), render)


@app.command("list")
def board_list(as_json: Json = False) -> None:
    """Every board meeting.

    Example: plvgov board list
    """
    from plvgov.decisions import board

    with reading() as session:
        rows = board.meeting_rows(session)
    emit(
        as_json,
        [r.as_json() for r in rows],
        lambda c: c.print(
            table(
                "Board meetings",
                ["id", "held on", "place", "present", "quorate", "closed"],
                [(r.id, r.held_on, r.place, r.present, r.quorate, r.closed) for r in rows],
                right=["id", "present"],
            )
        ),
    )


def register(root: typer.Typer) -> None:
    """Add ``board …`` to the root app."""
    root.add_typer(app, name="board")
