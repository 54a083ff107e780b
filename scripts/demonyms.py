"""Write data/reference/demonyms.ttl from the `countries.json` of mledoze/countries (the npm package
`world-countries`, ODbL 1.0): each country's demonyms, French and English, masculine and feminine.

    python scripts/demonyms.py path/to/countries.json [commit]

Left out: France's own ("français", "French" name the ministry's side in a question, not a partner country)
and a form two sovereign countries share ("Congolese"): it designates neither (a form a sovereign country
shares with dependent territories only, "American", names the sovereign one)."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "reference" / "demonyms.ttl"
HOME = "FR"


def forms(countries: list[dict]) -> dict[str, set[tuple[str, str]]]:
    by_country: dict[str, set[tuple[str, str]]] = defaultdict(set)
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    sovereign = {c["cca2"] for c in countries if c.get("independent")}
    for c in countries:
        code = c["cca2"]
        for src, lang in (("fra", "fr"), ("eng", "en")):
            for form in (c.get("demonyms", {}).get(src) or {}).values():
                if form and code != HOME:
                    by_country[code].add((form, lang))
                    owners[form.lower(), lang].add(code)

    def owner(form: str, lang: str) -> str | None:
        codes = owners[form.lower(), lang]
        codes = (codes & sovereign) or codes
        return next(iter(codes)) if len(codes) == 1 else None

    return {code: {(f, lang) for f, lang in fs if owner(f, lang) == code} for code, fs in by_country.items()}


def turtle(found: dict[str, set[tuple[str, str]]], commit: str) -> str:
    lines = [
        "@prefix dci:     <https://w3id.org/dci-kg/ontology#> .",
        "@prefix dct:     <http://purl.org/dc/terms/> .",
        "@prefix country: <https://w3id.org/dci-kg/id/country/> .",
        "",
        "# The demonyms of countries (the adjective or inhabitant's name a question may use for the country:",
        "# \"libanais\", \"ukrainienne\", \"Lebanese\"), French and English, masculine and feminine forms.",
        f"# Source: mledoze/countries (npm package world-countries), countries.json at commit {commit},",
        "# Open Database License 1.0 (https://opendatacommons.org/licenses/odbl/1-0/). Written by",
        "# scripts/demonyms.py; France's own demonym and forms two countries share are left out.",
        "",
    ]
    for code in sorted(found):
        if not found[code]:
            continue
        values = " , ".join(f'"{f}"@{lang}' for f, lang in sorted(found[code], key=lambda x: (x[1] != "fr", x)))
        lines.append(f"country:{code} dci:demonym {values} ;")
        lines.append(f'    dct:source "mledoze/countries {commit[:12]} (ODbL 1.0)" .')
    return "\n".join(lines) + "\n"


def main() -> None:
    countries = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    commit = sys.argv[2] if len(sys.argv) > 2 else "unknown"
    OUT.write_text(turtle(forms(countries), commit), encoding="utf-8")


if __name__ == "__main__":
    main()
