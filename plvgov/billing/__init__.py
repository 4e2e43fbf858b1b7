"""Billing: what each council owes and what it has paid.

- ``cpi``       the CPI series (ONS D7BT): shipped values, imports, revisions, index lookups.
- ``schemes``   subscription schemes, part years and quotes (the working shown on papers).
- ``invoices``  the annual invoice run, payments, credit notes, arrears, statements, export and
  the invoice papers.
"""
