"""The audit trail for admins: read-only, filterable, paginated. There is no route that edits or deletes."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from clinic_finder.admin import bp
from clinic_finder.admin.access import admin_required
from clinic_finder.inputs.forms import choices, date_in_range, record_id_field
from clinic_finder.inputs.web import page_arg, reads_query
from clinic_finder.staff import audit_search


class AuditFilterForm(FlaskForm):
    """A GET search form: no CSRF token, it changes nothing."""

    class Meta:
        csrf = False

    actor = StringField("Who (email or “system”)", validators=[Optional(), Length(max=254)])
    action = SelectField("Action", validators=[Optional()])
    target_type = SelectField("Record type", validators=[Optional()])
    target_id = record_id_field("Record number", validators=[Optional()])
    date_from = DateField("From (UTC)", validators=[Optional(), date_in_range()])
    date_to = DateField("To (UTC)", validators=[Optional(), date_in_range()])

    def validate_actor(self, field):
        if field.data and any(ord(c) < 32 or ord(c) == 127 for c in field.data):
            raise ValidationError("Please enter an email address or “system”.")

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end date cannot be before the start date.")


@bp.route("/audit")
@reads_query("actor", "action", "target_type", "target_id", "date_from", "date_to", "page")
@admin_required
def audit():
    form = AuditFilterForm(request.args)
    known = audit_search.known_values()
    for name in ("action", "target_type"):
        field = getattr(form, name)
        field.choices = choices([("", "Any")] + [(v, v) for v in known[name]])
    if not form.validate():
        return render_template("admin/audit/list.html", form=form, page=None, changes=audit_search.changes), 400
    selected = audit_search.AuditFilter(
        actor=(form.actor.data or "").strip() or None, action=form.action.data or None, target_type=form.target_type.data or None,
        target_id=form.target_id.data, date_from=form.date_from.data, date_to=form.date_to.data,
    )
    page = audit_search.list_events(selected, page_arg(), current_app.config["PER_PAGE_DEFAULT"])
    if page.past_the_end:
        abort(404)
    return render_template("admin/audit/list.html", form=form, page=page, params=selected.as_params(),
                           changes=audit_search.changes)
