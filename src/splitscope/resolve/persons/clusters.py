"""Persons from scored pairs: greedy, constraint-respecting union of records.

Records sharing a hard id (OpenReview profile, ORCID) start in one cluster. Scored pairs at or above the
threshold are then applied from the most to the least probable; a union that would put two different
hard ids in one person is refused (two ids are two people), which plain connected components could not
guarantee.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from splitscope.resolve.persons.name_forms import all_compatible

# Comparison names as they read in the evidence column.
COMPARISON_WORDS = {
    "name_norm": "name", "coauthors": "co-authors", "orgs": "organisation", "places": "organisation/domain",
    "countries": "country", "domains": "e-mail domain", "topic_words": "topic words", "year": "year gap",
    "years": "year gap", "tf_adj_name_norm": "name frequency",
}  # fmt: skip


def describe_frame(pairs: pd.DataFrame) -> list[str]:
    """Each pair's per-comparison match weights (Splink's mw_* columns, log2 Bayes factors), largest first:
    'co-authors +6.1, name +4.0, organisation -2.3' says what decided the link."""
    columns = [c for c in pairs if c.startswith("mw_")]
    if not columns:
        return [""] * len(pairs)
    names = [COMPARISON_WORDS.get(c[3:], c[3:]) for c in columns]
    out = []
    for values in pairs[columns].itertuples(index=False):
        parts = sorted(
            ((n, v) for n, v in zip(names, values, strict=True) if v == v and abs(v) >= 0.05),
            key=lambda item: -abs(item[1]),
        )
        out.append(", ".join(f"{n} {v:+.1f}" for n, v in parts))
    return out


@dataclass
class Clustering:
    index: dict[str, int]
    parent: list[int]
    hard: list[str | None]
    # Papers of each cluster (at its root): two authorships of one paper are two people, so a union that
    # would put one paper twice in a person is refused. None: no such constraint.
    papers: list[frozenset[str] | None] | None = None
    # Comparable names of each cluster (at its root): a model's union is refused when it would give one
    # person two names that cannot be one person's (persons/name_forms.py). None: no such constraint.
    names: list[frozenset[str] | None] | None = None
    best: dict[int, tuple[float, str, str]] = field(default_factory=dict)  # record → (p, other, levels)
    refused: int = 0
    refused_same_paper: int = 0
    refused_names: int = 0

    @classmethod
    def start(
        cls,
        ids: list[str],
        hard_ids: list[str | None],
        papers: list[frozenset[str]] | None = None,
        names: list[frozenset[str]] | None = None,
    ) -> Clustering:
        clustering = cls(
            {a: i for i, a in enumerate(ids)},
            list(range(len(ids))),
            list(hard_ids),
            list(papers) if papers is not None else None,
            list(names) if names is not None else None,
        )
        first_of: dict[str, int] = {}
        for i, hard in enumerate(hard_ids):
            if hard is not None:
                clustering.union(first_of.setdefault(hard, i), i, by_id=True)
        return clustering

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, by_id: bool = False) -> bool:
        """Join a's and b's clusters unless two different hard ids or (for a model's link) a shared paper
        or two names of two people forbid it; `by_id` joins on a shared hard id (or a decision already
        checked), which neither papers nor names can overrule."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ha, hb = self.hard[ra], self.hard[rb]
        if ha is not None and hb is not None and ha != hb:
            self.refused += 1
            return False
        pa, pb = self._of(self.papers, ra), self._of(self.papers, rb)
        na, nb = self._of(self.names, ra), self._of(self.names, rb)
        if not by_id and not pa.isdisjoint(pb):
            self.refused_same_paper += 1
            return False
        if not by_id and not all_compatible(na, nb):
            self.refused_names += 1
            return False
        for sets, joined in ((self.papers, pa | pb), (self.names, na | nb)):
            if sets is not None:
                sets[ra], sets[rb] = joined, None
        self.parent[rb] = ra
        self.hard[ra] = ha or hb
        return True

    @staticmethod
    def _of(sets: list[frozenset[str] | None] | None, root: int) -> frozenset[str]:
        return (sets[root] if sets is not None else None) or frozenset()

    def apply_pairs(self, pairs: pd.DataFrame, threshold: float, unique_id: str = "authorship_id") -> int:
        # Most probable first; ties (every pair with the same comparison levels has the same probability)
        # in id order. Splink returns pairs in whatever order DuckDB's threads finish, and the greedy
        # union's result depends on the order (which of two conflicting unions is refused).
        strong = pairs[pairs["match_probability"] >= threshold].sort_values(
            ["match_probability", f"{unique_id}_l", f"{unique_id}_r"],
            ascending=[False, True, True],
            kind="stable",
        )
        left = strong[f"{unique_id}_l"].map(self.index)
        right = strong[f"{unique_id}_r"].map(self.index)
        probabilities = strong["match_probability"].to_numpy()
        accepted_rows: dict[int, int] = {}  # record → position in `strong` of its best accepted pair
        accepted = 0
        for pos, (a, b) in enumerate(zip(left.to_numpy(), right.to_numpy(), strict=True)):
            if a != a or b != b or not self.union(int(a), int(b)):  # NaN: a record outside this run
                continue
            accepted += 1
            for me in (int(a), int(b)):
                accepted_rows.setdefault(me, pos)  # sorted by probability: the first is the best
        ids_l, ids_r = strong[f"{unique_id}_l"].to_numpy(), strong[f"{unique_id}_r"].to_numpy()
        positions = sorted(set(accepted_rows.values()))
        words = dict(zip(positions, describe_frame(strong.iloc[positions]), strict=True))
        for me, pos in accepted_rows.items():
            other = ids_r[pos] if self.index[ids_l[pos]] == me else ids_l[pos]
            self.best[me] = (float(probabilities[pos]), str(other), words[pos])
        return accepted


def person_id_for(members: list[str], hard: str | None) -> str:
    if hard is not None:
        return hard if hard.startswith("orcid:") else f"or:{hard}"
    return "p:" + hashlib.sha1(min(members).encode()).hexdigest()[:12]


def assignments(
    clustering: Clustering,
    ids: list[str],
    own_hard: list[str | None],
    fragment_links: dict[int, tuple[float, str, str]] | None = None,
) -> pd.DataFrame:
    """One row per record: person_id, match_probability, method, evidence. `fragment_links`: for the
    representative record of each stage-2 fragment that joined another, why (persons/linking.py)."""
    roots = [clustering.find(i) for i in range(len(ids))]
    members: dict[int, list[str]] = {}
    for i, root in enumerate(roots):
        members.setdefault(root, []).append(ids[i])
    person_of_root = {root: person_id_for(m, clustering.hard[root]) for root, m in members.items()}
    fragment_links = fragment_links or {}
    rows = []
    for i, root in enumerate(roots):
        person = person_of_root[root]
        joined = fragment_links.get(i)
        person_level = f"its fragment joined {joined[1]}'s (p={joined[0]:.3f}: {joined[2]})" if joined else ""
        if own_hard[i] is not None:
            kind = "orcid" if own_hard[i].startswith("orcid:") else "openreview_id"
            rows.append((ids[i], person, None, kind, f"{kind.replace('_', ' ')} {own_hard[i]}"))
        elif i in clustering.best:
            p, other, levels = clustering.best[i]
            why = f"p={p:.3f} with {other}: {levels}" + (f"; {person_level}" if joined else "")
            rows.append((ids[i], person, p, "splink", why))
        elif joined:
            rows.append((ids[i], person, joined[0], "splink", person_level))
        else:
            rows.append((ids[i], person, None, "singleton", "no link above the threshold"))
    return pd.DataFrame(
        rows, columns=["authorship_id", "person_id", "match_probability", "method", "evidence"]
    )
