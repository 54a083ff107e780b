"""Conditional writes hold across processes: two `dci-kg serve` processes over one `oxigraph serve`, each
with its own memory, and the store deciding which write lands (kg.store: the condition checked inside
the write). Without that, two processes would both accept writes based on the same version."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from kg.auth.access import Role
from kg.auth.tokens import TokenFile
from tests.integration.test_api_agreements import new_id, record
from tests.processes import Process, dcikg_serve, oxigraph


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory) -> Iterator[tuple[list[Process], str]]:
    tmp = tmp_path_factory.mktemp("two-processes")
    store = oxigraph(tmp / "oxigraph")
    tokens_file = tmp / "tokens.json"
    token = TokenFile(tokens_file).create(Role.negotiator, "negotiator")[0]
    env = {"DCIKG_TOKENS_FILE": str(tokens_file)}
    args = ["--endpoint", f"{store.url}/query", "--update-endpoint", f"{store.url}/update"]
    first = dcikg_serve(args, env, tmp / "api-1.log")  # builds the bundled data into the empty store
    second = dcikg_serve(args, env, tmp / "api-2.log")
    try:
        yield [first, second], token
    finally:
        for p in (first, second, store):
            p.stop()


def _fire(requests: list[tuple[str, dict, dict]], token: str, path: str) -> list[httpx.Response]:
    """POST every (base url, json, headers) at once (threads released together)."""
    start = threading.Barrier(len(requests))
    out: list[httpx.Response | None] = [None] * len(requests)

    def go(i: int, url: str, body: dict, headers: dict) -> None:
        with httpx.Client(base_url=url, timeout=120, headers={"Authorization": f"Bearer {token}"}) as c:
            start.wait()
            out[i] = c.post(path, json=body, headers=headers)

    threads = [threading.Thread(target=go, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in out if r is not None]


def test_sixteen_transitions_with_one_if_match_over_two_processes_one_wins(two_servers):
    (a, b), token = two_servers
    rid = new_id("TEST-PROC")
    auth = {"Authorization": f"Bearer {token}"}
    made = httpx.post(f"{a.url}/agreements", json=record(rid), headers=auth, timeout=120)
    assert made.status_code == 201, made.text
    etag = made.headers["etag"]
    before = httpx.get(f"{b.url}/agreements/{rid}/history", timeout=60).json()
    body = {"to": "initialled", "date": "2024-05-01"}
    answers = _fire([(p.url, body, {"If-Match": etag}) for p in (a, b) * 8], token, f"/agreements/{rid}/transitions")
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [412] * 15, [r.text for r in answers if r.status_code not in (200, 412)]
    stale = [r for r in answers if r.status_code == 412]
    winner = next(r for r in answers if r.status_code == 200)
    assert all(r.headers["etag"] == winner.headers["etag"] for r in stale)  # 412 names the version now
    after = httpx.get(f"{b.url}/agreements/{rid}/history", timeout=60).json()
    assert len(after) == len(before) + 1
    for p in (a, b):
        shown = httpx.get(f"{p.url}/agreements/{rid}", timeout=60)
        assert shown.json()["status"] == "initialled" and shown.headers["etag"] == winner.headers["etag"]


def test_concurrent_creations_with_if_none_match_over_two_processes_one_wins(two_servers):
    (a, b), token = two_servers
    rid = new_id("TEST-PROC")
    answers = _fire([(p.url, record(rid), {"If-None-Match": "*"}) for p in (a, b) * 4], token, "/agreements")
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] + [412] * 7, [r.text for r in answers]
    again = httpx.post(
        f"{b.url}/agreements", json=record(rid), headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    assert again.status_code == 409  # without the precondition, an existing id is a conflict
    history = httpx.get(f"{a.url}/agreements/{rid}/history", timeout=60).json()
    assert len(history) == 1


def test_unconditional_transitions_over_two_processes_never_leave_two_statuses(two_servers):
    """No If-Match: each process re-plans after losing a race, so the life-cycle decides, never the race."""
    (a, b), token = two_servers
    rid = new_id("TEST-PROC")
    made = httpx.post(f"{a.url}/agreements", json=record(rid), headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert made.status_code == 201
    body = {"to": "initialled", "date": "2024-05-01"}
    answers = _fire([(p.url, body, {}) for p in (a, b) * 3], token, f"/agreements/{rid}/transitions")
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [409] * 5, [r.text for r in answers]  # "already initialled" for the others
    shown = httpx.get(f"{b.url}/agreements/{rid}", timeout=60).json()
    assert shown["status"] == "initialled" and len(shown["history"]) == 2
