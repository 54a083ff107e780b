"""The README followed to the letter: every ```sh block of README.md, in order, in one shell, on a fresh
store, as a newcomer copying each block would run them.

The conventions (see the README's quick start):
- every ```sh block runs, whatever its section (a ```text block is a synopsis, not run); the shell is one
  bash session, so what a block exports (`. .venv/bin/activate`, `export DCIKG_TOKENS_FILE=…`, `TOKEN=…`)
  holds for the blocks after it, as in a reader's terminal;
- a block preceded by the HTML comment `<!-- readme-test: server -->` (invisible on a rendered page) starts
  a server that runs until Ctrl-C: the test runs it in the background until `/health` answers, then sends
  it Ctrl-C (SIGINT), as the README says to do before the next block;
- the environment is a newcomer's: a fresh HOME (so the default store and `~/.config/dci-kg/tokens.json` are
  new), no DCIKG_* variable, no venv on PATH; only the port differs (DCIKG_PORT, and 127.0.0.1:8000 in the
  blocks is rewritten to it), since other test runs may hold 8000 on the same machine;
- `curl -s` exits 0 on a 4xx/5xx answer: the test runs it as `curl -sf`, so an error answer fails the block.
A failing block fails the test, naming the block and its line in README.md.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
FENCE = re.compile(r"^(?:<!-- readme-test: (?P<mark>[\w-]+) -->\n)?```(?P<lang>[\w-]*)\n(?P<code>.*?)^```", re.M | re.S)
RUN_TIMEOUT = 1800  # the whole README, on a machine shared with other test runs


@dataclass(frozen=True)
class Block:
    line: int
    code: str
    server: bool


def blocks(text: str) -> list[Block]:
    """The ```sh blocks of the text, in order, with their line in the file and their marker."""
    found = []
    for m in FENCE.finditer(text):
        if m.group("lang") != "sh":
            continue
        mark = m.group("mark")
        assert mark in (None, "server"), f"unknown readme-test marker {mark!r}"
        found.append(Block(text.count("\n", 0, m.start("code")) + 1, m.group("code"), mark == "server"))
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# what a server that outlived its Ctrl-C was doing: its processes (state, kernel wait channel) and each Python
# process's threads (py-spy, a test dependency), printed before the KILL so that a failure says why
STUCK_DUMP = (
    "ps -eo pid,ppid,pgid,stat,wchan:24,etime,args | awk -v g=$README_SERVER 'NR==1 || $3==g' >&2; "
    f"for p in $(pgrep -g $README_SERVER); do {Path(sys.executable).parent / 'py-spy'} dump --pid $p >&2 || true; done"
)


def script(items: list[Block], port: int) -> str:
    """One bash script running the blocks in order; a failure names the block's line."""
    lines = [
        "set -m",  # job control: a background server gets its own process group, which Ctrl-C (SIGINT) reaches
        "set -eo pipefail",
        "trap 'echo \"README block at line $README_LINE failed\" >&2' ERR",
        f"cd {ROOT}",
    ]
    for b in items:
        code = b.code.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        code = re.sub(r"\bcurl -s ", "curl -sf ", code)
        lines.append(f"README_LINE={b.line}")
        lines.append(f"echo '::README block at line {b.line}'")
        if b.server:
            health = f"until curl -sf http://127.0.0.1:{port}/health > /dev/null; do sleep 1; done"
            lines += [
                f"( {code.strip()}\n) &",
                "README_SERVER=$!",
                f"timeout 300 sh -c '{health}' || {{ echo 'the server did not answer' >&2; false; }}",
                "kill -INT -- -$README_SERVER  # Ctrl-C",
                # one Ctrl-C stops it (tests/integration/test_serve_workers.py); a server that still runs a minute
                # later fails the block at once instead of hanging the run
                "for _ in $(seq 60); do kill -0 $README_SERVER 2>/dev/null || break; sleep 1; done",
                "if kill -0 $README_SERVER 2>/dev/null; then echo 'one Ctrl-C did not stop the server' >&2; "
                f"{STUCK_DUMP}; kill -KILL -- -$README_SERVER; false; fi",
                "wait $README_SERVER || true",
            ]
        else:
            lines.append(code)
    lines.append("echo '::README done'")
    return "\n".join(lines) + "\n"


def newcomer_env(home: Path, port: int) -> dict[str, str]:
    venv_bins = {str(Path(sys.executable).parent), str(ROOT / ".venv" / "bin")}
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DCIKG_") and k not in ("VIRTUAL_ENV", "XDG_DATA_HOME", "XDG_CONFIG_HOME")
    }
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p not in venv_bins)
    env.update(HOME=str(home), DCIKG_PORT=str(port), COLUMNS="200")
    return env


def _session_processes(sid: int) -> list[int]:
    done = subprocess.run(["ps", "-eo", "pid=,sid="], capture_output=True, text=True, check=True)
    return [int(pid) for pid, s in (line.split() for line in done.stdout.splitlines()) if int(s) == sid]


def test_blocks_are_read_with_their_markers():
    text = "a\n```sh\necho 1\n```\n```text\nnot run\n```\n<!-- readme-test: server -->\n```sh\nmake serve\n```\n"
    assert blocks(text) == [Block(3, "echo 1\n", False), Block(10, "make serve\n", True)]
    real = blocks(README.read_text(encoding="utf-8"))
    assert sum(b.server for b in real) >= 1 and len(real) >= 8
    one = [Block(1, "curl -s http://127.0.0.1:8000/health\n", False)]
    assert "curl -sf http://127.0.0.1:9/health" in script(one, 9)


def test_readme_runs_top_to_bottom_on_a_fresh_store(tmp_path):
    for tool in ("curl", "make", "ps", "timeout"):
        assert shutil.which(tool), f"{tool} is needed by the README"
    assert (ROOT / ".venv" / "bin" / "python").exists(), "make setup must have created .venv (run `make setup`)"
    port = _free_port()
    home = tmp_path / "home"
    home.mkdir()
    items = blocks(README.read_text(encoding="utf-8"))
    before = set(os.listdir(ROOT))
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen(
            ["bash", "-c", script(items, port)], cwd=ROOT, env=newcomer_env(home, port), stdin=subprocess.DEVNULL,
            stdout=o, stderr=e, start_new_session=True,
        )  # fmt: skip
        try:
            code = proc.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            for pid in _session_processes(proc.pid):  # a server a failed block left running
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            proc.wait()
            written = " ".join(b.code for b in items)
            for name in set(os.listdir(ROOT)) - before:  # the files the README writes in the clone (kb.trig…)
                if (ROOT / name).is_file() and re.search(rf"> ?{re.escape(name)}\b", written):
                    (ROOT / name).unlink()
    stdout, stderr = out.read_text(errors="replace"), err.read_text(errors="replace")
    last = re.findall(r"^::README block at line (\d+)", stdout, re.M)
    assert code == 0, (
        f"README.md block at line {last[-1] if last else '?'} failed (exit {code})\n"
        f"--- stderr (end):\n{stderr[-16000:]}\n--- stdout (end):\n{stdout[-3000:]}"
    )
    assert "::README done" in stdout and len(last) == len(items)
    # what a reader sees at the steps the README describes
    assert not re.search(r"│ register\s+│ 0\s+│", stdout), "init on a built store printed an empty register"
    assert "BH-2007-11-30-agreement: left as in the store (approved)" in stdout
    tokens = (home / ".config" / "dci-kg" / "tokens.json").read_text()
    assert "alice" not in tokens and "bob" not in tokens  # revoked at the end of the examples
    assert (home / ".local" / "share" / "dci-kg" / "store").is_dir()  # the default store, fresh for this run


@pytest.mark.parametrize("sep", [",", ";"])
def test_a_register_built_from_the_readme_table_imports(tmp_path, fresh_store, sep):
    """The register format's table, read from the README, makes a header the importer accepts."""
    from kg.services import agreements
    from loaders.register import COLUMNS

    section = README.read_text(encoding="utf-8").split("### Register format", 1)[1].split("\n#", 1)[0]
    names = [c for row in re.findall(r"^\| (`[^|]+)\|", section, re.M) for c in re.findall(r"`(\w+)`", row)]
    assert sorted(names) == sorted(COLUMNS) and tuple(names) == COLUMNS  # every column, in the export's order
    cells = {"id": "README-TABLE-1", "kind": "agreement", "title": "Accord d'essai", "partner_country": "MA",
             "confidentiality": "public", "source": "https://example.org/s"}  # fmt: skip
    path = tmp_path / "from-readme.csv"
    path.write_text(sep.join(names) + "\n" + sep.join(cells.get(c, "") for c in names) + "\n", encoding="utf-8")
    report = agreements.import_file(fresh_store, path)
    assert report.created == ["README-TABLE-1"]
