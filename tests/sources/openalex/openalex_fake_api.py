"""A local OpenAlex API stand-in on 127.0.0.1: serves recorded works and authors in the real response shape
(ids as https://openalex.org/… URLs, `meta.count/per_page/next_cursor`, cursor paging that ends with an
empty page after the last full one, `select=` honoured) and injects faults on request."""

from __future__ import annotations

import base64
import json
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

from local_fake_server import LocalFakeServer

OA = "https://openalex.org/"
SOURCE_ID = "S4306420609"
FILTER = f"primary_location.source.id:{SOURCE_ID},publication_year:2018-2024"


def institution(iid, name, ror, country, kind="education"):
    return {
        "id": OA + iid,
        "display_name": name,
        "ror": f"https://ror.org/{ror}",
        "country_code": country,
        "type": kind,
        "lineage": [OA + iid],
    }


TSINGHUA = institution("I99065089", "Tsinghua University", "03cve4549", "CN")
STANFORD = institution("I97018004", "Stanford University", "00f54p054", "US")
GOOGLE = institution("I1291425158", "Google (United States)", "00njsd438", "US", "company")
MSRA = institution("I4210113369", "Microsoft Research Asia (China)", "0300m5276", "CN", "company")


def authorship(position, aid, name, orcid, institutions, raw, corresponding=False):
    return {
        "author_position": position,
        "author": {"id": OA + aid, "display_name": name, "orcid": orcid and f"https://orcid.org/{orcid}"},
        "institutions": institutions,
        "countries": sorted({i["country_code"] for i in institutions}),
        "is_corresponding": corresponding,
        "raw_author_name": name,
        "raw_affiliation_strings": raw,
        "affiliations": [{"raw_affiliation_string": r, "institution_ids": []} for r in raw],
    }


def work(wid, year, title, authorships, kind="article"):
    return {
        "id": OA + wid,
        "doi": None,
        "title": title,
        "display_name": title,
        "publication_year": year,
        "publication_date": f"{year}-12-01",
        "type": kind,
        "language": "en",
        "primary_location": {
            "is_oa": True,
            "landing_page_url": f"https://papers.nips.cc/{wid}",
            "source": {
                "id": OA + SOURCE_ID,
                "display_name": "Neural Information Processing Systems",
                "type": "conference",
            },
        },
        "authorships": authorships,
        "keywords": [{"id": OA + "keywords/deep-learning", "display_name": "Deep Learning", "score": 0.6}],
        "primary_topic": {"id": OA + "T10320", "display_name": "Neural Networks and Applications"},
        "concepts": [{"id": OA + "C154945302", "display_name": "Artificial intelligence", "level": 1}],
        "cited_by_count": 3,
        "updated_date": "2025-06-01T00:00:00",
    }


W3 = work(
    "W3003",
    2021,
    "Third paper",
    [
        authorship("first", "A4", "Dan Wu", None, [], ["Dept. of CS, Peking University, Beijing, China"]),
        authorship("last", "A5", "Eve Roe", "0000-0002-0000-0005", [STANFORD], ["Stanford University"]),
    ],
)
# Served in this order: W3 comes twice (a work that moved under the cursor), so 6 entries, 5 works.
WORKS = [
    work(
        "W1001",
        2019,
        "First paper",
        [
            authorship(
                "first", "A1", "Li Wei", "0000-0001-0000-0001", [TSINGHUA], ["Tsinghua University, Beijing"]
            ),
            authorship("last", "A2", "Ann Lee", None, [GOOGLE], ["Google Research, Mountain View, CA"], True),
        ],
    ),
    work(
        "W1002",
        2020,
        "Second paper",
        [
            authorship("first", "A1", "Li Wei", "0000-0001-0000-0001", [TSINGHUA, MSRA], []),
            authorship("last", "A3", "Bo Chen", None, [STANFORD], ["Stanford University, CA, USA"]),
        ],
    ),
    W3,
    work(
        "W1004",
        2022,
        "Fourth paper",
        [
            authorship("first", "A2", "Ann Lee", None, [GOOGLE], ["Google"]),
            authorship("middle", "A6", "Fay Xu", None, [MSRA], ["Microsoft Research Asia"]),
        ],
    ),
    W3,
    work("W1005", 2023, "Fifth paper", [authorship("first", "A7", "Gus Kim", None, [], [])], "preprint"),
]


def author(aid, name, affiliations, orcid=None):
    return {
        "id": OA + aid,
        "orcid": orcid and f"https://orcid.org/{orcid}",
        "display_name": name,
        "works_count": 12,
        "affiliations": [{"institution": inst, "years": years} for inst, years in affiliations],
        "last_known_institutions": [affiliations[0][0]] if affiliations else [],
        "updated_date": "2025-06-01T00:00:00",
    }


# A7 is absent: an author merged away since the works were indexed is not returned by the id filter.
AUTHORS = {
    "A1": author(
        "A1", "Li Wei", [(MSRA, [2021, 2020]), (TSINGHUA, [2020, 2019, 2018])], "0000-0001-0000-0001"
    ),
    "A2": author("A2", "Ann Lee", [(GOOGLE, [2022, 2021, 2020, 2019])]),
    "A3": author("A3", "Bo Chen", [(STANFORD, [2020])]),
    "A4": author("A4", "Dan Wu", []),
    "A5": author("A5", "Eve Roe", [(STANFORD, [2021])], "0000-0002-0000-0005"),
    "A6": author("A6", "Fay Xu", [(MSRA, [2022])]),
}


