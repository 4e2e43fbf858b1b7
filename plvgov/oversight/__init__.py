"""Oversight: reads every domain, written by none.

- ``deadlines``  the one registry of every deadline the domains know (``calendar``, the board
  pack and ``check`` all read it).
- ``checks``     ``plvgov check``: what needs the company secretary's attention today.
- ``ics``        deadlines as an iCalendar file for Outlook.
"""
