"""Build step that puts the migrations and the demo data inside the built package.

The repository keeps migrations/ and seed_data/ at its top level (the layout is part of the design), but an
installed copy has no top level. Package data (setup.cfg, MANIFEST.in) only ships files that already sit inside a
package's folder, so build_py copies the two folders into the build as clinic_finder/migrations and
clinic_finder/seed_data, where clinic_finder.resources looks first. Everything else about the build is declared
in setup.cfg; MANIFEST.in puts both folders in the sdist so a wheel built from it gets them too.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
FOLDERS_INSIDE_THE_PACKAGE = ("migrations", "seed_data")


class BuildPyWithResources(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install runs from the checkout, where clinic_finder.resources finds them
        for name in FOLDERS_INSIDE_THE_PACKAGE:
            target = Path(self.build_lib) / "clinic_finder" / name
            # Start clean: a migration deleted from the repository must not survive in a reused build/ folder.
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"))


setup(cmdclass={"build_py": BuildPyWithResources})
