"""Correspondence: how each member receives the company's documents and the record of each copy
sent (CA 2006 Sch. 5 paras 6-7, s.1147).

- :mod:`.agreements`: a member's agreement to receive documents by email at an address, and its
  revocation; a member without one gets paper.
- :mod:`.log`: the send log, one row per document per member, written before the mail server is
  asked and again after its answer (at most once: see docs/sending.md).

Rendering and SMTP are :mod:`plvgov.sending`, above the documents; this package holds only the
facts, so the decisions (a meeting's deemed service) can read them.
"""
