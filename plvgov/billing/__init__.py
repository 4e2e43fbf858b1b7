"""Billing: what each council owes and what it has paid.

Modules import downwards only, in this order: ``cpi`` ← ``schemes`` ← ``issuing`` ←
``accounts`` ← ``export`` and ``papers``.

- ``cpi``       the CPI series (ONS D7BT): shipped values, imports, revisions, index lookups.
- ``schemes``   subscription schemes, part years, quotes and the working every paper shows;
  the CPI months the next runs still need.
- ``issuing``   invoice and credit-note numbering, purchase orders, the annual invoice run.
- ``accounts``  invoices after issue: balances, payments, credit notes, arrears, statements,
  the year's summary and the invoices' deadlines.
- ``export``    the CSV for the finance system.
- ``papers``    the printed invoice, credit note and subscription notice.
"""
