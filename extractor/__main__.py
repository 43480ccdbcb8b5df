from extractor.entry import main

main()