def _cursor(page):
    return base64.urlsafe_b64encode(f"page:{page}".encode()).decode()


def _page_of(cursor):
    return 0 if cursor == "*" else int(base64.urlsafe_b64decode(cursor.encode()).decode().split(":")[1])


def _select(record, select):
    return {k: v for k, v in record.items() if k in select.split(",")} if select else record


class FakeOpenAlex(LocalFakeServer):
    """faults: {label: [fault, ...]} consumed one per attempt. Labels: 'count', 'works@<page from 0>',
    'authors@<first id>'. Faults: '429' (per-second limit, Retry-After 2), 'budget' (429, daily budget
    spent), '500', 'stall' (answers after stall_seconds), 'truncate' (half a body), 'cut' (connection
    closed mid-body)."""

    def __init__(self, faults=None, stall_seconds=0.6, sources=None):
        self.api_keys: Counter[str] = Counter()
        self.sources = sources or {}  # short id → source record served at /sources/<id>
        super().__init__(faults, stall_seconds)

    @property
    def hits(self):
        return sum(self.attempts.values())

    def _source(self, source_id):
        record = self.sources.get(source_id)
        return f"source@{source_id}", record

    def _works_by_year(self, query):
        """`group_by=publication_year` for a `primary_location.source.id:S…` filter (distinct works)."""
        source = query.get("filter", [""])[0].removeprefix("primary_location.source.id:")
        works = {w["id"]: w for w in WORKS if w["primary_location"]["source"]["id"] == OA + source}
        years = Counter(str(w["publication_year"]) for w in works.values())
        groups = [{"key": y, "key_display_name": y, "count": n} for y, n in sorted(years.items())]
        return f"group_by@{source}", {
            "meta": {"count": len(works), "groups_count": len(groups)},
            "group_by": groups,
        }

    def _works(self, query):
        if "group_by" in query:
            return self._works_by_year(query)
        wanted = WORKS if query.get("filter", [""])[0] == FILTER else []
        per_page = int(query.get("per-page", ["25"])[0])
        select = query.get("select", [""])[0]
        if "cursor" not in query:  # basic paging: the count request
            meta = {"count": len(wanted), "per_page": per_page, "page": 1, "next_cursor": None}
            return "count", {"meta": meta, "results": [_select(w, select) for w in wanted[:per_page]]}
        page = _page_of(query["cursor"][0])
        results = wanted[page * per_page : (page + 1) * per_page]
        meta = {
            "count": len(wanted),
            "db_response_time_ms": 21,
            "page": None,
            "per_page": per_page,
            "next_cursor": _cursor(page + 1) if results else None,
            "groups_count": None,
        }
        return f"works@{page}", {"meta": meta, "results": [_select(w, select) for w in results]}

    def _authors(self, query):
        text = query.get("filter", [""])[0]
        ids = text.removeprefix("openalex:").split("|")
        found = [_select(AUTHORS[i], query.get("select", [""])[0]) for i in ids if i in AUTHORS]
        meta = {"count": len(found), "per_page": int(query.get("per-page", ["25"])[0]), "page": 1}
        return f"authors@{ids[0]}", {"meta": meta, "results": found}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, data, headers=(), declared=None):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(declared if declared is not None else len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                query = parse_qs(url.query)
                routes = {"/works": fake._works, "/authors": fake._authors}
                if url.path.startswith("/sources/"):
                    label, payload = fake._source(url.path.rsplit("/", 1)[1])
                elif url.path in routes:
                    label, payload = routes[url.path](query)
                else:
                    label, payload = "unknown", None
                if payload is None:
                    self._send(404, b'{"error": "not found"}')
                    return
                with fake._lock:
                    fake.attempts[label] += 1
                    fake.api_keys[query.get("api_key", [""])[0]] += 1
                    fault = fake.faults.get(label, []).pop(0) if fake.faults.get(label) else None
                    if fault is None:
                        fake.served_ok[label] += 1
                data = json.dumps(payload).encode()
                usage = [("X-RateLimit-Limit-USD", "1.0"), ("X-RateLimit-Remaining-USD", "0.9")]
                if fault == "stall":
                    time.sleep(fake.stall_seconds)
                elif fault == "429":
                    body = {"error": "Too Many Requests", "message": "Rate limit exceeded: 100 requests/s"}
                    self._send(429, json.dumps(body).encode(), [("Retry-After", "2"), *usage])
                    return
                elif fault == "budget":
                    body = {"error": "Rate limit exceeded", "message": "Daily budget of $1.00 exhausted."}
                    spent = [("X-RateLimit-Limit-USD", "1.0"), ("X-RateLimit-Remaining-USD", "0")]
                    self._send(429, json.dumps(body).encode(), spent)
                    return
                elif fault == "500":
                    self._send(500, b'{"error": "Internal Server Error"}')
                    return
                elif fault == "truncate":
                    data = data[: len(data) // 2]
                elif fault == "cut":
                    self._send(200, data[: len(data) // 2], usage, declared=len(data))
                    self.close_connection = True
                    return
                self._send(200, data, usage)

        return Handler
