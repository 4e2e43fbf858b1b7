"""The company itself.

- ``filings``   the registrar's clocks: confirmation statement, accounts, the incorporation rule.
- ``founding``  ``plvgov init``: a new ledger with the company's facts and the London authorities
  as prospects (reads membership and billing, so it sits above them).
"""
