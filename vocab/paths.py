"""Where the project's own files live (ontology, shapes, bundled data, queries)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "kg" / "queries"
LEGAL_TEXTS_DIR = DATA_DIR / "legal-texts"
REFERENCE_DIR = DATA_DIR / "reference"
REGISTER_DIR = DATA_DIR / "register"
