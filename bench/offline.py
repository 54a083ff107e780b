"""What is measured with the servers stopped: the write gate, whole-graph validation; the machine."""

from __future__ import annotations

import contextlib
import gc
import os
import platform
import shutil
import time
from pathlib import Path

from bench.processes import log


# -- in-process: gate and whole-graph validation -----------------------------------------------------------
def bench_offline(n: int, work: Path, items: list, changes: int) -> dict:
    from bench import gate_bench
    from kg.gate.validation import validate_store
    from kg.settings import get_settings
    from kg.store import EmbeddedStore

    out: dict = {}
    store = EmbeddedStore(work / f"store-{n}")
    try:
        t = time.perf_counter()
        violations, _triples = validate_store(store, "turbo")
        out["validate_turbo_s"] = round(time.perf_counter() - t, 2)
        out["validate_violations"] = len(violations)
        log(f"  whole-graph validation (turbo): {out['validate_turbo_s']} s, {len(violations)} violations")
        old = os.environ.get("DCIKG_SHACL_ENGINE")
        for engine, k in (("turbo", changes), ("pyshacl", max(3, changes // 3))):
            os.environ["DCIKG_SHACL_ENGINE"] = engine
            get_settings.cache_clear()
            out[f"gate_{engine}"] = gate_bench.bench_gate(store, items, k, seed=7 if engine == "turbo" else 8)
            log(f"  gate {engine}: {out[f'gate_{engine}']['gate']}")
        if old is None:
            os.environ.pop("DCIKG_SHACL_ENGINE", None)
        else:
            os.environ["DCIKG_SHACL_ENGINE"] = old
        get_settings.cache_clear()
    finally:
        store.close()
        del store
        gc.collect()
    return out


def machine() -> dict:
    import pyoxigraph
    import pyshacl

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    versions = {"pyoxigraph": pyoxigraph.__version__, "pyshacl": pyshacl.__version__}
    with contextlib.suppress(ImportError):
        import pyshacl_turbo

        versions["pyshacl-turbo"] = pyshacl_turbo.__version__
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        versions["rdflib-endpoint"] = version("rdflib-endpoint")
        versions["oxigraph (CLI)"] = version("oxigraph")
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "versions": versions,
            "load_tool": "wrk" if shutil.which("wrk") else "httpx (asyncio)"}  # fmt: skip
