"""License work for admins: the queues, one license's verification page, and its evidence file."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from clinic_finder.admin import bp
from clinic_finder.admin.access import admin_required
from clinic_finder.admin.license_forms import VerificationForm
from clinic_finder.inputs.web import page_arg, reads_query
from clinic_finder.licensing import boards as license_boards
from clinic_finder.licensing import evidence_files
from clinic_finder.licensing import queue as license_queue
from clinic_finder.licensing.verification import Upload, VerificationInput, VerificationRefused, record_verification
from clinic_finder.models import LicenseStatus, VerificationSource


def _get_license_or_404(license_id: int):
    lic = license_queue.get_license(license_id)
    if lic is None:
        abort(404)
    return lic


@bp.route("/licenses")
@reads_query("queue", "page")
@admin_required
def licenses():
    key = request.args.get("queue", "to_verify")
    if key not in license_queue.BY_KEY:
        abort(404)
    today = datetime.now(UTC).date()
    page = license_queue.list_queue(key, page_arg(), current_app.config["PER_PAGE_DEFAULT"], today)
    if page.past_the_end:
        abort(404)
    return render_template("admin/licenses/list.html", page=page, queue=license_queue.BY_KEY[key],
                           queues=license_queue.QUEUES, counts=license_queue.counts(today), today=today)


@bp.route("/licenses/<id:license_id>", methods=["GET", "POST"])
@reads_query()
@admin_required
def license_verification(license_id: int):
    lic = _get_license_or_404(license_id)
    form = VerificationForm(data=_initial(lic)) if request.method == "GET" else VerificationForm()
    status = 200
    if form.validate_on_submit():
        upload = form.evidence.data
        data = VerificationInput(
            outcome=LicenseStatus(form.outcome.data), source=VerificationSource(form.source.data),
            checked_on=form.checked_on.data, license_number=form.license_number.data,
            issued_on=form.issued_on.data, expires_on=form.expires_on.data,
            evidence_note=form.evidence_note.data, npi=form.npi.data,
            evidence=Upload(upload.stream, upload.filename or "", upload.mimetype)
            if isinstance(upload, FileStorage) and upload.filename else None,
        )
        try:
            record_verification(lic, data, current_user._get_current_object(), _evidence_folder(),
                                current_app.config["EVIDENCE_MAX_BYTES"], ip_address=request.remote_addr)
        except VerificationRefused as exc:
            current_app.logger.info("License %s verification refused: %s", lic.id, exc.message)
            getattr(form, exc.field).errors.append(exc.message)
            status = 422
        else:
            flash(f"License {lic.license_number} recorded as {lic.status.label.lower()}.", "success")
            return redirect(url_for("admin.license_verification", license_id=lic.id))
    elif request.method == "POST":
        status = 422
    return render_template("admin/licenses/verify.html", lic=lic, form=form,
                           links=license_boards.lookup_links(lic, lic.clinician.npi),
                           demo_number=license_boards.is_demo_number(lic.license_number)), status


@bp.route("/licenses/<id:license_id>/evidence")
@reads_query()
@admin_required
def license_evidence(license_id: int):
    lic = _get_license_or_404(license_id)
    if not evidence_files.is_stored_name(lic.evidence_file):
        abort(404)
    response = send_from_directory(_evidence_folder(), lic.evidence_file, mimetype=lic.evidence_mime,
                                   download_name=f"license-{lic.id}-evidence{lic.evidence_file[-4:]}")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _initial(lic) -> dict:
    """The form as first shown: the license's current facts, checked today, at the state board."""
    source = lic.verification_source
    if source is None or source == VerificationSource.DEMO:
        source = VerificationSource.STATE_BOARD
    return {"license_number": lic.license_number, "npi": lic.clinician.npi, "issued_on": lic.issued_on,
            "expires_on": lic.expires_on, "checked_on": datetime.now(UTC).date(), "source": source.value}


def _evidence_folder():
    return evidence_files.folder_for(current_app.config, current_app.instance_path)
