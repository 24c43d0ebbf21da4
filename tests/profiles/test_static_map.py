"""The server-drawn clinic map: the pin sits in the middle of the tiles that cover the window."""
from __future__ import annotations

from clinic_finder.geo import static_map


def test_pin_is_centred_and_tiles_cover_the_window():
    m = static_map.static_map(40.7484, -73.9967, "https://{s}.tiles.example/{z}/{x}/{y}.png")
    left, top, width, height = (float(v) for v in m.view_box.split())
    assert abs(m.pin_x - (left + width / 2)) < 0.2 and abs(m.pin_y - (top + height / 2)) < 0.2
    assert all(t.url.startswith("https://a.tiles.example/15/") for t in m.tiles)
    xs = sorted({t.x for t in m.tiles})
    ys = sorted({t.y for t in m.tiles})
    assert xs[0] <= left and xs[-1] + 256 >= left + width
    assert ys[0] <= top and ys[-1] + 256 >= top + height


def test_pixels_follow_the_slippy_map_scheme():
    # At zoom 1 the world is four 256-pixel tiles: New York is in the north-west one, Sydney in the south-east.
    ny_x, ny_y = static_map._pixel(40.7484, -73.9967, 1)
    sydney_x, sydney_y = static_map._pixel(-33.8688, 151.2093, 1)
    assert ny_x < 256 and ny_y < 256
    assert sydney_x > 256 and sydney_y > 256
    assert static_map._pixel(0, 0, 0) == (128.0, 128.0)


def test_no_tile_server_means_no_map():
    assert static_map.static_map(40.7, -74.0, "") is None
    assert static_map.openstreetmap_url(40.7, -74.0).startswith("https://www.openstreetmap.org/?mlat=40.70000")


def test_staff_see_an_edit_link_patients_do_not(client, make_provider, make_user, login_as):
    p = make_provider()
    assert "Edit this listing" not in client.get(f"/providers/{p.id}").get_data(as_text=True)
    login_as(make_user())
    assert f'href="/admin/providers/{p.id}/edit"' in client.get(f"/providers/{p.id}").get_data(as_text=True)
