"""Every demo provider's profile, correction form and report form render (the seed exercises odd combinations)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from clinic_finder.models import ListingStatus, Provider


@pytest.mark.slow
def test_every_demo_profile_renders(runner, client, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    ids = db.session.scalars(sa.select(Provider.id).where(Provider.listing_status == ListingStatus.PUBLISHED)
                             .order_by(Provider.id)).all()
    assert ids
    for provider_id in ids:
        response = client.get(f"/providers/{provider_id}")
        assert response.status_code == 200, provider_id
        assert "checks verified" in response.get_data(as_text=True)
    for provider_id in ids[:5]:
        assert client.get(f"/providers/{provider_id}/correction").status_code == 200
        assert client.get(f"/providers/{provider_id}/report").status_code == 200
    assert client.get("/compare?ids=" + ",".join(str(i) for i in ids[:4])).status_code == 200
