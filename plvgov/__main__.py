from plvgov.cli import app

app()  # as the console script
