"""Project-level promises: the README's two commands, the compose file, the Docker image."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT


def test_readme_opens_with_exactly_the_two_setup_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_compose_pins_images_checks_health_keeps_data_and_takes_auth_from_env():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    neo4j = services["neo4j"]
    assert re.fullmatch(r"neo4j:5\.\d+\.\d+-community", neo4j["image"])
    assert "healthcheck" in neo4j and "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert "neo4j-data:/data" in neo4j["volumes"] and "neo4j-data" in compose["volumes"]
    assert "${NEO4J_PASSWORD:?" in neo4j["environment"]["NEO4J_AUTH"]  # no default password
    for name in ("ingest", "dashboard"):
        svc = services[name]
        assert svc["build"] == "."
        assert svc["environment"]["INFRINGER_GRAPH_STORE"].startswith("neo4j://neo4j:")
        assert svc["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert services["dashboard"]["depends_on"]["ingest"]["condition"] == "service_completed_successfully"
    assert all(p.startswith("127.0.0.1:") for s in services.values() for p in s.get("ports", []))
    env_example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert re.search(r"^NEO4J_PASSWORD=$", env_example, re.M)


def test_docker_image_copies_every_package_the_distribution_ships():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11\.\d+-slim", dockerfile, re.M)
    for package in packages:
        assert f"COPY {package} ./{package}" in dockerfile
