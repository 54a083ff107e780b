"""ISO 3166-1 countries with French and English names, from pycountry and the Unicode CLDR (not typed by hand).

The preferred label is the name people write (CLDR's, through Babel: "Russie", "Corée du Sud"); the ISO 3166
name ("Russie, Fédération de", "Korea, Republic of") stays as an alternative label, so both are found."""

import gettext

import babel
import pycountry
from babel import Locale
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from vocab import iris
from vocab.namespaces import DCI

DCT_SOURCE = URIRef("http://purl.org/dc/terms/source")


def countries_graph() -> Graph:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    g = Graph()
    source = Literal(f"ISO 3166-1 via pycountry {getattr(pycountry, '__version__', '')}".strip())
    cldr = {lang: Locale(lang).territories for lang in ("fr", "en")}
    names_source = Literal(f"Unicode CLDR via Babel {babel.__version__} (preferred names)")
    for c in pycountry.countries:
        iri = iris.country(c.alpha_2)
        iso_en = getattr(c, "common_name", None) or c.name
        iso_fr = french.gettext(c.name)
        en = cldr["en"].get(c.alpha_2, iso_en)
        fr = cldr["fr"].get(c.alpha_2, iso_fr)
        g.add((iri, RDF.type, DCI.Country))
        g.add((iri, DCI.alpha2, Literal(c.alpha_2)))
        g.add((iri, DCI.alpha3, Literal(c.alpha_3)))
        g.add((iri, DCI.key, Literal(c.alpha_2)))
        g.add((iri, SKOS.notation, Literal(c.alpha_2)))
        for lang, name in (("fr", fr), ("en", en)):
            g.add((iri, SKOS.prefLabel, Literal(name, lang=lang)))
            g.add((iri, RDFS.label, Literal(name, lang=lang)))
        for lang, iso in (("fr", iso_fr), ("en", iso_en), ("en", c.name)):
            if iso != (fr if lang == "fr" else en):
                g.add((iri, SKOS.altLabel, Literal(iso, lang=lang)))
        if getattr(c, "official_name", None):
            g.add((iri, SKOS.altLabel, Literal(c.official_name, lang="en")))
        g.add((iri, DCT_SOURCE, source))
        g.add((iri, DCT_SOURCE, names_source))
    return g
