"""Sending the papers: each member's own copy rendered as PDF and sent by SMTP to the address it
agreed to (CA 2006 Sch. 5), or written to an outbox as .eml files, with every copy in the send
log (:mod:`plvgov.correspondence.log`). The kinds that can be sent are :mod:`.kinds`; mail
server settings and messages are :mod:`.mail`; a run is :mod:`.runs`. The guarantee (at most
once per document and member) is explained in docs/sending.md.
"""
