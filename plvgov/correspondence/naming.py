"""How the send log (:mod:`plvgov.correspondence.log`) names a document in words. Apart from the
log so that the hard-copy deadlines (``calendar``, ``check``) name a document without building
the log's table.
"""


def describe(document: str) -> str:
    """A document's log name in words: ``notice:3`` → "notice 3", ``written-resolution:2`` →
    "written resolution 2", ``invoice:PLV-2026-0001`` → "invoice PLV-2026-0001"."""
    kind, _, ident = document.partition(":")
    return f"{kind.replace('-', ' ')} {ident}".strip()
