"""Decision tables (resolutions, votes, meetings, directors, board, articles)."""
