from plvgov.launch import main

main()
