from calccli.cli import main

main()
