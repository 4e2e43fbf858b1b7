"""The registers and clocks a company secretary keeps beyond the register of members: people
with significant control (derived from membership), members' and others' requests with their
deadlines, directors' identity verification and what the confirmation statement needs."""
