"""docker-compose.yml runs the Neo4j version the tests run (neo4j-server/pom.xml)."""
import re

from ..conftest import ROOT


def test_compose_image_matches_the_tested_version():
    pom = (ROOT / "neo4j-server" / "pom.xml").read_text(encoding="utf-8")
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    version = re.search(r"<neo4j.version>(5\.26\.\d+)</neo4j.version>", pom)[1]
    assert f"image: neo4j:{version}-community" in compose
    assert "${NEO4J_PASSWORD:?" in compose and "127.0.0.1:7687:7687" in compose
