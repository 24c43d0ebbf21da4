"""`flask import nppes FILE`: placeholder until the NPPES reader lands."""
