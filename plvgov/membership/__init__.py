"""Membership: who the members are, how they joined and how they leave.

- ``members``   the register of members (CA 2006 s.113): prospects, council decisions, admission
  (and the board's approval it cites, art 21), corporate representatives (s.323), cessation,
  status on any date, the guarantee tail.
- ``exits``     commitment cycles, break points and exit points, the notice each needs, and
  notices of withdrawal; it reads the register, never the reverse.
- ``importing`` members from a CSV file, strictly.
- ``views``     what ``member list`` and ``member show`` print (the register and each exit ahead).
"""
