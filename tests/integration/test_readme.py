"""The README's curl examples work as written (against the app on 127.0.0.1, embedded store)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _blocks() -> list[str]:
    text = README.read_text(encoding="utf-8").split("## HTTP API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", text, re.DOTALL)


def test_readme_api_examples_run(api, tmp_path):
    assert shutil.which("curl"), "curl is needed by the README examples"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DCIKG_TOKENS_FILE": str(api.tokens_file),
    }
    root = README.parent
    for block in _blocks():
        script = block.replace("http://127.0.0.1:8000", api.url).replace(
            "export DCIKG_TOKENS_FILE=~/.config/dci-kg/tokens.json", ""
        )
        script = "set -euo pipefail\n" + script.replace("curl -s ", "curl -sf ")
        done = subprocess.run(["bash", "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{block}\n--- stderr:\n{done.stderr}\n--- stdout:\n{done.stdout[-2000:]}"
    assert "alice" not in Path(api.tokens_file).read_text()  # revoked at the end of the example
