"""Settings from the environment (DCIKG_*), obtained through one cached function."""

import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_store_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "dci-kg" / "store"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DCIKG_", extra="ignore")

    store: Path = Field(default_factory=default_store_dir, description="Directory of the embedded store")
    sparql_endpoint: str | None = Field(None, description="Remote SPARQL 1.1 query endpoint")
    sparql_update_endpoint: str | None = Field(None, description="Remote SPARQL 1.1 update endpoint")
    owned_store: Path | None = Field(
        None,
        description="Set by `serve --workers N` on the embedded store: the directory its owner process serves at "
        "DCIKG_SPARQL_ENDPOINT; /sparql reads it read-only in confined workers, killed at the time limit",
    )
    query_timeout: float = Field(10.0, gt=0, description="Seconds a SPARQL query may run")
    max_rows: int = Field(10_000, gt=0, description="Row cap of the SPARQL endpoint")
    max_query_length: int = Field(20_000, gt=0, description="Longest SPARQL query accepted, in characters")
    max_result_bytes: int = Field(
        16 * 1024 * 1024, gt=0, description="Largest serialised SPARQL answer, in bytes (413 past it)"
    )
    sparql_worker_memory_mb: int = Field(
        2048, ge=256, description="Address space a SPARQL worker process may use, in MB (503 past it)"
    )
    sparql_per_client: int = Field(
        1, gt=0, description="SPARQL queries one client (token, else address) may have running at once (429 past it)"
    )
    tokens_file: Path | None = Field(None, description="File of hashed bearer tokens")
    lock_dir: Path = Field(
        default_factory=lambda: Path(tempfile.gettempdir()) / "dci-kg-locks",
        description="Directory of the lock files that serialise this host's conditional writes to a remote store",
    )
    sparql_workers: int = Field(2, gt=0, le=64, description="Worker processes of /sparql on the embedded store")
    # one log line per request costs about a tenth of /health's throughput (BENCHMARKS.md); errors are logged anyway
    answer_cache: int = Field(
        4096, ge=0, description="Competence answers kept per store generation (least recently used first out; 0: none)"
    )
    # measured on the dev set (python -m bench.accuracy --sets dev --verbose): see BENCHMARKS.md
    competence_ambiguity_margin: float = Field(
        0.15, ge=0, lt=1, description="Two items whose scores differ by at most this share of the higher are ambiguous"
    )
    # a country may have hundreds of instruments: the card lists the latest, counts them all and links the tracker
    competence_instruments_shown: int = Field(
        10, ge=1, le=1000, description="Instruments a competence answer lists (instruments_total counts them all)"
    )
    access_log: bool = Field(True, description="Log every HTTP request (uvicorn's access log)")
    # pyshacl-turbo by default: the gate must stay under 50 ms a change (pyshacl: ~0.3-0.6 s on an
    # instrument's subgraph); pyshacl stays the reference the tests compare it with, shape by shape
    shacl_engine: Literal["pyshacl", "turbo"] = Field(
        "turbo", description="SHACL engine behind the write gate: pyshacl-turbo (default) or pyshacl (reference)"
    )
    # POST /import reads at most this many bytes (413 past it): the parse, the SHACL gate and the write
    # lock all scale with the body
    max_import_bytes: int = Field(50_000_000, gt=0, description="Largest body POST /import accepts, in bytes")
    # CORS on /sparql only (read-only): "*" lets any page read the public graphs, as Fuseki and Oxigraph do; a
    # list of origins also lets those pages send a bearer token; "" turns CORS off. Never with cookies.
    cors_origins: str = Field(
        "*", description="Origins allowed to query /sparql from a browser page: '*', a comma-separated list, or ''"
    )

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]

    @field_validator("sparql_endpoint", "sparql_update_endpoint")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
