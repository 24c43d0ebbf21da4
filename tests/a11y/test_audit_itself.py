"""The audit can fail: on a page with the faults this project once had, it reports each of them."""
from __future__ import annotations

import pytest

from .audit import AuditLog

pytestmark = pytest.mark.browser


def test_the_audit_reports_the_faults_it_exists_to_catch(live_server, page):
    page.goto(live_server + "/guide")
    # Styles are set through the DOM: the CSP (rightly) ignores style attributes in markup.
    page.evaluate("""() => {
      const main = document.querySelector('main');
      main.insertAdjacentHTML('afterbegin', '<label for="q">Place</label><input id="q" aria-invalid="None">' +
        '<div id="tiny"><button>x</button><button>y</button></div><div id="wide">wide</div>');
      document.getElementById('tiny').style.display = 'flex';
      for (const b of document.querySelectorAll('#tiny button')) Object.assign(b.style, {width: '12px', height: '12px', padding: '0'});
      document.getElementById('wide').style.width = '900px';
      document.body.insertAdjacentHTML('afterbegin', '<div class="demo-banner">outside every landmark</div>');
    }""")
    log = AuditLog("self-test")
    found = log.check(page, "guide with faults")
    ids = {v["id"] for v in found.violations}
    assert {"aria-valid-attr-value", "target-size", "region"} <= ids
    assert found.scrolls_sideways
    with pytest.raises(AssertionError, match="aria-valid-attr-value"):
        log.assert_clean()
