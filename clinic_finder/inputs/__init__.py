"""The input kit: one parser for each kind of value a person or a file sends (text, email, phone, ZIP, whole numbers,
page numbers, record ids), the one field-problem type they report with, and the shared WTForms helpers.

Every form, API parameter and import row goes through these, so a rule is written once and cannot drift.
"""
