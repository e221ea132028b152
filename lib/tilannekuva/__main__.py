from tilannekuva.cli import main

main()
