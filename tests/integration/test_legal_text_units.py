"""Organisation texts and the third DCI versions through the real path: `dci-kg load` (the SHACL gate), the
store, SPARQL on /sparql, the resource pages over HTTP, and `dci-kg ask` at a date. The dated DCIS / DSR names
come from a test-data TTL loaded first (tests/data/reference), in the dated-name model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from kg.settings import Settings
from kg.store import EmbeddedStore
from tests.conftest import serve
from vocab.namespaces import ID
from vocab.paths import ROOT

DATA = ROOT / "tests/data"
NAMES = DATA / "reference/test-dated-names.ttl"
TEXTS = [
    Path("/work/shared/sources/legal-texts/arrete-2013-08-12-INTA1319029A.md"),
    DATA / "legal-texts/test-fixture-arrete-dgef-organisation.md",
    DATA / "legal-texts/test-fixture-arrete-dgcl-organisation.md",
    DATA / "legal-texts/arrete-2021-07-15-dcis-partial.md",
    DATA / "legal-texts/test-fixture-arrete-dcis-2022.md",
]
UNITS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dci: <https://w3id.org/dci-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?unit ?parent ?from ?mandate ?role WHERE {
  ?unit a org:OrganizationalUnit ; dci:establishedBy <%s> ; org:subOrganizationOf ?parent .
  ?link dci:unit ?unit ; dci:validFrom ?from .
  OPTIONAL { ?mandate dci:holder ?unit ; dci:primaryRole ?role }
}"""


def run(*args: str, store: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DCIKG_STORE": str(store), "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("family") / "store"
    run("init", store=store)
    run("load", str(NAMES), store=store)
    counts = json.loads(run("load", *map(str, TEXTS), "--json", store=store).stdout)["loaded"]
    assert all(counts[str(p)] > 0 for p in TEXTS)
    return store


@pytest.fixture(scope="module")
def app_url(loaded: Path) -> Iterator[str]:
    store = EmbeddedStore(loaded)
    try:
        with serve(create_app(Settings(store=loaded), store)) as url:
            yield url
    finally:
        store.close()


def sparql(url: str, query: str) -> list[dict]:
    r = httpx.post(url + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in row.items()} for row in r.json()["results"]["bindings"]]


def test_the_store_stays_valid_with_every_text_loaded(loaded: Path) -> None:
    assert json.loads(run("validate", "--json", store=loaded).stdout)["conforms"] is True


def test_the_sg_units_and_their_mandates_answer_sparql(app_url: str) -> None:
    rows = sparql(app_url, UNITS % ID["text/INTA1319029A"])
    units = {r["unit"] for r in rows}
    assert len(units) >= 120 and {r["from"] for r in rows} == {"2013-10-02"}
    spa = str(ID["org/SG/unit/direction-des-libertes-publiques-et-des-affaires-juridiques/unit/"
                 "sous-direction-des-polices-administratives"])
    assert spa in units
    assert {r["role"] for r in rows if r["unit"] == spa and "role" in r} >= {str(ID["role/est-chargee"])}
    assert len({r["unit"] for r in rows if "mandate" in r}) >= 25


def test_a_unit_shows_on_its_page_with_its_parent_and_source(app_url: str) -> None:
    path = "org/SG/unit/cabinet-du-secretaire-general"
    page = httpx.get(f"{app_url}/id/{path}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "cabinet du secrétaire général" in page.text and "/id/text/INTA1319029A" in page.text
    mandate = httpx.get(f"{app_url}/id/text/INTA1319029A/art/1/para/6", headers={"Accept": "text/html"})
    assert mandate.status_code == 200 and f"/id/{path}" in mandate.text


def test_the_written_third_versions_answer_after_they_enter_into_force(loaded: Path) -> None:
    """Done when 2: no NOR, the DCIS name, the DSR, '-' dashes; asked after 2022-04-01 the 2022 text answers."""
    q = "Qui coordonne la coopération technique en matière de sécurité routière ?"
    answers = json.loads(run("ask", q, "--at", "2022-06-01", "--json", store=loaded).stdout)["answers"]
    assert str(ID["text/arrete/2022/3/3"]) in [a["mandate"]["legal_text"]["iri"] for a in answers][:2]
    before = json.loads(run("ask", q, "--at", "2020-06-01", "--json", store=loaded).stdout)["answers"]
    assert str(ID["text/arrete/2022/3/3"]) not in [a["mandate"]["legal_text"]["iri"] for a in before]


def test_units_stay_out_of_competence_answers(loaded: Path) -> None:
    q = "Qui prépare les textes relatifs aux finances des collectivités territoriales ?"
    answers = json.loads(run("ask", q, "--at", "2018-01-01", "--json", store=loaded).stdout)["answers"]
    assert all("/unit/" not in a["mandate"].get("holder", {}).get("iri", "") for a in answers)
