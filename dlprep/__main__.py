from dlprep.cli import main

main()
