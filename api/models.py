"""Response models (pydantic): the OpenAPI schema of every answer, with examples."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

ID = "https://w3id.org/dci-kg/id/"


class OrgRef(BaseModel):
    iri: str = Field(examples=[ID + "org/DCI"])
    acronym: str = Field(examples=["DCI"])
    label: str = Field(examples=["direction de la coopération internationale"])


class Successor(BaseModel):
    """The text that replaced (or amended) a legal text, possibly known from its metadata only."""

    iri: str = Field(examples=[ID + "text/ARRETE-2021-07-15-DCIS"])
    title: str = Field(examples=["Arrêté du 15 juillet 2021 (missions et organisation de la DCIS)"])
    nor: str | None = Field(examples=[None])
    jorf: str | None = Field(examples=["JORF n°0164 du 17 juillet 2021"])
    in_force_from: str | None = Field(examples=["2021-08-01"])
    in_force_by: str | None = Field(
        examples=[None], description="known to be in force by this date when its entry into force was not retrieved"
    )
    text_held: bool = Field(examples=[False], description="false: only its metadata are in the knowledge base")
    partial: bool = Field(False, examples=[False], description="true: only part of its articles are held")
    certainty: str | None = Field(examples=["probable"], description="certain, probable or uncertain")


class Superseding(Successor):
    then: list[Successor] = Field(
        [], description="the texts that followed the successor by the date asked, in order (the last is in force)"
    )


class LegalTextRef(BaseModel):
    iri: str = Field(examples=[ID + "text/INTA1319065A"])
    title: str = Field(examples=["Arrêté du 12 août 2013 relatif aux missions et à l'organisation de la DCI"])
    nor: str | None = Field(examples=["INTA1319065A"])
    eli: str | None = Field(examples=["https://www.legifrance.gouv.fr/eli/arrete/2013/8/12/INTA1319065A/jo/texte"])
    in_force_from: str | None = Field(examples=["2013-10-02"])
    in_force_to: str | None = Field(examples=[None])
    in_force_to_certainty: str | None = Field(
        None, examples=["probable"], description="how certain the end is (that of the successor's entry into force)"
    )
    partial: bool = Field(False, examples=[False], description="true: only part of its articles are held")
    superseded_by: Superseding | None = Field(
        None, description="present only when a text replacing this one has entered into force by the date asked"
    )


class MandateRef(BaseModel):
    iri: str = Field(examples=[ID + "text/INTA1319065A/art/1/item/k"])
    article: str | None = Field(examples=["1"])
    letter: str | None = Field(examples=["k"])
    text: str
    legal_text: LegalTextRef


KIND = "item (a lettered or numbered item), chapeau, general (a text detailed by one in force), descriptive (a page)"


class AlsoRef(MandateRef):
    """Another provision covering the same case (contract v2): the chapeau, the décret the arrêté details,
    an embassy page's ASI mission."""

    kind: str = Field(examples=["chapeau"], description=KIND)
    score: float = Field(examples=[0.98], description="the ranker's score (never shown to legal staff)")
    role: str = Field(examples=["implement"])


class HandledBy(BaseModel):
    """The unit of the answer's directorate whose article covers the case (a dated unit link in the store)."""

    unit: OrgRef
    role: str = Field(examples=["implement"])
    mandate: MandateRef


class CountryRef(BaseModel):
    iri: str = Field(examples=[ID + "country/LT"])
    code: str = Field(examples=["LT"])
    label: str = Field(examples=["Lituanie"])


class Abroad(BaseModel):
    """The internal security service covering a country the question names, on the date asked."""

    country: CountryRef
    service: OrgRef
    coverage: str = Field(examples=[ID + "coverage/SSI-RIGA--LT"], description="the dci:CountryCoverage")
    label: str = Field(examples=["le SSI de Riga couvre la Lituanie (1992–2015)"])
    valid_from: str | None = Field(examples=["1992"], description="a year, year-month or date")
    valid_to: str | None = Field(examples=["2015"])
    certainty: str | None = Field(examples=["certain"], description="certain, probable or uncertain")
    sources: list[str] = Field(examples=[["https://ee.ambafrance.org/La-cooperation-dans-le-domaine-de"]])


class InstrumentStatus(BaseModel):
    code: str | None = Field(examples=["signed"])
    label: str | None = Field(examples=["signé"])
    since: str | None = Field(examples=["2010-01-21"], description="the register date that dates it, if any")


class InstrumentRef(BaseModel):
    """An agreement or arrangement with a country the question names, whose topics match the answer's;
    restricted ones only for a cleared caller."""

    id: str = Field(examples=["LB-2010-01-21-agreement"])
    iri: str = Field(examples=[ID + "instrument/LB-2010-01-21-agreement"])
    kind: str = Field(examples=["agreement"])
    title: str
    confidentiality: str = Field(examples=["public"])
    status: InstrumentStatus = Field(description="on the date asked")
    current_status: InstrumentStatus
    topics: list[str] = Field(examples=[["sécurité civile"]])
    topic_iris: list[str] = Field(examples=[[ID + "topic/civil-security"]])


class AmbiguousRef(BaseModel):
    """An item scoring within the ambiguity margin of this one: both apply."""

    iri: str = Field(examples=[ID + "text/INTA1319065A/art/1/item/b"])
    article: str | None = Field(examples=["1"])
    letter: str | None = Field(examples=["b"])
    score: float
    role: str = Field(examples=["implement"])
    holder: OrgRef
    beneficiaries: list[OrgRef]


