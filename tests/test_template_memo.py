"""Markup rendered once per process ({% memo %}, templating.MemoExtension) and URLs built once a page (id_urls): the
page must read exactly as if each were rendered every time."""
from __future__ import annotations

import pytest
from flask import url_for

from clinic_finder.security import public_url
from clinic_finder.templating import id_urls


@pytest.fixture
def memo_env(app):
    env = app.jinja_env.overlay()
    env.memo_fragments = {}
    renders = []
    env.globals["rendered"] = lambda value: renders.append(value) or value
    return env, renders


def test_a_memo_block_renders_once_per_key(memo_env):
    env, renders = memo_env
    template = env.from_string('{% memo "greeting", name %}Hello {{ rendered(name) }}{% endmemo %}')
    assert [template.render(name=n) for n in ("Ana", "Ana", "Bo", "Ana")] == ["Hello Ana", "Hello Ana", "Hello Bo",
                                                                               "Hello Ana"]
    assert renders == ["Ana", "Bo"]


def test_memo_blocks_of_different_names_do_not_share_keys(memo_env):
    env, _ = memo_env
    first = env.from_string('{% memo "a", 1 %}first{% endmemo %}')
    second = env.from_string('{% memo "b", 1 %}second{% endmemo %}')
    assert (first.render(), second.render()) == ("first", "second")


def test_memo_output_stays_escaped_markup(memo_env):
    env, _ = memo_env
    template = env.from_string('{% memo "text", value %}<b>{{ value }}</b>{% endmemo %}')
    assert template.render(value="<script>") == "<b>&lt;script&gt;</b>"
    assert template.render(value="<script>") == "<b>&lt;script&gt;</b>"


def test_a_full_memo_starts_again_rather_than_growing(memo_env):
    env, renders = memo_env
    template = env.from_string('{% memo "n", n %}{{ rendered(n) }}{% endmemo %}')
    size = type(env.extensions["clinic_finder.templating.MemoExtension"]).MEMO_SIZE
    for n in range(size + 5):
        assert template.render(n=n) == str(n)
    assert len(env.memo_fragments) <= size
    assert template.render(n=size + 4) == str(size + 4)


def test_memo_is_off_while_templates_reload(memo_env):
    env, renders = memo_env
    env.auto_reload = True  # what debug mode (or TEMPLATES_AUTO_RELOAD) sets: template edits show at once
    template = env.from_string('{% memo "x", 1 %}{{ rendered("x") }}{% endmemo %}')
    template.render()
    template.render()
    assert renders == ["x", "x"]


def test_id_urls_are_the_urls_url_for_builds(app):
    with app.test_request_context("/search"):
        profile_url = id_urls("public.provider_profile", "provider_id")
        public_profile_url = id_urls("public.provider_profile", "provider_id", build=public_url)
        for provider_id in (1, 42, 2_000_000_000):
            assert profile_url(provider_id) == url_for("public.provider_profile", provider_id=provider_id)
            assert public_profile_url(provider_id) == public_url("public.provider_profile", provider_id=provider_id)


def test_id_urls_fall_back_to_url_for_when_the_id_is_not_the_last_segment(app):
    with app.test_request_context("/"):
        review_url = id_urls("public.provider_profile", "page", build=lambda endpoint, **values: url_for(
            endpoint, provider_id=7, **values))
        assert review_url(3) == url_for("public.provider_profile", provider_id=7, page=3)


def test_the_page_frame_is_built_once_and_follows_the_site_name(app, client, monkeypatch):
    """base.html's fixed frame (icons, the site's links, the footer) is memoized: a second page builds none of its
    URLs again, and a change of the site's name still shows."""
    builds = []
    real = app.jinja_env.globals["url_for"]
    monkeypatch.setitem(app.jinja_env.globals, "url_for", lambda *a, **kw: builds.append(a[0]) or real(*a, **kw))
    monkeypatch.setattr(app.jinja_env, "memo_fragments", {})
    first = client.get("/privacy").get_data(as_text=True)
    first_builds = len(builds)
    second = client.get("/privacy").get_data(as_text=True)
    assert second == first
    assert first_builds - (len(builds) - first_builds) >= 10  # the frame's dozen URLs were built the first time only
    monkeypatch.setitem(app.config, "SITE_NAME", "Ketamine Care Finder")
    renamed = client.get("/privacy").get_data(as_text=True)
    assert "> Ketamine Care Finder</a>" in renamed and 'content="Ketamine Care Finder logo' in renamed
