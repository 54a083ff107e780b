"""Agreements: the register, one instrument, its history; create and transitions (negotiators), with
ETag / If-Match. Restricted instruments exist only for cleared roles (404 for a reader)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CallerDep, State, require
from api.etag import quoted
from api.paging import page_links
from api.problems import ApiError, responses
from kg.auth.access import Role
from kg.auth.tokens import Caller
from kg.services import agreements
from kg.services.agreements import views
from kg.services.agreements.views import DEFAULT_LIMIT, MAX_LIMIT

router = APIRouter(tags=["agreements"])

EXAMPLE_ID = "AE-2009-05-26-agreement"
IdPath = Annotated[str, Path(description="Register id", examples=[EXAMPLE_ID])]
IfMatch = Annotated[str | None, Header(description="The ETag you last read; 412 if the instrument changed")]
IfNoneMatch = Annotated[str | None, Header(description="`*`: create only if no instrument has this id (else 412)")]
Negotiator = Annotated[Caller, Depends(require(Role.negotiator))]


# -- models ----------------------------------------------------------------------------------------------


class AgreementItem(BaseModel):
    id: str = Field(examples=[EXAMPLE_ID])
    iri: str = Field(examples=["https://w3id.org/dci-kg/id/agreement/AE-2009-05-26-agreement"])
    kind: str = Field(examples=["agreement"])
    title: str
    partner_country: str = Field(examples=["AE"])
    status: str | None = Field(examples=["in_force"])
    signed_on: str | None = Field(examples=["2009-05-26"])
    in_force_on: str | None
    parent_id: str | None


class AgreementList(BaseModel):
    """Exactly the JSON of `dci-kg agreements list --json` (for a reader: public instruments only): one page
    of the filtered register, the total of every page, and the page asked for (the `Link` header names the
    next and previous pages, RFC 8288)."""

    items: list[AgreementItem]
    total: int = Field(description="How many instruments the filters keep, over every page")
    limit: int | None = Field(examples=[50])
    offset: int = Field(examples=[0])


class StatusChangeOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    iri: str
    sequence: int = Field(examples=[1])
    from_: str | None = Field(alias="from", examples=["signed"])
    to: str = Field(examples=["in_force"])
    date: str | None = Field(examples=["2011-03-01"])
    by: str | None = Field(examples=["bureau des accords"])
    sources: list[str]
    note: str | None


class AgreementDetail(AgreementItem):
    """`dci-kg agreements show --json`: every register field, the confidentiality and the history."""

    model_config = ConfigDict(extra="allow")

    partner_authority: str | None
    confidentiality: str = Field(examples=["public"])
    topics: list[str]
    beneficiaries: list[str]
    source: list[str]
    history: list[StatusChangeOut]


class AgreementCreate(BaseModel):
    """A register record (the columns of the register format); list fields as arrays or `;`-separated."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "FR-TEST-2024-01-15-technical_arrangement",
                    "kind": "technical_arrangement",
                    "title": "Arrangement technique relatif à la coopération en matière de police",
                    "partner_country": "MA",
                    "status": "negotiating",
                    "confidentiality": "public",
                    "source": ["https://example.org/source"],
                }
            ]
        },
    )

    id: str
    kind: str
    title: str
    partner_country: str
    confidentiality: str = "public"
    source: list[str] | str
    partner_authority: str | None = None
    status: str | None = None
    signed_on: str | None = None
    signed_at: str | None = None
    approval_law: str | None = None
    approved_on: str | None = None
    in_force_on: str | None = None
    ended_on: str | None = None
    parent_id: str | None = None
    status_on: str | None = None
    related: list[str] | str | None = None
    certainty: str | None = None
    topics: list[str] | str | None = None
    beneficiaries: list[str] | str | None = None
    negotiator: str | None = None
    mandate: str | None = None
    note: str | None = None

    def record(self) -> dict[str, str]:
        """The register row the services take (lists `;`-joined, absent fields empty)."""
        out = {}
        for k, v in self.model_dump().items():
            out[k] = ";".join(v) if isinstance(v, list) else ("" if v is None else str(v))
        return out


class TransitionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"to": "in_force", "date": "2011-03-01", "note": "décret de publication", "source": None}]
        },
    )

    to: str = Field(description="The new status code")
    date: dt.date | None = Field(None, description="The day of the change (default: today)")
    note: str | None = None
    source: str | None = Field(None, description="Where the change is recorded (a URL becomes an IRI)")


class TransitionOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    from_: str | None = Field(alias="from")
    to: str
    date: str
    sequence: int
    version: str = Field(description="The instrument's new version (also the ETag)")


