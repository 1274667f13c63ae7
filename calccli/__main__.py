from calccli.entry import main

main()
