"""Reading once (``plvgov.once``): inside a block a question asked many times is read once;
adding a row ends the block, so a write inside it is read back."""

from plvgov import once, settings
from plvgov.decisions import resolutions
from plvgov.membership import members
from tests.conftest import TODAY
from tests.stories import statements


def test_a_block_reads_the_members_once_and_ends_when_a_row_is_added(ledger):
    with ledger.write("test") as s, once.reading(s), statements(ledger) as seen:
        first = members.everyone(s)
        assert len(first) == 33  # the London authorities, as prospects
        assert members.everyone(s) == first and len(seen) == 1
        settings.set_value(
            s, "invoice_due_days", "45", effective_from=TODAY, authority=None, today=TODAY
        )
        assert not once.active(s)  # what the block read may no longer hold
        assert members.everyone(s) == first and len(seen) > 1


def test_outside_a_block_each_call_reads_again(ledger):
    with ledger.read() as s, statements(ledger) as seen:
        members.everyone(s)
        members.everyone(s)
        assert not once.active(s)
    assert len(seen) == 2


def test_a_block_reads_every_resolutions_votes_in_one_statement(ledger):
    from tests.stories import build_story

    build_story(ledger)
    with ledger.read() as s:
        every = resolutions.list_resolutions(s, TODAY)
        with once.reading(s), statements(ledger) as seen:
            again = resolutions.list_resolutions(s, TODAY)
            votes = [v for r in again for v in r.votes]
    assert again == every and votes
    assert sum("FROM resolution_vote" in q for q in seen) == 1
