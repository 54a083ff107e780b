"""One-off conversion of shared/sources/agreements-research.csv into the register format.

Usage: python scripts/convert_research_register.py RESEARCH.csv > data/register/agreements.csv

Nothing is guessed: empty cells stay empty; the research status cell (keyword and notes) goes into `note`;
topics and the partner authority are read from the words of the title only. The row's certainty becomes the
`certainty` column (high: C, medium: P, low: U). A status the research gives "as of" a source is dated by that
source (`status_on`): the latest dated parliamentary document for a bill before Parliament, the publication
decree's date for a published text. A status keyword `in_force` whose notes name the publication decree is
`published` (the register's most advanced status, README). The links between instruments that the research
notes state (`related`) and the instruments of facts.md that the research sheet lacks (`FACTS_ROWS`) are
written here, each with the words of its source.
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
AUTHORITY = re.compile(r"entre le Gouvernement de la République française et (?:le |la |l')(.+?)(?: relati[fv]e? .*)?$")
# a parent named by the title itself ("complétant l'accord ... du 3 octobre 1997")
PARENTS = {("IT", "2002-07-01"): "IT-1997-10-03-agreement"}
CERTAINTY = {"high": "C", "medium": "P", "low": "U"}
# links the research notes state, by (country, signature day): the words that state them are in the comment
RELATED = {
    ("LB", "2010-01-21"): "completes:LB-1993-10-14-protocol",  # "complète le protocole de coopération du 1993-10-14"
    # "Protocole complétant le protocole de coopération de 1980"
    ("SA", "1981-03-14"): "completes:SA-1980-11-02-protocol",
    # the 1980 protocol is "remplacé/complété par l'accord de 2008": which one is not settled, so "follows"
    ("SA", "2008-02-24"): "follows:SA-1980-11-02-protocol",
    ("RU", "2003-02-10"): "follows:RU-1992-02-06-protocol",  # the 1992 protocol: "cadre antérieur à l'accord de 2003"
}  # fmt: skip
MONTHS = {m: i for i, m in enumerate(("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                                      "septembre", "octobre", "novembre", "décembre"), start=1)}  # fmt: skip
DECREE = re.compile(r"décret n° [\d-]+ du (\d{1,2}) (\w+) (\d{4})")
HU_SOURCE = ("https://huggingface.erdda.com/datasets/FrancophonIA/Translations_Hungarian_public_websites/blob/main/"
             "data/www.ambafrance-hu.org/French/13%2368e4f167-94e1-4e9e-b0fd-e8c4353fdffa.txt")
# instruments facts.md §2.2 names that the research sheet has no row for
FACTS_ROWS = [
    {"id": "HU-1997-01-17-agreement", "kind": "agreement", "partner_country": "HU", "signed_on": "1997-01-17",
     "title": "Accord intergouvernemental franco-hongrois du 17 janvier 1997 (titre exact non retrouvé)",
     "certainty": "P", "confidentiality": "public", "source": HU_SOURCE,
     "note": "facts.md §2.2 : accord intergouvernemental signé le 17 janvier 1997, « complété par un accord entre la "
             "Direction générale de la police française et le Commandement national de la Garde-Frontière "
             "hongroise » (texte d'ambassade repris dans un jeu de données, probable) ; titre, objet et statut non "
             "retrouvés"},
    {"id": "HU-DGPN-garde-frontiere-arrangement", "kind": "technical_arrangement", "partner_country": "HU",
     "title": "Accord entre la Direction générale de la police française et le Commandement national de la "
              "Garde-Frontière hongroise",
     "partner_authority": "Commandement national de la Garde-Frontière hongroise",
     "parent_id": "HU-1997-01-17-agreement", "related": "completes:HU-1997-01-17-agreement",
     "certainty": "P", "confidentiality": "public", "source": HU_SOURCE,
     "note": "facts.md §2.2 : arrangement de service à service qui complète l'accord intergouvernemental du "
             "17 janvier 1997 (probable) ; date de signature, statut et contenu non retrouvés ; la DGPN en est "
             "la signataire française"},
]  # fmt: skip


def status_on(status: str, row: dict[str, str]) -> str:
    """The day the research's status is attested, from the documents it cites; empty when none is dated."""
    if status == "approval_pending":
        days = re.findall(r"\d{4}-\d{2}-\d{2}", row["approval_law"])
        return max(days) if days else ""
    if status == "published":
        m = DECREE.search(row["status"])
        if m and m.group(2) in MONTHS:
            return f"{m.group(3)}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"
    return ""


def convert(row: dict[str, str]) -> dict[str, str]:
    kind = row["kind"]
    notes = []
    if row["title_fr"].startswith("Accord sous forme d'échange de lettres"):
        notes.append(f"nature : le titre dit « échange de lettres » (fiche de recherche : {kind})")
        kind = "exchange_of_letters"
    keyword = row["status"].split(";")[0].split("(")[0].strip()
    if keyword == "in_force" and DECREE.search(row["status"]) and "publi" in row["status"]:
        keyword = "published"  # a publication decree is known: the most advanced status
    m = AUTHORITY.search(row["title_fr"])
    title_lower = row["title_fr"].lower()
    topics = list(dict.fromkeys(code for words, code in TOPICS if words in title_lower))
    research = re.sub(r"^\w+", lambda m: RESEARCH_WORDS.get(m.group(0), m.group(0)), row["status"].strip())
    notes.insert(0, f"statut (recherche) : {research}")
    cc, signed = row["iso3166_alpha2"], row["signed_on"]
    return {
        "id": f"{cc}-{signed}-{kind.replace('_', '-')}",
        "kind": kind,
        "title": row["title_fr"],
        "partner_country": cc,
        "partner_authority": m.group(1) if m else "",
        "status": STATUS[keyword],
        "status_on": status_on(STATUS[keyword], row),
        "signed_on": signed,
        "signed_at": row["signed_at"],
        "approval_law": row["approval_law"],
        "approved_on": row["approval_law_date"],
        "in_force_on": row["in_force_on"],
        "ended_on": "",
        "parent_id": PARENTS.get((cc, signed), ""),
        "related": RELATED.get((cc, signed), ""),
        "topics": ";".join(topics),
        "beneficiaries": "",
        "negotiator": "",
        "mandate": "",
        "confidentiality": "public",
        "certainty": CERTAINTY[row["certainty"]],
        "source": ";".join(s.strip() for s in row["source_url"].split(" ; ") if s.strip()),
        "note": " | ".join(notes),
    }


def main(path: str) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [convert(r) for r in csv.DictReader(fh)]
    rows += [{c: r.get(c, "") for c in COLUMNS} for r in FACTS_ROWS]
    w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1])
