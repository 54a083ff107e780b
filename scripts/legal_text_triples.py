"""Sorted N-Triples of each bundled legal text (and of any extra text given), one file per text, to compare the
parser's output before and after a change:

    .venv/bin/python scripts/legal_text_triples.py /tmp/before [extra.md …]   # on the old commit
    .venv/bin/python scripts/legal_text_triples.py /tmp/after  [extra.md …]   # on the new one
    diff -r /tmp/before /tmp/after
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.services.bundle import legal_text_paths, vocabulary_graph
from loaders.legal_text import load_file
from loaders.vocabulary import Vocabulary


def main(out: Path, extra: list[Path]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    vocab = Vocabulary.from_graph(vocabulary_graph())
    for path in legal_text_paths() + extra:
        doc, g = load_file(path, vocab)
        lines = sorted(line for line in g.serialize(format="nt").splitlines() if line.strip())
        (out / (doc.key.replace("/", "-") + ".nt")).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{path.name}: {len(g)} triples")


if __name__ == "__main__":
    main(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
