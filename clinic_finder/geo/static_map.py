"""A small map of a clinic drawn on the server: a few map tiles and a pin in an SVG, no JavaScript needed.

Tiles come from MAP_TILE_URL when it is set (the CSP already allows that origin for images); without it the page
shows a link to OpenStreetMap instead.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

TILE_SIZE = 256
ZOOM = 15
WIDTH, HEIGHT = 320, 200


@dataclass(frozen=True)
class Tile:
    url: str
    x: int  # pixel position in the SVG's coordinate space
    y: int


@dataclass(frozen=True)
class StaticMap:
    view_box: str
    pin_x: float
    pin_y: float
    tiles: tuple[Tile, ...]
    width: int = WIDTH
    height: int = HEIGHT


def _pixel(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web-Mercator pixel coordinates of a point at a zoom level (the slippy-map tile scheme)."""
    n = TILE_SIZE * 2**zoom
    lat = max(min(lat, 85.0511), -85.0511)
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tile_url(template: str, z: int, x: int, y: int) -> str:
    return (template.replace("{s}", "a").replace("{r}", "")
            .replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y)))


def static_map(lat: float, lon: float, tile_template: str, zoom: int = ZOOM) -> StaticMap | None:
    """The tiles covering a WIDTH×HEIGHT window centred on the point, or None without a tile server."""
    if not tile_template:
        return None
    px, py = _pixel(lat, lon, zoom)
    left, top = px - WIDTH / 2, py - HEIGHT / 2
    limit = 2**zoom - 1
    tiles = []
    for ty in range(int(top // TILE_SIZE), int((top + HEIGHT) // TILE_SIZE) + 1):
        for tx in range(int(left // TILE_SIZE), int((left + WIDTH) // TILE_SIZE) + 1):
            if 0 <= tx <= limit and 0 <= ty <= limit:
                tiles.append(Tile(tile_url(tile_template, zoom, tx, ty), tx * TILE_SIZE, ty * TILE_SIZE))
    return StaticMap(f"{left:.1f} {top:.1f} {WIDTH} {HEIGHT}", round(px, 1), round(py, 1), tuple(tiles))


def openstreetmap_url(lat: float, lon: float) -> str:
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=16/{lat:.5f}/{lon:.5f}"
