"""Hostile input against the API on a real uvicorn: imports never fetch nor explode, every malformed body
or path is a 4xx problem that changes nothing, a restricted id answers exactly as an unknown one, and the
Authorization header and the request head are checked."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from rdflib import URIRef

from api.app import create_app
from api.server import MAX_HEAD_BYTES
from kg.auth.access import Role
from kg.auth.tokens import TokenFile
from kg.services import imports
from kg.services.build import load_files
from kg.settings import Settings
from kg.store import EmbeddedStore
from loaders.rdf_files import RdfFileError
from loaders.rdf_safety import REMOTE_CONTEXT
from loaders.register import COLUMNS
from tests.conftest import free_port, serve, wait_http

PROBLEM = "application/problem+json"
LABEL = "http://www.w3.org/2000/01/rdf-schema#comment"
DCI = "https://w3id.org/dci-kg/id/org/DCI"


# -- a loopback listener that records every connection --------------------------------------------------


@dataclass
class Listener:
    url: str
    connections: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A TCP server on 127.0.0.1 that records each connection and answers a JSON-LD context, so that a
    fetch, if one happened, would succeed and be seen."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.1)
    rec = Listener(f"http://127.0.0.1:{sock.getsockname()[1]}")
    stop = threading.Event()
    body = json.dumps({"@context": {"label": LABEL}}).encode()
    reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/ld+json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)

    def run() -> None:
        while not stop.is_set():
            try:
                conn, peer = sock.accept()
            except TimeoutError:
                continue
            rec.connections.append(peer)
            with conn:
                conn.settimeout(1)
                try:
                    conn.recv(65536)
                    conn.sendall(reply)
                except OSError:
                    pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield rec
    finally:
        stop.set()
        thread.join(5)
        sock.close()


def post_import(api, body: bytes, media: str, role: str = "admin") -> httpx.Response:
    return api.client(role).post("/import", content=body, headers={"Content-Type": media})


def assert_refused(api, r: httpx.Response, before: str, *, status: int | None = None) -> dict:
    """A 4xx problem, without a server path nor a Python repr, and the importable data unchanged."""
    assert 400 <= r.status_code < 500, r.text
    if status is not None:
        assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    text = json.dumps(problem)
    for leak in ("/tmp", "file://", os.getcwd(), "Traceback", "object at 0x", "URIRef(", "b'"):
        assert leak not in text, f"{leak!r} shown in {text}"
    assert api.client("admin").get("/import").headers["etag"] == before
    return problem


def etag(api) -> str:
    return api.client("admin").get("/import").headers["etag"]


# -- JSON-LD: no remote context, ever ----------------------------------------------------------------------


def _jsonld_cases(url: str) -> dict[str, object]:
    node = {"@id": DCI, "label": "x"}
    return {
        "top-level": {"@context": url, **node},
        "in a list": {"@context": [{"x": "http://x/"}, url], **node},
        "nested list": {"@context": [[url]], **node},
        "in a node": {"@context": {"label": LABEL}, "@id": DCI, "http://x/p": {"@context": url, "label": "y"}},
        "in @graph": {"@graph": [{"@context": url, **node}]},
        "scoped": {"@context": {"label": LABEL, "t": {"@id": "http://x/t", "@context": url}}, **node},
        "@import": {"@context": {"@version": 1.1, "@import": url}, **node},
        "a list document": [{"@context": url, **node}],
    }


@pytest.mark.parametrize("case", list(_jsonld_cases("u")))
def test_a_remote_json_ld_context_is_refused_without_a_connection(api, listener, case):
    before = etag(api)
    body = json.dumps(_jsonld_cases(listener.url + "/ctx")[case]).encode()
    problem = assert_refused(api, post_import(api, body, "application/ld+json"), before, status=400)
    assert REMOTE_CONTEXT in problem["detail"]
    assert listener.connections == []


def test_a_relative_context_naming_a_local_file_is_refused(api):
    before = etag(api)
    body = json.dumps({"@context": "../../etc/passwd", "@id": DCI}).encode()
    assert REMOTE_CONTEXT in assert_refused(api, post_import(api, body, "application/ld+json"), before)["detail"]


def test_an_inline_json_ld_context_still_imports(api):
    body = json.dumps({"@context": {"c": LABEL}, "@id": DCI, "c": {"@value": "jsonld", "@language": "fr"}}).encode()
    r = post_import(api, body, "application/ld+json")
    assert r.status_code == 200, r.text
    assert r.json()["loaded"] == {"upload.jsonld": 1}


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".trig"])
def test_relative_iris_resolve_in_the_project_space_not_the_server_path(tmp_path: Path, suffix):
    from loaders.rdf_files import read_rdf

    path = tmp_path / f"relative{suffix}"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    path.write_text({".ttl": f'<x> <{label}> "x" .', ".trig": f'{{ <x> <{label}> "x" . }}',
                     ".jsonld": json.dumps({"@id": "x", label: "x"})}[suffix])  # fmt: skip
    quads = read_rdf(path, URIRef("urn:x-test:g"))
    assert [str(q[0]) for q in quads] == ["https://w3id.org/dci-kg/id/x"]
    assert str(tmp_path) not in repr(quads)


def test_the_shared_loader_refuses_a_remote_context_from_the_cli(fresh_store, listener, tmp_path: Path):
    """`dci-kg load` goes through the same loader."""
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": listener.url, "@id": DCI, "label": "x"}))
    with pytest.raises(RdfFileError, match="remote JSON-LD contexts are not fetched"):
        load_files(fresh_store, [path])
    assert listener.connections == []


# -- RDF/XML: no DTD, no entity -------------------------------------------------------------------------------

RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"'


def rdf_xml(about: str, comment: str) -> str:
    """One rdfs:comment in RDF/XML (`comment` is raw XML: attributes, then an entity reference or a text)."""
    desc = f'<rdf:Description rdf:about="{about}"><rdfs:comment{comment}</rdfs:comment></rdf:Description>'
    return f"<rdf:RDF {RDF_NS}>{desc}</rdf:RDF>"


LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS = f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY lol0 "lol">{LAUGHS}]>' + rdf_xml(DCI, ">&lol9;")


def _xml_cases(url: str) -> dict[str, str]:
    desc = rdf_xml(DCI, ">&ext;")
    return {
        "billion laughs": BILLION_LAUGHS,
        "external entity": f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY ext SYSTEM "{url}/">]>{desc}',
        "parameter entity": f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{url}/p"> %p;]>{desc}',
        "external DTD": f'<?xml version="1.0"?><!DOCTYPE rdf:RDF SYSTEM "{url}/dtd">{desc}',
    }


@pytest.mark.parametrize("case", list(_xml_cases("u")))
def test_xml_with_a_dtd_or_entities_is_refused_without_a_connection(api, listener, case):
    before = etag(api)
    body = _xml_cases(listener.url)[case].encode()
    problem = assert_refused(api, post_import(api, body, "application/rdf+xml"), before, status=400)
    assert "DOCTYPE" in problem["detail"]
    assert listener.connections == []


def test_plain_rdf_xml_still_imports(api):
    body = rdf_xml(DCI, ' xml:lang="fr">xml')
    r = post_import(api, body.encode(), "application/rdf+xml")
    assert r.status_code == 200, r.text


# -- every media type: a malformed body is a 4xx, nothing is written -----------------------------------------

BAD_IRI = b'<http://example.org/a b> <http://www.w3.org/2000/01/rdf-schema#comment> "x" .'
MALFORMED: dict[str, list[bytes]] = {
    "text/turtle": [b"@prefix x: <http://x/> . x:a x:b", BAD_IRI, b'<http://x/a> <http://x/b> "x"@a_b .', b"\xff\xfe"],
    "application/n-triples": [b"garbage", BAD_IRI, b"\xff"],
    "application/rdf+xml": [
        b"<rdf:RDF",
        rdf_xml("http://a b", ">x").encode(),
        b"\xff\xfe<x/>",
    ],
    "application/ld+json": [
        b"{",
        b'{"@context": 5}',
        b'{"@context": {"@vocab": 5}, "p": "x"}',
        b"[" * 100_000,
        b"\xff",
    ],
    "application/trig": [b"<http://x/g> {", b"{ " + BAD_IRI + b" }"],
    "application/n-quads": [b"x", b"<http://x/a> <http://x/b> <http://x/c> <http://x/g h> ."],
    "text/markdown": [b"hello", b"\xff\xfe", b"---\nnor: [\n---\n"],
    "text/csv": [b"\xff\xfe", b'"unclosed', b"id\n" + b"a" * 200_000, b"a,b\x00c\n"],
    "application/json": [b"{", b'{"items": 5}', b'"x"', b"\xff", b"[" * 100_000, b'[{"id": {"a": 1}}]'],
}


def test_every_media_type_has_malformed_cases():
    assert set(MALFORMED) == set(imports.MEDIA_TYPES)


@pytest.mark.parametrize(("media", "body"), [(m, b) for m, bodies in MALFORMED.items() for b in bodies])
def test_a_malformed_body_is_a_4xx_problem_and_changes_nothing(api, media, body):
    before = etag(api)
    role = "negotiator" if media in imports.REGISTER_SUFFIXES else "admin"
    assert_refused(api, post_import(api, body, media, role), before)


def test_an_invalid_iri_is_named(api):
    problem = assert_refused(api, post_import(api, BAD_IRI, "text/turtle"), etag(api), status=400)
    assert "not a valid IRI: <http://example.org/a b>" in problem["detail"]
    assert "upload.ttl" in problem["detail"]


def _register_csv(**cells: str) -> bytes:
    row = {c: "" for c in COLUMNS} | {
        "id": f"TEST-SEC-{uuid.uuid4().hex[:8]}",
        "kind": "technical_arrangement",
        "title": "Arrangement de test",
        "partner_country": "MA",
        "confidentiality": "public",
        "source": "https://example.org/s",
        **cells,
    }
    return (",".join(COLUMNS) + "\n" + ",".join(f'"{row[c]}"' for c in COLUMNS) + "\n").encode()


def test_a_register_cell_over_the_limit_names_row_and_column(api):
    body = _register_csv(note="n" * 200_000)
    problem = assert_refused(api, post_import(api, body, "text/csv", "negotiator"), etag(api), status=422)
    assert any(p["row"] == 2 and p["column"] == "note" and "at most 131072" in p["reason"] for p in problem["problems"])


def test_a_source_that_is_not_a_valid_iri_stays_text(api):
    r = post_import(api, _register_csv(source="https://example.org/a<b"), "text/csv", "negotiator")
    assert r.status_code == 200, r.text


@pytest.fixture(scope="module")
def small_import_api(built_store, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """The app with DCIKG_MAX_IMPORT_BYTES=4096, on a private copy of the bundled knowledge base."""
    tmp = tmp_path_factory.mktemp("small-import")
    tokens = TokenFile(tmp / "tokens.json")
    admin = tokens.create(Role.admin, "admin")[0]
    store = EmbeddedStore(None)
    store.bulk_add(built_store.quads())
    app = create_app(Settings(tokens_file=tmp / "tokens.json", max_import_bytes=4096), store)
    with serve(app) as url:
        yield url, admin
    store.close()


def test_a_body_over_the_limit_is_413(small_import_api):
    url, admin = small_import_api
    h = {"Authorization": f"Bearer {admin}", "Content-Type": "text/turtle"}
    before = httpx.get(url + "/import", headers=h).headers["etag"]
    line = f'<{DCI}> <{LABEL}> "big"@fr .\n'.encode()
    body = line * (5000 // len(line) + 1)
    ok = httpx.post(url + "/import", content=line, headers=h)
    assert ok.status_code == 200, ok.text
    before = ok.headers["etag"]
    declared = httpx.post(url + "/import", content=body, headers=h)
    assert declared.status_code == 413 and declared.headers["content-type"].startswith(PROBLEM)
    assert "DCIKG_MAX_IMPORT_BYTES" in declared.json()["detail"]
    chunked = httpx.post(url + "/import", content=iter([body[:3000], body[3000:]]), headers=h)  # no Content-Length
    assert chunked.status_code == 413
    assert httpx.get(url + "/import", headers=h).headers["etag"] == before


def test_no_route_takes_a_body_over_the_limit(small_import_api):
    """The cap holds for every route, not only /import: a JSON instrument, a SPARQL form."""
    url, admin = small_import_api
    h = {"Authorization": f"Bearer {admin}", "Content-Type": "application/json"}
    big = json.dumps({"id": "X-1", "title": "x" * 5000}).encode()
    for content in (big, iter([big[:2500], big[2500:]])):  # declared, then chunked
        r = httpx.post(url + "/agreements", content=content, headers=h)
        assert r.status_code == 413 and r.headers["content-type"].startswith(PROBLEM), r.text
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    r = httpx.post(url + "/sparql", content=iter([b"query=" + b"A" * 3000, b"B" * 3000]), headers=form)
    assert r.status_code == 413
    assert httpx.get(url + "/health").status_code == 200


def test_a_sparql_request_over_its_own_limit_is_413(api):
    too_long = "query=" + "%41" * (3 * 20_000 + 70_000)  # far past what a 20,000-character query encodes to
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    r = api.client().post("/sparql", content=too_long.encode(), headers=form)
    assert r.status_code == 413 and "SPARQL request" in r.json()["detail"]


# -- paths: no 500, nothing reaches a query -----------------------------------------------------------------


BAD_PATHS = ["org/%3C", "org/%3E", "x%00", "%7B%7D", "a%20b", "%22", "%5C", "%60", "%5E", "%7C", "a%0Ab", "a%09b"]
BAD_PATHS += ["a%7F", "%25zz", "org/DCI%3E%20%3Chttp:%2F%2Fx"]  # the last one would close <…> in a query


@pytest.mark.parametrize(
    "path",
    BAD_PATHS,
)
def test_an_id_path_that_is_not_an_iri_is_404(api, path):
    r = api.client().get(f"/id/{path}", headers={"Accept": "text/turtle"})
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith(PROBLEM)


# -- a restricted id answers exactly as an unknown one ---------------------------------------------------------


def _same_answer(a: httpx.Response, b: httpx.Response, a_id: str, b_id: str) -> None:
    assert a.status_code == b.status_code == 404
    assert a.text.replace(a_id, "ID") == b.text.replace(b_id, "ID")
    def kept(r: httpx.Response) -> dict[str, str]:
        return {k: v for k, v in r.headers.items() if k != "date"}

    assert kept(a) == kept(b)


def test_a_restricted_instrument_and_an_unknown_one_give_the_same_answer(api):
    rid = f"TEST-SEC-RESTRICTED-{uuid.uuid4().hex[:8]}"
    unknown = f"TEST-SEC-RESTRICTED-{uuid.uuid4().hex[:8]}"  # same length: same Content-Length
    record = {
        "id": rid,
        "kind": "technical_arrangement",
        "title": "Arrangement restreint de test",
        "partner_country": "MA",
        "status": "negotiating",
        "confidentiality": "restricted",
        "source": ["https://example.org/s"],
    }
    created = api.client("negotiator").post("/agreements", json=record)
    assert created.status_code == 201, created.text
    for client in (api.client(), api.client("reader")):
        for template in ("/agreements/{}", "/agreements/{}/history", "/tracker/{}"):
            a, b = client.get(template.format(rid)), client.get(template.format(unknown))
            _same_answer(a, b, rid, unknown)
    assert api.client("admin").get(f"/agreements/{rid}").status_code == 200


# -- the Authorization header --------------------------------------------------------------------------------


def raw_get(url: str, path: str, headers: list[tuple[str, str]]) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 request sent as bytes (httpx refuses some of the headers tested here)."""
    host, port = url.removeprefix("http://").split(":")
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close", *(f"{k}: {v}" for k, v in headers)]
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").split("\r\n")
    return int(status_line.split()[1]), {k.lower(): v.strip() for k, _, v in (f.partition(":") for f in fields)}, body


