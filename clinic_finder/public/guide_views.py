"""The patient guide, the self-assessment and consultation requests.

Self-assessment answers are never stored or logged: the result is rendered from the POSTed form. They are kept
(in the signed session cookie, in this browser only) only when the person asks to send them with a consultation
request, and dropped as soon as a request is sent or the person asks us to forget them.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, session, url_for

from clinic_finder.extensions import limiter
from clinic_finder.guide import assessment, consultations
from clinic_finder.inputs.problems import InvalidInput
from clinic_finder.inputs.web import reads_query
from clinic_finder.public import bp
from clinic_finder.public.assessment_forms import AssessmentForm, ForgetAnswersForm, KeepAnswersForm
from clinic_finder.public.consultation_forms import ConsultationForm

SESSION_KEY = "assessment_answers"


@bp.route("/guide")
@reads_query()
def guide():
    return render_template("public/guide.html")


@bp.route("/assessment", methods=["GET", "POST"], endpoint="assessment")
@reads_query()
def assessment_page():
    form = AssessmentForm()
    if not form.validate_on_submit():
        crisis = form.is_submitted() and assessment.partial_answers_suggest_self_harm(
            form.self_harm.data, form.medications.data)
        return render_template("public/assessment.html", form=form, crisis=crisis)
    answers = form.answers()
    result = assessment.evaluate(answers)
    keep_form = KeepAnswersForm(answers=assessment.sign_answers(answers, current_app.secret_key))
    return render_template("public/assessment_result.html", result=result, answers=answers, keep_form=keep_form)


@bp.route("/assessment/keep", methods=["POST"])
def keep_assessment():
    form = KeepAnswersForm()
    answers = None
    if form.validate_on_submit():
        answers = assessment.load_signed_answers(form.answers.data or "", current_app.secret_key)
    if answers is None:
        flash("We could not keep those answers. Please take the assessment again.", "error")
        return redirect(url_for("public.assessment"))
    session[SESSION_KEY] = form.answers.data
    flash("Your answers are kept in this browser only. Choose a provider and request a free consultation: you "
          "decide there whether to send them.", "success")
    first = assessment.provider_searches(answers)[0]
    return redirect(url_for("public.search", **first.params))


@bp.route("/assessment/forget", methods=["POST"])
def forget_assessment():
    if ForgetAnswersForm().validate_on_submit():
        session.pop(SESSION_KEY, None)
        flash("Your self-assessment answers have been forgotten.", "success")
    return redirect(url_for("public.assessment"))


def _kept_answers() -> assessment.Answers | None:
    token = session.get(SESSION_KEY)
    if not token:
        return None
    answers = assessment.load_signed_answers(token, current_app.secret_key)
    if answers is None:
        session.pop(SESSION_KEY, None)
    return answers


def _consultation_limit() -> str:
    return current_app.config.get("CONSULTATION_RATE_LIMIT") or "10 per hour"


@bp.route("/providers/<id:provider_id>/consultation", methods=["GET", "POST"])
@reads_query()
@limiter.limit(_consultation_limit, methods=["POST"])
def consultation_request(provider_id: int):
    provider = consultations.provider_for_request(provider_id)
    if provider is None:
        abort(404)
    answers = _kept_answers()
    form = ConsultationForm()
    if form.validate_on_submit():
        try:
            consultations.create_request(provider, form.to_input(answers), current_app.config["ADMIN_EMAIL"])
        except InvalidInput as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            session.pop(SESSION_KEY, None)
            return redirect(url_for("public.consultation_sent", provider_id=provider.id))
    forget_form = ForgetAnswersForm() if answers else None
    return render_template("public/consultation.html", provider=provider, form=form, answers=answers,
                           forget_form=forget_form)


@bp.route("/providers/<id:provider_id>/consultation/sent")
@reads_query()
def consultation_sent(provider_id: int):
    provider = consultations.provider_for_request(provider_id)
    if provider is None:
        abort(404)
    return render_template("public/consultation_sent.html", provider=provider)
