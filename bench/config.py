"""What the harness measures with: paths, labelled questions, the negotiator queries."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = Path(__file__).resolve().parent / "output"
PLOT = OUTPUT / "growth.svg"
QUESTIONS = [
    "Qui négocie les arrangements techniques pour la gendarmerie ?",
    "Who handles police cooperation with Morocco?",
    "coopération en matière de sécurité civile",
    "qui suit les attachés de sécurité intérieure",
]
NEGOTIATOR = ["counts-by-status-kind", "status-by-country", "pending-approval", "signed-not-in-force",
              "term-ending", "covered-without-agreement", "arrangements-under", "instrument-history"]  # fmt: skip
LABELLED = [ROOT / "tests" / "data" / f for f in ("competence_questions.yaml", "competence_questions_holdout.yaml")]
