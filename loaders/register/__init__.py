"""The agreement register (CSV or JSON): read, check every row against the vocabulary, turn rows into RDF.

One row per instrument. Every problem of every row is collected and reported together
(`RegisterError.problems`), and nothing is returned until the whole file is sound. The loader knows
the vocabulary only through a `RegisterContext` the caller builds from the store: it never opens the
store itself.
"""

from loaders.register.checking import check_rows, split_list
from loaders.register.model import (
    COLUMNS,
    DATE_COLUMNS,
    LIST_COLUMNS,
    MAX_CELL,
    OPTIONAL_COLUMNS,
    OWNED,
    REQUIRED,
    Existing,
    Instrument,
    MandateRef,
    Problem,
    RegisterContext,
    RegisterError,
    Row,
)  # fmt: skip
from loaders.register.rdf import instrument_graph
from loaders.register.reading import is_register_csv, read_rows

__all__ = ["COLUMNS", "DATE_COLUMNS", "LIST_COLUMNS", "MAX_CELL", "OPTIONAL_COLUMNS", "OWNED", "REQUIRED",
           "Existing", "Instrument", "MandateRef", "Problem", "RegisterContext", "RegisterError", "Row", "check_rows",
           "instrument_graph", "is_register_csv", "read_rows", "split_list"]  # fmt: skip
