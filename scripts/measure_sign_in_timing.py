"""Compare how long a refused sign-in takes for an unknown email and for a known one with a wrong password.

Both should cost one scrypt hash, so their times should be close: timing must not tell an attacker which staff
emails exist. Runs on a throwaway in-memory SQLite database:

    python scripts/measure_sign_in_timing.py --rounds 40
"""
from __future__ import annotations

import argparse
import logging
import statistics
import time

from clinic_finder import create_app
from clinic_finder.config import TestConfig
from clinic_finder.extensions import db
from clinic_finder.models import Role
from clinic_finder.staff import accounts as staff_accounts


def _time(email: str, password: str, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        staff_accounts.authenticate(email, password)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()

    class Memory(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(Memory)
    logging.getLogger("clinic_finder.staff.accounts").setLevel(logging.ERROR)  # one warning per refusal otherwise
    with app.app_context():
        db.create_all()
        user = staff_accounts.create_staff("timing@example.org", "violet lantern orbit 42", Role.ADMIN)
        staff_accounts.authenticate("nobody@example.org", "warm-up")  # computes the dummy hash once
        unknown, wrong = [], []
        for _ in range(args.rounds):  # interleaved, so drift in machine load hits both alike
            unknown += _time("nobody@example.org", "a wrong password", 1)
            user.failed_logins, user.locked_until = 0, None  # measure the check, not the lockout
            wrong += _time("timing@example.org", "a wrong password", 1)
        for label, values in (("unknown email", unknown), ("wrong password", wrong)):
            print(f"{label:15} median {statistics.median(values):7.1f} ms   "
                  f"p90 {statistics.quantiles(values, n=10)[-1]:7.1f} ms   (n={len(values)})")
        ratio = statistics.median(wrong) / statistics.median(unknown)
        print(f"ratio wrong/unknown: {ratio:.2f}")


if __name__ == "__main__":
    main()
