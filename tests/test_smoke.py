from plvgov import audit


def test_init_creates_33_prospects_and_one_event(ledger):
    with ledger.read() as session:
        from plvgov import members
        from tests.conftest import TODAY

        views = members.list_members(session, TODAY)
        assert len(views) == 33
        assert {v.status for v in views} == {"prospect"}
        assert audit.verify(session).ok
        assert audit.head(session)[0] == 1
