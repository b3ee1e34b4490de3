"""Neo4j: connect (one-line errors), load a built graph, run the Cypher pack."""
