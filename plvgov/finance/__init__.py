"""The home's finances: the scenario model the board reads and each year's outturn.

Modules import downwards only: ``model`` ← ``outturn``.

- ``model``    the secure children's home's scenarios (Bromley report §4.5-4.11): income, cost
  and surplus at each occupancy and weekly charge, the break-even charge from 60% to 100%
  occupancy, the opening three-year profile, and members' and non-members' weekly fees; every
  number a date-effective setting.
- ``outturn``  a year's actual surplus or deficit, and each member's share of it (pro rata to
  its days of membership, or equal), summing to the result exactly.
"""
