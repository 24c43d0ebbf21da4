"""The shipped ZIP file (clinic_finder/geo/zip_data.py): the installed `zipcodes` package's data, and all the
geocoder needs, without the package's own memory."""
from __future__ import annotations

import json
import subprocess
import sys

from clinic_finder.geo.geocoding import us_data
from clinic_finder.geo.zip_data import rows_from_package, shipped_rows


def test_the_shipped_file_is_what_the_installed_zipcodes_package_holds():
    # When this fails after an upgrade of zipcodes: `python -m clinic_finder.geo.zip_data` and commit the file.
    assert list(shipped_rows()) == list(rows_from_package())


def test_the_index_carries_what_the_package_says_about_a_zip_code():
    new_york = us_data().by_zip["10001"]
    assert (new_york.city, new_york.state, new_york.kind, new_york.lat, new_york.lon) == \
        ("New York", "NY", "STANDARD", 40.7484, -73.9967)
    assert us_data().by_zip["00501"].kind == "UNIQUE"  # the IRS in Holtsville: valid, but never a point's name
    assert "09001" not in us_data().by_zip  # military (APO) ZIPs have no place on a map
    assert any(z.other_cities for z in us_data().by_zip.values())


def test_building_the_index_neither_loads_zipcodes_nor_takes_the_memory_it_did():
    # In a fresh process, so the measure is the index's alone: 190 MB through the package's dicts, about 40 now.
    script = """
import json, sys
def rss_mb():
    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2 ** 20
from clinic_finder.geo.geocoding import us_data
before = rss_mb()
us_data()
print(json.dumps({"grew_mb": rss_mb() - before, "zipcodes": any(m.startswith("zipcodes") for m in sys.modules)}))
"""
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    assert measured["zipcodes"] is False
    assert measured["grew_mb"] < 80, measured
