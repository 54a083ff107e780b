"""ISO 3166-1 countries with French and English names (not typed by hand): the names people write, from the
CLDR (Babel: "Russie", "Russia"), with the ISO 3166 names from pycountry ("Russie, Fédération de") as other
names."""

import gettext

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
    common = {"fr": Locale("fr").territories, "en": Locale("en").territories}
    source = Literal(f"ISO 3166-1 via pycountry {getattr(pycountry, '__version__', '')}; names: CLDR via Babel")
    for c in pycountry.countries:
        iri = iris.country(c.alpha_2)
        iso_fr = french.gettext(c.name)
        en = common["en"].get(c.alpha_2) or getattr(c, "common_name", None) or c.name
        fr = common["fr"].get(c.alpha_2) or iso_fr
        g.add((iri, RDF.type, DCI.Country))
        g.add((iri, DCI.alpha2, Literal(c.alpha_2)))
        g.add((iri, DCI.alpha3, Literal(c.alpha_3)))
        g.add((iri, DCI.key, Literal(c.alpha_2)))
        g.add((iri, SKOS.notation, Literal(c.alpha_2)))
        for lang, name in (("fr", fr), ("en", en)):
            g.add((iri, SKOS.prefLabel, Literal(name, lang=lang)))
            g.add((iri, RDFS.label, Literal(name, lang=lang)))
        if c.name != en:
            g.add((iri, SKOS.altLabel, Literal(c.name, lang="en")))
        if iso_fr != fr:
            g.add((iri, SKOS.altLabel, Literal(iso_fr, lang="fr")))
        if getattr(c, "official_name", None):
            g.add((iri, SKOS.altLabel, Literal(c.official_name, lang="en")))
        g.add((iri, DCT_SOURCE, source))
    return g
