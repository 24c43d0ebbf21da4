"""Generate seed_data/demo_providers.json: a fictional, reproducible demo directory.

Run: python scripts/generate_demo_seed.py  (deterministic: the same file every time).
Spread follows US population roughly: most providers in big metros, at least two in every state and DC.
Every identifier is fictional: license numbers use the reserved DEMO-ST-000000 pattern, phone numbers use the
555-01XX range set aside for fiction, e-mail and web addresses use the reserved example.* domains.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import zipcodes

OUT = Path(__file__).resolve().parent.parent / "seed_data" / "demo_providers.json"
rng = random.Random(20261125)

# (city, state, weight) — weight roughly by metro population, in millions.
METROS = [
    ("New York", "NY", 19), ("Los Angeles", "CA", 13), ("Chicago", "IL", 9), ("Dallas", "TX", 7.6),
    ("Houston", "TX", 7.1), ("Washington", "DC", 6.3), ("Philadelphia", "PA", 6.2), ("Miami", "FL", 6.1),
    ("Atlanta", "GA", 6.1), ("Boston", "MA", 4.9), ("Phoenix", "AZ", 4.8), ("San Francisco", "CA", 4.7),
    ("Riverside", "CA", 4.6), ("Detroit", "MI", 4.3), ("Seattle", "WA", 4.0), ("Minneapolis", "MN", 3.7),
    ("San Diego", "CA", 3.3), ("Tampa", "FL", 3.2), ("Denver", "CO", 3.0), ("Baltimore", "MD", 2.8),
    ("Saint Louis", "MO", 2.8), ("Orlando", "FL", 2.7), ("Charlotte", "NC", 2.7), ("San Antonio", "TX", 2.6),
    ("Portland", "OR", 2.5), ("Sacramento", "CA", 2.4), ("Pittsburgh", "PA", 2.4), ("Austin", "TX", 2.3),
    ("Las Vegas", "NV", 2.3), ("Cincinnati", "OH", 2.3), ("Kansas City", "MO", 2.2), ("Columbus", "OH", 2.1),
    ("Indianapolis", "IN", 2.1), ("Cleveland", "OH", 2.1), ("San Jose", "CA", 2.0), ("Nashville", "TN", 2.0),
    ("Virginia Beach", "VA", 1.8), ("Providence", "RI", 1.7), ("Jacksonville", "FL", 1.6), ("Milwaukee", "WI", 1.6),
    ("Raleigh", "NC", 1.4), ("Oklahoma City", "OK", 1.4), ("Memphis", "TN", 1.3), ("Richmond", "VA", 1.3),
    ("Louisville", "KY", 1.3), ("New Orleans", "LA", 1.3), ("Salt Lake City", "UT", 1.3), ("Hartford", "CT", 1.2),
    ("Buffalo", "NY", 1.2), ("Birmingham", "AL", 1.1), ("Portland", "ME", 0.55), ("Portland", "TX", 0.05),
    ("Albuquerque", "NM", 0.9), ("Omaha", "NE", 0.97), ("Boise", "ID", 0.8), ("Honolulu", "HI", 1.0),
    ("Anchorage", "AK", 0.4), ("Des Moines", "IA", 0.7), ("Little Rock", "AR", 0.75), ("Wichita", "KS", 0.65),
    ("Jackson", "MS", 0.6), ("Charleston", "WV", 0.2), ("Columbia", "SC", 0.85), ("Billings", "MT", 0.19),
    ("Fargo", "ND", 0.25), ("Sioux Falls", "SD", 0.28), ("Cheyenne", "WY", 0.1), ("Burlington", "VT", 0.22),
    ("Manchester", "NH", 0.42), ("Wilmington", "DE", 0.7), ("Newark", "NJ", 2.0),
]
ALL_STATES = sorted({z["state"] for z in zipcodes.list_all()} & set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()))

STANDARD = [z for z in zipcodes.list_all() if z["zip_code_type"] == "STANDARD" and z["active"] and z["lat"]]
BY_CITY: dict[tuple[str, str], list[dict]] = {}
BY_STATE: dict[str, list[dict]] = {}
for z in STANDARD:
    BY_CITY.setdefault((z["city"].lower(), z["state"]), []).append(z)
    BY_STATE.setdefault(z["state"], []).append(z)

FIRST = ["Avery", "Jordan", "Morgan", "Riley", "Casey", "Quinn", "Rowan", "Harper", "Elliot", "Sasha", "Devon",
         "Marisol", "Tomas", "Priya", "Kenji", "Amara", "Lucia", "Noor", "Imani", "Dmitri", "Hollis", "Wren"]
LAST = ["Fernhill", "Oakridge", "Larkspur", "Whitcombe", "Ashdown", "Brightwater", "Calloway", "Delacroix-Ng",
        "Everly", "Featherstone", "Galloway", "Hawthorne", "Ingleby", "Juniper", "Kestrel", "Lindqvist",
        "Marchetti", "Northcott", "Okonkwo-Reyes", "Pemberton", "Quillfeather", "Rosewood", "Sandoval-Price"]
NAME_A = ["Cedar", "Harbor", "Summit", "Clearwater", "Northstar", "Willow", "Evergreen", "Lighthouse", "Meridian",
          "Bluebird", "Riverbend", "Aspen", "Horizon", "Stillwater", "Juniper", "Sunrise", "Tidewater", "Keystone"]
NAME_B = ["Ketamine Clinic", "Infusion Center", "Ketamine Wellness", "Mood Clinic", "Integrative Psychiatry",
          "Infusion & Recovery", "Ketamine Therapy", "Mental Health Infusions"]
HOME_NAMES = ["Telehealth Ketamine", "At-Home Ketamine Care", "Home Therapy Network", "Virtual Ketamine Clinic"]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Park Blvd", "Cedar Ln", "Elm St", "Lakeview Rd", "Market St",
           "Washington Ave", "Broadway", "Pine St", "Medical Center Dr", "Commerce Pkwy", "Riverside Dr"]
SPECIALTIES = ["Anesthesiology", "Psychiatry", "Emergency Medicine", "Pain Medicine", "Family Medicine",
               "Internal Medicine"]
REVIEW_SNIPPETS = [
    "The staff explained every step before the infusion and checked my blood pressure throughout.",
    "Booking took a while, but the nurse was attentive and the recovery room was quiet and comfortable.",
    "I felt a floating sensation and some dizziness during the session; they had medication ready for nausea.",
    "The free consultation answered my questions about cost and what the first weeks would look like.",
    "Front desk communication could be better; I had to call twice to confirm my appointment time.",
    "The medical director reviewed my history carefully and asked about my current medications first.",
    "They were upfront that insurance would not cover it and gave me a superbill to try anyway.",
    "The integration session afterwards helped me make sense of the experience.",
    "Remote check-ins during my at-home session were reassuring, and a sitter was required, which I appreciated.",
    "Prices were higher than I expected and the package deal was not explained clearly at first.",
]
REJECT_REASONS = ["Contains personal contact details", "Not about a treatment experience",
                  "Appears to be written by the provider"]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def npi_with_check_digit(first_nine: str) -> str:
    digits = [int(c) for c in "80840" + first_nine]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return first_nine + str((10 - total % 10) % 10)


license_counter = 0


def demo_license(state: str) -> str:
    global license_counter
    license_counter += 1
    return f"DEMO-{state}-{license_counter:06d}"


def pick_zip(city: str, state: str) -> dict:
    pool = BY_CITY.get((city.lower(), state)) or BY_STATE[state]
    return rng.choice(pool)


# Real area codes of each state, so demo numbers pass the listing rules (phonenumbers) when an admin edits a demo
# listing; the 555-01XX exchange keeps every number fictional.
AREA_CODES = {
    "AL": (205, 334), "AK": (907,), "AZ": (602, 520), "AR": (501, 479), "CA": (213, 415, 619, 916),
    "CO": (303, 719), "CT": (203, 860), "DE": (302,), "DC": (202,), "FL": (305, 407, 813, 904),
    "GA": (404, 912), "HI": (808,), "ID": (208,), "IL": (312, 217), "IN": (317, 219), "IA": (515, 319),
    "KS": (316, 785), "KY": (502, 859), "LA": (504, 225), "ME": (207,), "MD": (410, 301), "MA": (617, 413),
    "MI": (313, 616), "MN": (612, 218), "MS": (601, 228), "MO": (314, 816), "MT": (406,), "NE": (402, 308),
    "NV": (702, 775), "NH": (603,), "NJ": (201, 609), "NM": (505, 575), "NY": (212, 518, 716),
    "NC": (919, 704), "ND": (701,), "OH": (614, 216), "OK": (405, 918), "OR": (503, 541), "PA": (215, 412),
    "RI": (401,), "SC": (803, 843), "SD": (605,), "TN": (615, 901), "TX": (214, 512, 713, 210), "UT": (801, 435),
    "VT": (802,), "VA": (804, 703), "WA": (206, 509), "WV": (304,), "WI": (414, 608), "WY": (307,),
}


def phone(state: str) -> str:
    # Two draws as before, so the rest of the generated data does not move.
    pick, line = rng.randint(201, 989), rng.randint(0, 99)
    codes = AREA_CODES[state]
    return f"({codes[pick % len(codes)]}) 555-01{line:02d}"


LICENSE_STATUSES = [("verified", 56), ("pending", 9), ("unverified", 14), ("expired", 9), ("revoked", 4),
                    ("rejected", 4), ("verified_expiring", 4)]


def weighted(options):
    total = sum(w for _, w in options)
    r = rng.uniform(0, total)
    for value, w in options:
        r -= w
        if r <= 0:
            return value
    return options[-1][0]


# A prescriber's license must be live (it is what makes the listing legal), so it is drawn from these only.
LIVE_STATUSES = [("verified", 70), ("pending", 10), ("unverified", 14), ("verified_expiring", 6)]
PRESCRIBING = ("MD", "DO", "NP", "PA")
TEAM_ONLY = ("CRNA", "RN", "LCSW")
DEMO_VERIFIER = "Demo verifier (fictional)"
# Verifications stay inside the one-year re-check window: the demo has no contradiction for `data check` to find.
RECHECK_DAYS = 364


def make_license(state: str, credential: str, live: bool = False) -> dict:
    status = weighted(LIVE_STATUSES if live else LICENSE_STATUSES)
    lic = {"credential": credential, "state": state, "license_number": demo_license(state),
           "dea_registration_on_file": credential in ("MD", "DO", "NP", "PA") and rng.random() < 0.8,
           "issued_days_ago": rng.randint(400, 9000)}
    if status == "verified_expiring":
        lic.update(status="verified", expires_in_days=rng.randint(3, 28))
    elif status == "expired":
        lic.update(status="expired", expires_in_days=-rng.randint(5, 300))
    else:
        lic.update(status=status, expires_in_days=rng.randint(60, 900))
    if lic["status"] in ("verified", "revoked", "rejected", "expired"):
        lic["verification_source"] = "demo"
        lic["verified_days_ago"] = rng.randint(2, RECHECK_DAYS)
        lic["evidence_note"] = "Fictional demo record: no board lookup was made."
    return lic


def make_checklist(modes: set[str], free_consultation: bool, clinicians: list[dict], reviews: list[dict]) -> list[dict]:
    """Facts as the record validator accepts them: none derived (licenses, review summary), "from patient reviews"
    only beside published reviews, the free consultation as the listing says, each verification dated and signed."""
    items = []
    has_reviews = any(r["status"] == "approved" and r["email_confirmed"] for r in reviews)

    def add(key, value, in_clinic_only=False, at_home_only=False):
        if in_clinic_only and "in_clinic" not in modes:
            return
        if at_home_only and "at_home" not in modes:
            return
        roll = rng.random()
        if roll < 0.13:
            return  # not provided: the profile must say so
        if key in ("previous_patients_available", "response_time") and roll < 0.45 and has_reviews:
            items.append({"key": key, "value": value, "source": "from_reviews"})
        elif roll < 0.52:
            items.append({"key": key, "value": value, "source": "self_reported"})
        else:
            # Mostly recent checks, some near the end of the re-check window.
            days = rng.randint(1, 300) if rng.random() < 0.8 else rng.randint(301, RECHECK_DAYS)
            items.append({"key": key, "value": value, "source": "admin_verified", "verified_days_ago": days,
                          "verified_by": DEMO_VERIFIER})

    director = next((c for c in clinicians if c.get("is_medical_director")), clinicians[0])
    add("years_offering_ketamine", rng.randint(1, 12))
    add("treatments_given", rng.choice([300, 800, 1500, 4000, 9000, 15000]))
    add("medical_director_specialty", director.get("specialty"))
    add("board_certification", director.get("board_certification"))
    add("npi", f"{director['npi']} (fictional)")
    add("dea_registration", rng.choice(["yes", "yes", "yes", "no"]))
    add("free_consultation", "yes" if free_consultation else "no")
    add("response_time", rng.choice(["Same day", "Within 1 business day", "2–3 business days"]))
    add("previous_patients_available", rng.choice(["yes", "no"]))
    add("physical_exam_screening", rng.choice(["yes"] * 5 + ["no"]), in_clinic_only=True)
    add("vital_sign_monitoring", rng.choice(["yes"] * 8 + ["no"]), in_clinic_only=True)
    add("acls_staff_on_site", rng.choice(["yes"] * 3 + ["no"]), in_clinic_only=True)
    add("monitored_recovery", rng.choice([20, 30, 45, 60]), in_clinic_only=True)
    add("medication_for_discomfort", rng.choice(["yes"] * 4 + ["no"]), in_clinic_only=True)
    add("emergency_protocol", rng.choice(["yes"] * 5 + ["no"]), in_clinic_only=True)
    add("integration_therapy", rng.choice(["yes", "no"]))
    add("remote_monitoring", rng.choice(["yes", "no"]), at_home_only=True)
    add("sitter_required", rng.choice(["yes", "yes", "no"]), at_home_only=True)
    add("medicine_type", rng.choice(["compounded_nasal", "compounded", "compounded"]), at_home_only=True)
    return items


def make_reviews(modes: set[str], routes: list[str], slug: str) -> list[dict]:
    out = []
    for i in range(rng.choice([0, 0, 1, 2, 3, 4, 5, 7])):
        overall = rng.choice([2, 3, 4, 4, 5, 5, 5])
        status = weighted([("approved", 72), ("pending", 18), ("rejected", 10)])
        text = " ".join(rng.sample(REVIEW_SNIPPETS, 2)) + " (Fictional demo review.)"
        mode = rng.choice(sorted(modes))
        rev = {
            "overall_rating": overall,
            "experience_rating": max(1, min(5, overall + rng.choice([-1, 0, 0, 1]))),
            "professionalism_rating": max(1, min(5, overall + rng.choice([-1, 0, 0, 1]))),
            "customer_service_rating": max(1, min(5, overall + rng.choice([-1, 0, 0, 1]))),
            "safety_rating": rng.choice([None, overall]),
            "value_rating": rng.choice([None, max(1, overall - 1)]),
            "text": text,
            "display_name": rng.choice(["Anonymous patient", "A.", "Former patient", "J. from the area"]),
            "contact_email": f"reviewer{i}.{slug}@example.org",
            "route": rng.choice(routes),
            "mode": mode,
            "treatment_months_ago": rng.randint(1, 20),
            "created_days_ago": rng.randint(3, 500),
            "status": status,
            "email_confirmed": rng.random() < 0.85,
        }
        if status == "rejected":
            rev["moderation_reason"] = rng.choice(REJECT_REASONS)
        out.append(rev)
    return out


TITLES = {"MD": "Physician", "DO": "Physician", "NP": "Nurse practitioner", "PA": "Physician assistant",
          "CRNA": "Nurse anesthetist", "RN": "Infusion nurse", "LCSW": "Therapist"}


def make_clinicians(states: list[str]) -> list[dict]:
    """The medical director prescribes (MD, DO, NP or PA) and holds a live license in every state where the
    listing treats; the rest of the team may be nurses or therapists, with licenses in any state."""
    clinicians = []
    for j in range(rng.choice([1, 1, 2, 2, 3])):
        credential = "MD" if j == 0 and rng.random() < 0.7 else rng.choice(PRESCRIBING if j == 0 else
                                                                            PRESCRIBING + TEAM_ONLY)
        specialty = rng.choice(SPECIALTIES)
        clin = {
            "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "credential": credential,
            "title": "Medical director" if j == 0 else TITLES[credential],
            "is_medical_director": j == 0,
            "specialty": specialty if credential in ("MD", "DO") else None,
            "board_certification": f"Board certified in {specialty} (fictional)" if credential in ("MD", "DO") else None,
            "npi": npi_with_check_digit("1" + "".join(str(rng.randint(0, 9)) for _ in range(8))),
            "licenses": [make_license(s, credential, live=True) for s in states] if j == 0 else
                        [make_license(s, credential) for s in states[: rng.choice([1, 1, 2])]],
        }
        clinicians.append(clin)
    return clinicians


def make_provider(n: int, city: str, state: str, at_home_only: bool = False) -> dict:
    modes = {"at_home"} if at_home_only else ({"in_clinic", "at_home"} if rng.random() < 0.12 else {"in_clinic"})
    if at_home_only:
        name = f"{rng.choice(NAME_A)} {rng.choice(HOME_NAMES)}"
    else:
        name = f"{rng.choice(NAME_A)} {rng.choice(NAME_B)} of {city}"
    slug = f"{slugify(name)}-{n:04d}"
    routes = set()
    if "in_clinic" in modes:
        routes.add("iv")
        routes.update(r for r in ("im", "nasal") if rng.random() < 0.4)
    if "at_home" in modes:
        routes.add("oral")
    conditions = {"depression"} | {c for c in ("anxiety", "anxiety_disorder", "ocd", "ptsd", "chronic_pain", "kap")
                                   if rng.random() < 0.45}
    base = rng.choice([350, 400, 450, 500, 550, 600, 650, 700]) if "in_clinic" in modes else rng.choice([150, 200, 250, 300])
    price_max = base + rng.choice([0, 50, 100, 150, 250])
    served = sorted({state} | set(rng.sample(ALL_STATES, rng.randint(2, 14)))) if "at_home" in modes else []
    clinicians = make_clinicians(sorted(set(served) | ({state} if "in_clinic" in modes else set())))
    free = rng.random() < 0.65
    p = {
        "slug": slug,
        "name": name,
        "description": (f"{name} is a fictional demo listing. "
                        + ("It offers ketamine treatment in a clinic setting with monitoring before, during and after "
                           "each session." if "in_clinic" in modes else "")
                        + (" It also prescribes ketamine for supervised at-home sessions in the states listed."
                           if "at_home" in modes else "")).strip(),
        "website": f"https://{slug}.example",
        "phone": phone(state),
        "email": f"hello@{slug}.example",
        "modes": sorted(modes),
        "routes": sorted(routes),
        "conditions": sorted(conditions),
        "price_min_usd": base,
        "price_max_usd": price_max,
        "package_pricing_note": rng.choice([None, "Series of six infusions offered as a package.",
                                             "Discount for a pre-paid series of six."]),
        "insurance_accepted": rng.random() < 0.05,
        "superbill_offered": rng.random() < 0.5,
        "free_consultation": free,
        "session_length_minutes": rng.choice([90, 120, 150, 180]) if "in_clinic" in modes else None,
        "listing_status": weighted([("published", 93), ("pending", 4), ("suspended", 2), ("closed", 1)]),
        "created_days_ago": rng.randint(30, 900),
        "states_served": served,
        "clinicians": clinicians,
        "locations": [],
    }
    if "in_clinic" in modes:
        for k in range(1 if rng.random() < 0.85 else 2):
            z = pick_zip(city, state)
            p["locations"].append({
                "label": None if k == 0 else "Second office",
                "address_line1": f"{rng.randint(10, 9800)} {rng.choice(STREETS)}",
                "address_line2": rng.choice([None, None, f"Suite {rng.randint(100, 450)}"]),
                "city": z["city"], "state": z["state"], "zip_code": z["zip_code"],
                # Scatter within the ZIP so markers do not stack on the centroid.
                "lat": round(float(z["lat"]) + rng.uniform(-0.01, 0.01), 6),
                "lon": round(float(z["long"]) + rng.uniform(-0.01, 0.01), 6),
                "accepting_new_patients": rng.random() < 0.85,
            })
    p["reviews"] = make_reviews(modes, sorted(routes), slug)
    p["checklist"] = make_checklist(modes, free, clinicians, p["reviews"])
    return p


def main() -> None:
    providers = []
    n = 0
    # Every state and DC gets two providers in a random ZIP (the sparse, rural end).
    for state in ALL_STATES:
        for _ in range(2):
            n += 1
            z = rng.choice(BY_STATE[state])
            providers.append(make_provider(n, z["city"].title(), state))
    # Then the metros, weighted by population.
    weights = [w for _, _, w in METROS]
    for _ in range(240):
        city, state, _w = rng.choices(METROS, weights=weights)[0]
        n += 1
        providers.append(make_provider(n, city, state))
    # Few at-home-only providers, as the guide says.
    for _ in range(30):
        n += 1
        state = rng.choice(ALL_STATES)
        providers.append(make_provider(n, "", state, at_home_only=True))
    doc = {"format": "clinic_finder-seed/1", "fictional": True,
           "note": "Fictional demo data. Generated by scripts/generate_demo_seed.py; do not edit by hand.",
           "providers": providers}
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(providers)} providers to {OUT.name}")


if __name__ == "__main__":
    main()
