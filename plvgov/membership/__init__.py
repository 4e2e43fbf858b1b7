"""Membership: who the members are, how they joined and how they leave.

- ``members``  the register of members (CA 2006 s.113): prospects, council decisions, admission,
  corporate representatives (s.323), withdrawal notices, cessation, the guarantee tail.
- ``exits``    commitment cycles, break points and exit points, and the notice each needs.
- ``importing`` members from a CSV file, strictly.
"""
