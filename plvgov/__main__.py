from plvgov.cli import main

main()
