"""Billing tables (subscription schemes, CPI, invoices, payments, credit notes)."""
