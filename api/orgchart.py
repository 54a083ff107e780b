"""Lay out an organisation chart (kg.services.directory.chart) as positioned SVG boxes and paths.

Three columns: the beneficiary directorates on the left, the directorate (under the body it is a unit
of) in the middle, its units on the right; unit links are solid lines, mandates dashed lines labelled
with their letters."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Collection
from dataclasses import dataclass

WIDTH = 1100
NODE_W, NODE_H = 210, 46
ROW = 56
TOP = 24
ROLE_RANK = {"lead": 0, "co-decide": 1, "implement": 2, "contribute": 3, "informed": 4}


@dataclass
class Box:
    iri: str
    acronym: str
    label: str
    x: float
    y: float
    kind: str
    href: str
    named: bool = True  # the acronym is the organisation's own (not a key such as "FUNDERS")

    @property
    def short(self) -> str:
        return self.label if len(self.label) <= 32 else self.label[:31] + "…"

    @property
    def lines(self) -> tuple[str, str]:
        """The box's two lines: the acronym and the name, or the name alone over both lines."""
        if self.named and self.acronym:
            return self.acronym, self.short
        head, *rest = textwrap.wrap(self.label, 24) or [""]
        tail = " ".join(rest)
        return head, tail if len(tail) <= 32 else tail[:31] + "…"

    def left(self) -> tuple[float, float]:
        return self.x, self.y + NODE_H / 2

    def right(self) -> tuple[float, float]:
        return self.x + NODE_W, self.y + NODE_H / 2


def _curve(a: tuple[float, float], b: tuple[float, float]) -> str:
    mid = (a[0] + b[0]) / 2
    return f"M{a[0]:.0f},{a[1]:.0f} C{mid:.0f},{a[1]:.0f} {mid:.0f},{b[1]:.0f} {b[0]:.0f},{b[1]:.0f}"


def layout(chart: dict, href: Callable[[str], str], acronyms: Collection[str] = ()) -> dict:
    """The chart's boxes and lines; `acronyms`: the organisations whose acronym is their own (others show
    their name)."""
    bens, units, parents = chart["beneficiaries"], chart["units"], chart["parents"]
    rows = max(len(bens), len(units), 3)
    height = TOP * 2 + rows * ROW + (NODE_H + 30 if parents else 0)
    offset = NODE_H + 30 if parents else 0
    centre_x = (WIDTH - NODE_W) / 2

    def column(orgs: list[dict], x: float, kind: str) -> list[Box]:
        span = rows * ROW
        start = TOP + offset + (span - len(orgs) * ROW) / 2
        return [
            Box(o["iri"], o["acronym"], o["label"], x, start + i * ROW, kind, href(o["iri"]), o["iri"] in acronyms)
            for i, o in enumerate(orgs)
        ]

    left = column(bens, 20, "beneficiary")
    right = column(units, WIDTH - NODE_W - 20, "unit")
    root = Box(
        **{k: chart["root"][k] for k in ("iri", "acronym", "label")},
        x=centre_x,
        y=TOP + offset + (rows * ROW - NODE_H) / 2,
        kind="root",
        href=href(chart["root"]["iri"]),
        named=chart["root"]["iri"] in acronyms,
    )
    tops = [
        Box(
            p["iri"],
            p.get("acronym", ""),
            p.get("label", p["iri"]),
            centre_x + (i - (len(parents) - 1) / 2) * (NODE_W + 20),
            TOP,
            "parent",
            href(p["iri"]),
            p["iri"] in acronyms,
        )
        for i, p in enumerate(parents)
    ]
    by_iri = {b.iri: b for b in (*left, *right, *tops, root)}

    sure = {u["iri"]: u.get("certainty") in (None, "certain") for u in units}  # a link not certain is dotted
    lines = [
        {
            "d": _curve(root.right(), u.left()),
            "kind": "unit" if sure[u.iri] else "unit uncertain",
            "title": f"{u.acronym} → {root.acronym}",
        }
        for u in right
    ]
    lines += [
        {
            "d": f"M{root.x + NODE_W / 2:.0f},{root.y:.0f} L{p.x + NODE_W / 2:.0f},{p.y + NODE_H:.0f}",
            "kind": "unit",
            "title": f"{root.acronym} → {p.acronym}",
        }
        for p in tops
    ]
    for e in chart["mandate_edges"]:
        h, b = by_iri.get(e["holder"]), by_iri.get(e["beneficiary"])
        if h is None or b is None:
            continue
        if b.kind == "parent":
            start, end = (h.x + NODE_W * 0.75, h.y), (b.x + NODE_W * 0.75, b.y + NODE_H)
        else:
            start, end = h.left(), b.right()
        letters = ", ".join(dict.fromkeys(m["label"] for m in e["mandates"]))
        role = min((m["role"] for m in e["mandates"]), key=lambda r: ROLE_RANK.get(r, 9))
        lx = end[0] + (start[0] - end[0]) * 0.18
        ly = end[1] + (start[1] - end[1]) * 0.18 - 4
        lines.append(
            {
                "d": _curve(start, end)
                if b.kind != "parent"
                else f"M{start[0]:.0f},{start[1]:.0f} L{end[0]:.0f},{end[1]:.0f}",
                "kind": f"mandate {role}",
                "title": f"{h.acronym} → {b.acronym} : {letters}",
                "label": letters if len(letters) <= 28 else letters[:27] + "…",
                "lx": lx,
                "ly": ly,
            }
        )
    return {
        "width": WIDTH,
        "height": height,
        "nodes": [*tops, root, *right, *left],
        "lines": lines,
        "node_w": NODE_W,
        "node_h": NODE_H,
    }
