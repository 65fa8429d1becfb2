"""A local OpenReview API v2 stand-in on 127.0.0.1: serves recorded notes and profiles in the real response
shape, and injects faults (429 with Retry-After, 500, a stalled response, a truncated body) on request."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

from local_fake_server import LocalFakeServer


def _v(value):
    return {"value": value}


def note(note_id, title, authors, authorids, venue="NeurIPS 2024 poster"):
    content = {
        "authors": _v(authors),
        "authorids": _v(authorids),
        "venue": _v(venue),
        "venueid": _v("NeurIPS.cc/2024/Conference"),
        "keywords": _v(["learning"]),
    }
    if title is not None:
        content["title"] = _v(title)
    return {
        "id": note_id,
        "forum": note_id,
        "invitations": ["NeurIPS.cc/2024/Conference/-/Submission"],
        "content": content,
        "cdate": 1715000000000,
    }


def entry(position, name, domain, start, end=None, country=None):
    institution = {"name": name, "domain": domain}
    if country is not None:
        institution["country"] = country
    return {"position": position, "start": start, "end": end, "institution": institution}


NOTES = [
    note("n1", "Paper One", ["Alice Zhang", "Bob Li"], ["~Alice_Zhang1", "~Bob_Li2"], "NeurIPS 2024 oral"),
    note(
        "n2",
        "Paper Two",
        ["Alice Zhang", "Carol Smith", "Dan Roe"],
        ["~Alice_Zhang1", "carol@csail.mit.edu", "~Dan_Roe1"],
    ),
    note("n3", None, ["Eve Nil"], ["~Eve_Nil1"]),  # no title: quarantined
]

PROFILES = [
    {
        "id": "~Alice_Zhang1",
        "content": {
            "names": [{"fullname": "Alice Zhang", "username": "~Alice_Zhang1", "preferred": True}],
            "emailsConfirmed": ["****@google.com"],
            "history": [
                entry("Researcher", "Google", "google.com", 2021),
                entry("PhD student", "Stanford University", "stanford.edu", 2016, 2021, "US"),
                entry("Undergrad student", "Tsinghua University", "tsinghua.edu.cn", 2012, 2016, "CN"),
            ],
        },
    },
    {
        "id": "~Bob_Li1",
        "content": {  # requested by its alias ~Bob_Li2
            "names": [
                {"fullname": "Bob Li", "username": "~Bob_Li1", "preferred": True},
                {"fullname": "Bob Li", "username": "~Bob_Li2"},
            ],
            "history": [
                entry("PhD student", "MIT", "mit.edu", 2017),
                entry("MS student", "University of Toronto", "utoronto.ca", 2015, 2017, "Canada"),
            ],
        },
    },
    {
        "id": "~Dan_Roe1",
        "content": {"names": [{"fullname": "Dan Roe", "username": "~Dan_Roe1"}], "history": "not a list"},
    },  # malformed: quarantined
]


class FakeOpenReview(LocalFakeServer):
    """faults: {request label: [fault, ...]} consumed one per attempt. Labels: 'notes@<offset>' and
    'profiles@<first id of the batch>'. Faults: '429', '500', 'stall', 'truncate', '429-reset'."""

    def _answer(self, method, path, query, body):
        if method == "GET" and path == "/notes":
            offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["1000"])[0])
            wanted = [
                n for n in NOTES if query.get("content.venueid", [""])[0] == "NeurIPS.cc/2024/Conference"
            ]
            return f"notes@{offset}", {"notes": wanted[offset : offset + limit], "count": len(wanted)}
        if method == "POST" and path == "/profiles/search":
            ids = json.loads(body)["ids"]
            found = [
                p
                for p in PROFILES
                if p["id"] in ids or any(n.get("username") in ids for n in p["content"].get("names", []))
            ]
            return f"profiles@{ids[0]}", {"profiles": found}
        return None, None

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self, method):
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                label, payload = fake._answer(method, url.path, parse_qs(url.query), body)
                if label is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                with fake._lock:
                    fake.attempts[label] += 1
                    fault = fake.faults.get(label, []).pop(0) if fake.faults.get(label) else None
                    if fault is None:
                        fake.served_ok[label] += 1
                data = json.dumps(payload).encode()
                if fault == "stall":
                    time.sleep(fake.stall_seconds)
                if fault in ("429", "429-reset", "500"):
                    status = 429 if fault.startswith("429") else 500
                    text = json.dumps(
                        {
                            "name": "RateLimitError",
                            "status": status,
                            "details": {"resetTime": "2000-01-01T00:00:00.000Z"},
                        }
                    ).encode()
                    self.send_response(status)
                    if fault == "429":
                        self.send_header("Retry-After", "2")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(text)))
                    self.end_headers()
                    self.wfile.write(text)
                    return
                if fault == "truncate":
                    data = data[: len(data) // 2]
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

        return Handler
