"""plvgov: the governance and membership ledger of the Pan-London Vehicle (PLV).

The package is a library first: every capability is a function that takes a database
session and dates as parameters. ``plvgov.cli`` is a thin shell over it.
"""

__version__ = "0.1.0"
