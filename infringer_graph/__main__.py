from infringer_graph.cli import main

main()
