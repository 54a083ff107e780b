"""One-off conversion of shared/sources/agreements-research.csv into the register format.

Usage: python scripts/convert_research_register.py RESEARCH.csv > data/register/agreements.csv

Nothing is guessed: empty cells stay empty; the research status cell (keyword and notes) and the row's
certainty go into `note`; topics and the partner authority are read from the words of the title only.
"""

from __future__ import annotations

import csv
import re
import sys

sys.path.insert(0, ".")
from loaders.register import COLUMNS

STATUS = {"signed": "signed", "approval_in_parliament": "approval_pending", "published": "published",
          "in_force": "in_force", "unknown": ""}  # fmt: skip
TOPICS = [("sécurité intérieure", "internal-security"), ("sécurité civile", "civil-security"),
          ("défense civile", "civil-security"), ("coopération policière", "police-gendarmerie-cooperation"),
          ("policière et douanière", "police-gendarmerie-cooperation"), ("criminalité", "criminal-matters"),
          ("d'administration", "administrative-governance-cooperation")]  # fmt: skip
# the research sheet's status keywords and certainty levels, written in French in the note
RESEARCH_WORDS = {"published": "publié", "approval_in_parliament": "en cours d'approbation parlementaire",
                  "in_force": "en vigueur", "unknown": "inconnu", "signed": "signé"}  # fmt: skip
CERTAINTY_WORDS = {"high": "élevée", "medium": "moyenne", "low": "faible"}
AUTHORITY = re.compile(r"entre le Gouvernement de la République française et (?:le |la |l')(.+?)(?: relati[fv]e? .*)?$")
# a parent named by the title itself ("complétant l'accord ... du 3 octobre 1997")
PARENTS = {("IT", "2002-07-01"): "IT-1997-10-03-agreement"}


def convert(row: dict[str, str]) -> dict[str, str]:
    kind = row["kind"]
    notes = []
    if row["title_fr"].startswith("Accord sous forme d'échange de lettres"):
        notes.append(f"nature : le titre dit « échange de lettres » (fiche de recherche : {kind})")
        kind = "exchange_of_letters"
    keyword = row["status"].split(";")[0].split("(")[0].strip()
    m = AUTHORITY.search(row["title_fr"])
    title_lower = row["title_fr"].lower()
    topics = list(dict.fromkeys(code for words, code in TOPICS if words in title_lower))
    research = re.sub(r"^\w+", lambda m: RESEARCH_WORDS.get(m.group(0), m.group(0)), row["status"].strip())
    notes.insert(0, f"statut (recherche) : {research}")
    notes.append(f"certitude de la fiche : {CERTAINTY_WORDS.get(row['certainty'], row['certainty'])}")
    cc, signed = row["iso3166_alpha2"], row["signed_on"]
    return {
        "id": f"{cc}-{signed}-{kind.replace('_', '-')}",
        "kind": kind,
        "title": row["title_fr"],
        "partner_country": cc,
        "partner_authority": m.group(1) if m else "",
        "status": STATUS[keyword],
        "signed_on": signed,
        "signed_at": row["signed_at"],
        "approval_law": row["approval_law"],
        "approved_on": row["approval_law_date"],
        "in_force_on": row["in_force_on"],
        "ended_on": "",
        "parent_id": PARENTS.get((cc, signed), ""),
        "topics": ";".join(topics),
        "beneficiaries": "",
        "negotiator": "",
        "mandate": "",
        "confidentiality": "public",
        "source": ";".join(s.strip() for s in row["source_url"].split(" ; ") if s.strip()),
        "note": " | ".join(notes),
    }


def main(path: str) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [convert(r) for r in csv.DictReader(fh)]
    w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1])
