from extractor.cli._entry import main

main()
