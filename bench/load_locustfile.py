"""What the simulated visitors of bench/load.py do (run by locust, headless).

LOAD_PLAN names the plan file (bench/load_directory.py: ZIP codes, profile ids, API points); LOAD_MIX the mix,
e.g. `results=70,profile=25,review=5` or `api=100`; LOAD_REVIEW_LOG where each review post's address and answer are
written, so the run can check every review posted was stored once; LOAD_FILL_SECONDS how long a person takes to fill
in the review form (longer than the app's REVIEW_MIN_SECONDS).

Readers are anonymous and keep no cookie, as most visitors do. A review visit is what a person does: it opens the
form (which gives it a session cookie, a CSRF token, a one-time token and a signed render time), and only after the
fill-in time does the same visitor send it back, honeypot left empty. Each visitor keeps its forms being filled in
while it goes on reading, so many virtual people are in the middle of writing at any moment.
"""
from __future__ import annotations

import json
import os
import random
import re
import time
import uuid
from collections import deque

from locust import FastHttpUser, constant, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 (read once at import)
MIX = {name: float(weight) for name, weight in
       (part.split("=") for part in os.environ.get("LOAD_MIX", "results=70,profile=25,review=5").split(","))}
FILL_SECONDS = float(os.environ.get("LOAD_FILL_SECONDS", "6"))
REVIEW_LOG = os.environ.get("LOAD_REVIEW_LOG", "")
BROWSER = {"Accept-Encoding": "br, gzip", "Accept": "text/html,application/xhtml+xml"}
WORDS = ("calm nurse monitored vitals quiet room blanket music dose session recovery drive home partner follow-up "
         "call nausea faded dizziness brief intake thorough questions answered price clear parking easy wait short "
         "second third infusion mood lifted sleep better anxious first time staff kind doctor explained").split()


def _hidden(html: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html)
    return found.group(1) if found else None


class Visitor(FastHttpUser):
    wait_time = constant(0)  # closed loop: each visitor asks again as soon as it is answered

    def on_start(self):
        self.rng = random.Random()
        self.pending: deque = deque()  # (ready_at, provider_id, form fields, session cookie)

    @task
    def visit(self):
        # A form whose fill-in time has passed is sent first, whatever this visit was going to be.
        if self.pending and self.pending[0][0] <= time.monotonic():
            self._send_review(*self.pending.popleft()[1:])
        page = self.rng.choices(list(MIX), weights=list(MIX.values()))[0]
        getattr(self, page)()

    def results(self):
        self._read(f"/search?q={self.rng.choice(PLAN['zips'])}", "results")

    def profile(self):
        self._read(f"/providers/{self.rng.choice(PLAN['profile_ids'])}", "profile")

    def api(self):
        lat, lon = self.rng.choice(PLAN["points"])
        self._read(f"/api/v1/providers?lat={lat}&lon={lon}", "api")

    def healthz(self):
        self._read("/healthz", "healthz")

    def _read(self, path: str, name: str) -> None:
        self.client.get(path, name=name, headers=BROWSER)

    def review(self) -> None:
        provider_id = self.rng.choice(PLAN["profile_ids"])
        self.client.cookiejar.clear()
        with self.client.get(f"/providers/{provider_id}/reviews/new", name="review form",
                             headers={"Accept-Encoding": "identity"}, catch_response=True) as response:
            cookie = next((f"{c.name}={c.value}" for c in self.client.cookiejar if c.name == "session"), "")
            self.client.cookiejar.clear()  # the visitor reads on without it; the form's tab keeps it
            fields = {name: _hidden(response.text or "", name) for name in ("csrf_token", "form_once", "form_token")}
            if response.status_code != 200 or not cookie or None in fields.values():
                response.failure(f"review form: {response.status_code}, cookie={bool(cookie)}, fields={fields}")
                return
        self.pending.append((time.monotonic() + FILL_SECONDS * self.rng.uniform(1.0, 1.5), provider_id, fields,
                             cookie))

    def _send_review(self, provider_id: int, fields: dict, cookie: str) -> None:
        email = f"load-{uuid.uuid4().hex[:16]}@example.org"
        text = " ".join(self.rng.choice(WORDS) for _ in range(24))
        data = {
            **fields, "overall_rating": str(self.rng.randint(1, 5)), "experience_rating": "4",
            "professionalism_rating": str(self.rng.randint(3, 5)), "customer_service_rating": "5",
            "mode": "in_clinic", "route": "iv", "treatment_month": str(self.rng.randint(1, 12)),
            "treatment_year": "2025", "text": f"My infusions: {text}.", "display_name": "Anonymous patient",
            "email": email, "consent": "y", "website": "",  # the honeypot, left empty as a person leaves it
        }
        with self.client.post(f"/providers/{provider_id}/reviews/new", name="review post", data=data,
                              headers={"Cookie": cookie, "Accept-Encoding": "identity"}, allow_redirects=False,
                              catch_response=True) as response:
            if REVIEW_LOG:
                with open(REVIEW_LOG, "a") as log:
                    log.write(f"{email} {response.status_code}\n")
            if response.status_code != 302:
                response.failure(f"review post answered {response.status_code}")