@pytest.mark.parametrize(
    "value",
    ["Basic dXNlcjpwYXNz", "xyz", "Bearer", "Bearer ", "Bearer\tabc", "Bearer  abc", "bearer", "Bearer a b", ""],
)
def test_a_malformed_authorization_header_is_401(api, value):
    status, headers, body = raw_get(api.url, "/agreements", [("Authorization", value)])
    assert status == 401, body
    assert headers["www-authenticate"].startswith("Bearer")
    assert headers["content-type"].startswith(PROBLEM)
    assert "Authorization" in json.loads(body)["detail"]


def test_no_authorization_header_is_anonymous_and_a_valid_token_passes(api):
    assert api.client().get("/agreements").status_code == 200
    assert api.client("reader").get("/agreements").status_code == 200


# -- the request head ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [MAX_HEAD_BYTES + 1, 1_000_000])
def test_an_oversized_header_is_refused(api, size):
    status, _headers, _body = raw_get(api.url, "/health", [("X-Big", "a" * size)])
    assert status == 431


def test_many_headers_over_the_limit_are_refused(api):
    fields = [(f"X-H{i}", "a" * 1000) for i in range(MAX_HEAD_BYTES // 1000 + 2)]
    assert raw_get(api.url, "/health", fields)[0] == 431


def test_a_head_under_the_limit_passes(api):
    assert raw_get(api.url, "/health", [("X-Ok", "a" * (MAX_HEAD_BYTES // 2))])[0] == 200


def test_dci_kg_serve_refuses_an_oversized_header(tmp_path: Path):
    """The limit is in the uvicorn config `dci-kg serve` itself runs (api.server.uvicorn_config)."""
    port = free_port()
    env = {**os.environ, "DCIKG_TOKENS_FILE": str(tmp_path / "tokens.json")}
    cmd = [sys.executable, "-m", "cli.main", "serve", "--store", str(tmp_path / "store"), "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/health", 180, lambda: proc.poll() is None)
        assert raw_get(url, "/health", [("X-Big", "a" * 1_000_000)])[0] == 431
        assert raw_get(url, "/health", [])[0] == 200
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