class CompetenceAnswer(BaseModel):
    rank: int = Field(examples=[1])
    score: float = Field(examples=[7.4])
    role: str = Field(examples=["implement"], description="lead, co-decide, implement, contribute, informed, excluded")
    mandate: MandateRef
    holder: OrgRef
    beneficiaries: list[OrgRef]
    partners: list[OrgRef]
    topics: list[str] = Field(examples=[["arrangements techniques", "gendarmerie nationale"]])
    explanation: str
    reserved_to: OrgRef | None
    # contract v2: the case file
    kind: str = Field("item", examples=["item"], description=KIND + "; exclusion for the exclusion clause")
    also: list[AlsoRef] = Field(default_factory=list)
    handled_by: list[HandledBy] = Field(default_factory=list)
    abroad: list[Abroad] = Field(default_factory=list, description="for a country the question names")
    instruments: list[InstrumentRef] = Field(
        default_factory=list,
        description="with a country the question names, whose topics match: the latest dated status first, at most "
        "DCIKG_COMPETENCE_INSTRUMENTS_SHOWN (10) of them",
    )
    instruments_total: int = Field(
        0, examples=[1], description="how many instruments match (the tracker lists them all: /tracker?country=CC)"
    )
    ambiguous_with: list[AmbiguousRef] = Field(
        default_factory=list, description="items the ranking cannot tell apart from this one (both apply)"
    )


class Competence(BaseModel):
    """Exactly the JSON of `dci-kg ask --json` (contract v2: each answer is a case file)."""

    question: str = Field(examples=["Qui négocie les arrangements techniques pour la gendarmerie ?"])
    at: str = Field(examples=["2014-01-01"])
    answers: list[CompetenceAnswer]
    abroad: list[Abroad] = Field(
        default_factory=list, description="the services covering the countries named, even when no provision answers"
    )
    countries: list[CountryRef] = Field(default_factory=list, description="the countries the question names")


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    backend: str = Field(examples=["embedded"])
    generation: int = Field(examples=[3], description="changes with every write to the store")


class MandateOut(BaseModel):
    iri: str = Field(examples=[ID + "text/INTA1319065A/art/1/item/k"])
    article: str | None
    letter: str | None
    text: str
    role: str
    in_force: bool
    holder: OrgRef
    beneficiaries: list[OrgRef]
    partners: list[OrgRef]
    legal_text: LegalTextRef


class Mandates(BaseModel):
    at: str = Field(examples=["2014-01-01"])
    mandates: list[MandateOut]


class DirectorateRef(OrgRef):
    key: str = Field(examples=["DCI"])
    kind: str = Field(examples=["Directorate"])


class UnitLinkOut(BaseModel):
    link: str = Field(examples=[ID + "link/SDCSG--DCI--2013-10-02"])
    valid_from: str | None
    valid_to: str | None
    certainty: str | None = Field(None, examples=["certain"], description="certain, probable or uncertain")
    stated_by: str | None = Field(None, examples=[ID + "text/INTA1319065A"], description="the text stating the link")
    organisation: OrgRef


class NameOut(BaseModel):
    """The dated name in force on the date asked (the organisation's acronym and label are that name)."""

    acronym: str = Field(examples=["DCIS"])
    valid_from: str | None = Field(examples=["2021-08-01"])
    valid_to: str | None = Field(examples=[None])
    attested_on: str | None = Field(examples=[None], description="a date a source uses the name, start unknown")
    certainty: str | None = Field(examples=["probable"], description="of its start (or of its attestation)")
    end_certainty: str | None = Field(None, examples=[None], description="of its end, where it differs")


class Directorate(OrgRef):
    key: str = Field(examples=["DCI"])
    at: str = Field(examples=["2014-01-01"])
    mandates: list[MandateOut]
    unit_of: list[UnitLinkOut] = Field(description="the bodies it is a unit of on that date")
    units: list[UnitLinkOut] = Field(description="its own units on that date")
    name: NameOut | None = Field(None, description="the dated name in force on that date, if names are dated")
    units_unknown: list[UnitLinkOut] = Field(
        [], description="units stated by a text that has ended, whose state on that date is unknown"
    )


class CutOffWrite(BaseModel):
    source: str | None
    by: str | None
    at: str | None = Field(description="when the cut-off write started (UTC)")


class BehindRow(BaseModel):
    id: str
    row: int = Field(description="the row as a spreadsheet numbers it (CSV header: row 1)")
    file_status: str | None
    store_status: str


class RegisterReport(BaseModel):
    source: str = Field(examples=["upload.csv"])
    rows: int
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    status_changes: int
    interrupted: list[CutOffWrite] = Field(
        default_factory=list,
        description="earlier imports of the same source that were cut off (their process stopped) before their "
        "inferences were drawn; completed since, reported here once",
    )
    behind: list[BehindRow] = Field(
        default_factory=list,
        description="rows left as the store has them: their status is behind the store's (an older register)",
    )


class ImportResult(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"loaded": {"upload.ttl": 3}, "version": "3f2a…"}]})

    loaded: dict[str, int]
    version: str = Field(description="the new version of the imported data (also the ETag)")
    report: RegisterReport | None = Field(None, description="for a register (CSV/JSON): what the import did")


class Version(BaseModel):
    version: str = Field(description="the current version of the importable data (also the ETag)")
