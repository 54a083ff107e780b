"""Health, competence, directorates and mandates: parse, call one service, return a model."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import CallerDep, State
from api.models import Competence, Directorate, DirectorateRef, Health, MandateOut, Mandates
from api.problems import responses
from kg.services import competence, directory

router = APIRouter()

At = Annotated[
    dt.date | None,
    Query(description="The date of the question, YYYY-MM-DD (default: today)", examples=["2014-01-01"]),
]


def _day(at: dt.date | None) -> dt.date:
    return at or dt.date.today()


@router.get("/health", response_model=Health, tags=["service"], summary="Ready to answer")
async def health(state: State) -> Health:
    return Health(status="ok", backend=state.backend, generation=await state.call(lambda: state.store.generation))


@router.get(
    "/competence",
    response_model=Competence,
    tags=["competence"],
    summary="Which directorate handles this, under which article, for whom?",
    responses=responses(422),
)
async def get_competence(
    state: State,
    caller: CallerDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=500,
            description="A question, French or English",
            examples=["Qui négocie les arrangements techniques pour la gendarmerie ?"],
        ),
    ],
    at: At = None,
    limit: Annotated[int, Query(ge=1, le=50, description="Number of answers")] = 5,
) -> Response:
    # async, on the event loop: a cached answer costs no thread hop; resolving one takes 1-3 ms of CPU (a
    # country named adds its instruments from the register's read model, in the threadpool: the model is
    # rebuilt there after a write it was not told about). Only a stale index is rebuilt in the threadpool.
    # The generation is read once (over a remote store, each read is an HTTP request) and handed down.
    generation = await state.call(lambda: state.store.generation)  # first: the index is then at least as new
    index = state.fresh_index(generation) or await run_in_threadpool(state.index)
    day = _day(at)
    cleared = caller.role.cleared  # restricted instruments in the case file only for a cleared caller

    def answer() -> bytes:  # checked against the model once, when computed (the cache keeps the bytes)
        found = competence.instruments_lookup(state.store, index, cleared=cleared, generation=generation)
        return (
            Competence.model_validate(competence.resolve(index, q, day, limit, instruments=found))
            .model_dump_json(exclude_unset=True)
            .encode()
        )

    key = (generation, q, day, limit, cleared)
    if competence.countries_named(index, q):
        body = await run_in_threadpool(state.answers.get, key, answer)
    else:
        body = state.answers.get(key, answer)
    return Response(body, media_type="application/json")


@router.get("/directorates", response_model=list[DirectorateRef], tags=["organisation"])
def list_directorates(state: State) -> list[dict]:
    return directory.directorates(state.store, state.index())


@router.get(
    "/directorates/{key}",
    response_model=Directorate,
    tags=["organisation"],
    responses=responses(404, 422),
    summary="A directorate on a date: its mandates in force, what it is a unit of, its units",
)
def get_directorate(
    state: State, key: Annotated[str, Path(examples=["DCI"], pattern=r"^[A-Za-z0-9-]+$")], at: At = None
) -> dict:
    return directory.directorate(state.store, state.index(), key, _day(at))


@router.get("/mandates", response_model=Mandates, tags=["organisation"], summary="The mandates in force on a date")
def list_mandates(state: State, at: At = None) -> dict:
    return directory.mandates(state.index(), _day(at))


@router.get(
    "/mandates/{key:path}",
    response_model=MandateOut,
    tags=["organisation"],
    responses=responses(404),
    summary="One mandate, by the end of its IRI (e.g. text/INTA1319065A/art/1/item/k)",
)
def get_mandate(state: State, key: str, at: At = None) -> dict:
    return directory.mandate(state.index(), key, _day(at))