# -- routes ----------------------------------------------------------------------------------------------


@router.get(
    "/agreements",
    response_model=AgreementList,
    responses=responses(422),
    summary="The register; each filter keeps only the instruments with that value (422 on an unknown code)",
)
def list_agreements(
    state: State,
    caller: CallerDep,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code of the partner", examples=["AE"])] = None,
    status: Annotated[str | None, Query(description="Status code", examples=["in_force"])] = None,
    kind: Annotated[str | None, Query(description="Kind code", examples=["technical_arrangement"])] = None,
    topic: Annotated[str | None, Query(description="Topic code of the thesaurus")] = None,
    stalled_years: Annotated[
        int | None, Query(ge=0, le=1000, description="Signed more than N years ago, not in force")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (at most {MAX_LIMIT})")
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="How many instruments to skip")] = 0,
    *,
    request: Request,
    response: Response,
) -> dict:
    found = agreements.list_instruments(
        state.store,
        country=country,
        status=status,
        kind=kind,
        topic=topic,
        stalled_years=stalled_years,
        include_restricted=caller.role.cleared,
        limit=limit,
        offset=offset,
    )
    links = page_links(request.url, found["total"], limit, offset)
    if links:
        response.headers["Link"] = links
    return found


class StatusKindCount(BaseModel):
    status: str = Field(description='Status code, "unknown" when the instrument has none', examples=["signed"])
    kind: str = Field(examples=["agreement"])
    count: int


@router.get(
    "/agreements/counts",
    response_model=list[StatusKindCount],
    summary="How many instruments per current status and kind (counts-by-status-kind.rq, from the read model)",
)
def count_agreements(state: State, caller: CallerDep) -> list[dict]:
    return views.counts_by_status_kind(state.store, cleared=caller.role.cleared)


@router.get(
    "/agreements/{instrument_id}",
    response_model=AgreementDetail,
    responses=responses(404),
    summary="One instrument: every field and its history (ETag: its version)",
)
def get_agreement(state: State, caller: CallerDep, instrument_id: IdPath, response: Response) -> dict:
    cleared = caller.role.cleared
    response.headers["ETag"] = quoted(agreements.version(state.store, instrument_id, include_restricted=cleared))
    return agreements.show(state.store, instrument_id, include_restricted=cleared)


@router.get(
    "/agreements/{instrument_id}/history",
    response_model=list[StatusChangeOut],
    responses=responses(404),
    summary="Every status change of one instrument, in order",
)
def get_history(state: State, caller: CallerDep, instrument_id: IdPath) -> list[dict]:
    return agreements.history(state.store, instrument_id, include_restricted=caller.role.cleared, check=True)


@router.post(
    "/agreements",
    status_code=201,
    response_model=AgreementDetail,
    responses=responses(400, 401, 403, 409, 412, 422),
    summary="Create one instrument from a register record, through the SHACL gate; negotiator",
)
def create_agreement(
    state: State, caller: Negotiator, body: AgreementCreate, response: Response, if_none_match: IfNoneMatch = None
) -> dict:
    if if_none_match is not None and if_none_match.strip() != "*":
        raise ApiError(400, f"If-None-Match on a creation takes only *, not {if_none_match!r}")
    try:
        created = agreements.create(state.store, body.record(), by=caller.name)
    except agreements.AlreadyExists as exc:
        if if_none_match is not None:  # RFC 9110: a failed precondition is 412, whatever the method
            raise ApiError(412, f"{exc}; If-None-Match: * asked for a new one") from None
        raise
    version = agreements.version(state.store, body.id, include_restricted=True)  # a negotiator: cleared
    response.headers["ETag"] = quoted(version)
    response.headers["Location"] = f"/agreements/{body.id}"
    return created


@router.post(
    "/agreements/{instrument_id}/transitions",
    response_model=TransitionOut,
    responses=responses(401, 403, 404, 409, 412, 422),
    summary="Record a status change (recorded by the token's name); negotiator",
)
def post_transition(
    state: State,
    caller: Negotiator,
    instrument_id: IdPath,
    body: TransitionIn,
    response: Response,
    if_match: IfMatch = None,
) -> TransitionOut:
    done = agreements.transition(
        state.store,
        instrument_id,
        body.to,
        date=body.date or dt.date.today(),
        note=body.note,
        by=caller.name,
        source=body.source,
        if_match=if_match,  # checked by the store where it writes: 412 if another writer got there first
    )
    version = agreements.version(state.store, instrument_id, include_restricted=True)
    response.headers["ETag"] = quoted(version)
    return TransitionOut(**done, version=version)
