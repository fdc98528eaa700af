#!/usr/bin/env python3
"""Generate flat SVG product illustrations for the Storefront demo catalog.

Reads ``catalog/products.json`` and writes one 400x300 SVG per product to
``static/products/<image>``.  Every picture is drawn from basic shapes: a soft
background colour picked by category, a light halo and ground shadow, and a
simple illustration of the product kind coloured with a palette derived
deterministically from the product id.  Only the standard library is used, so
the script can run anywhere the repo is checked out.

Usage:  python tools/make_product_images.py [--catalog PATH] [--out DIR]
"""

import argparse
import colorsys
import hashlib
import json
import math
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 400, 300
FONT = "DejaVu Sans, sans-serif"

# Soft backgrounds keep every category recognisable at a glance in a grid.
CATEGORY_BACKGROUNDS = {
    "Electronics": "#e4ecf8",
    "Home & Kitchen": "#f9efe2",
    "Books": "#efe9f7",
    "Fashion": "#f9e7ec",
    "Sports & Outdoors": "#e3f2e7",
}
DEFAULT_BACKGROUND = "#eef0f2"

# Fixed material colours for things whose real colour is not "brand" colour
# (steel, wood, cast iron, denim...); the id palette supplies the accents.
INK = "#2f3440"
STEEL = "#c3cad3"
STEEL_DARK = "#8e97a3"
WOOD = "#c98f58"
WOOD_DARK = "#a66f3d"
IRON = "#3b3e45"
PAPER = "#fbf7ee"
DENIM = "#4d6d9a"
DENIM_DARK = "#3a5478"
WHITE = "#ffffff"

# Product id -> drawing kind.  Ids not listed fall back to a per-category
# default so a newly added product still gets a sensible picture.
KIND_BY_ID = {
    "aurora-wireless-headphones": "headphones",
    "lumen-smart-speaker": "speaker",
    "pebblecell-power-bank": "powerbank",
    "kestrel-mechanical-keyboard": "keyboard",
    "nimbus-pulse-fitness-band": "fitness_band",
    "tidal-mini-earbuds": "earbuds",
    "aurora-kettle": "kettle",
    "saffron-glaze-mug-set": "mugs",
    "cedarline-chopping-board": "chopping_board",
    "monsoon-table-lamp": "lamp",
    "harbor-cast-iron-skillet": "skillet",
    "willow-woven-cushion": "cushion",
    "the-lantern-cartographer": "book",
    "the-quiet-kitchen-garden": "book",
    "numbers-by-starlight": "book",
    "salt-and-circuitry": "book",
    "the-river-of-small-hours": "book",
    "pottery-for-weekends": "book",
    "meridian-cotton-tee": "tshirt",
    "driftwalk-canvas-sneakers": "sneaker",
    "ember-ribbed-beanie": "beanie",
    "atlas-denim-jacket": "jacket",
    "solstice-round-sunglasses": "sunglasses",
    "tanner-slim-wallet": "wallet",
    "summit-trail-backpack": "backpack",
    "lotus-grip-yoga-mat": "yoga_mat",
    "ridgeline-water-bottle": "bottle",
    "comet-skipping-rope": "skipping_rope",
    "pinecone-camping-lantern": "lantern",
    "volley-training-football": "football",
}
CATEGORY_DEFAULT_KIND = {
    "Books": "book",
    "Fashion": "tshirt",
    "Sports & Outdoors": "bottle",
}
FALLBACK_KIND = "parcel"


# --------------------------------------------------------------------------
# Colour helpers
# --------------------------------------------------------------------------

def hls_hex(h, lightness, s):
    """Convert hue/lightness/saturation (0..1) to a #rrggbb string."""
    r, g, b = colorsys.hls_to_rgb(h % 1.0, lightness, s)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def palette_for(product_id):
    """Return a deterministic colour palette for a product id."""
    # sha256 rather than hash(): Python's str hash is salted per process,
    # and the images must not change between runs.
    digest = hashlib.sha256(product_id.encode("utf-8")).digest()
    hue = digest[0] / 256.0
    sat = 0.48 + (digest[1] / 255.0) * 0.17
    # The accent sits roughly opposite on the wheel, nudged so it is not
    # always an exact complement (which looks mechanical across a grid).
    accent_hue = hue + 0.42 + (digest[2] / 255.0) * 0.16
    return {
        "main": hls_hex(hue, 0.55, sat),
        "dark": hls_hex(hue, 0.36, sat),
        "light": hls_hex(hue, 0.82, sat),
        "accent": hls_hex(accent_hue, 0.60, 0.70),
        "accent_light": hls_hex(accent_hue, 0.84, 0.70),
    }


# --------------------------------------------------------------------------
# Tiny SVG element helpers (return strings)
# --------------------------------------------------------------------------

def _attrs(extra):
    """Render keyword attributes, mapping snake_case to SVG's kebab-case."""
    return "".join(
        ' {}="{}"'.format(key.rstrip("_").replace("_", "-"), value)
        for key, value in extra.items()
        if value is not None
    )


def rect(x, y, w, h, fill, rx=0, **extra):
    """Return an SVG <rect>."""
    return f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{rx:g}" fill="{fill}"{_attrs(extra)}/>'


def circle(cx, cy, r, fill, **extra):
    """Return an SVG <circle>."""
    return f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{fill}"{_attrs(extra)}/>'


def ellipse(cx, cy, rx, ry, fill, **extra):
    """Return an SVG <ellipse>."""
    return f'<ellipse cx="{cx:g}" cy="{cy:g}" rx="{rx:g}" ry="{ry:g}" fill="{fill}"{_attrs(extra)}/>'


def path(d, fill="none", **extra):
    """Return an SVG <path>."""
    return f'<path d="{d}" fill="{fill}"{_attrs(extra)}/>'


def line(x1, y1, x2, y2, stroke, width=2, **extra):
    """Return an SVG <line> with round caps."""
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{stroke}" stroke-width="{width:g}" '
            f'stroke-linecap="round"{_attrs(extra)}/>')


def polygon(points, fill, **extra):
    """Return an SVG <polygon> from a list of (x, y) pairs."""
    pts = " ".join(f"{round(x, 2):g},{round(y, 2):g}" for x, y in points)
    return f'<polygon points="{pts}" fill="{fill}"{_attrs(extra)}/>'


def regular_polygon(cx, cy, r, sides, rotation=-90):
    """Return the vertices of a regular polygon (rotation in degrees)."""
    return [
        (cx + r * math.cos(math.radians(rotation + i * 360 / sides)),
         cy + r * math.sin(math.radians(rotation + i * 360 / sides)))
        for i in range(sides)
    ]


def shadow(cx=200, cy=258, rx=110, ry=11):
    """Return the soft ground shadow that anchors an object to the floor."""
    return ellipse(cx, cy, rx, ry, "#000000", opacity="0.08")


# --------------------------------------------------------------------------
# Drawing functions: each takes (product, palette) and returns SVG strings
# --------------------------------------------------------------------------

def draw_headphones(product, pal):
    """Over-ear headphones seen from the front."""
    return [
        shadow(rx=100),
        # Band drawn as a thick stroked arc so its ends tuck into the cups.
        path("M118 175 A82 92 0 0 1 282 175", stroke=pal["dark"], stroke_width=18,
             stroke_linecap="round"),
        path("M126 170 A74 84 0 0 1 274 170", stroke=pal["main"], stroke_width=6,
             stroke_linecap="round"),
        rect(92, 150, 46, 92, pal["dark"], rx=20),
        rect(262, 150, 46, 92, pal["dark"], rx=20),
        rect(126, 160, 22, 72, pal["light"], rx=10),
        rect(252, 160, 22, 72, pal["light"], rx=10),
        circle(115, 196, 10, pal["accent"]),
        circle(285, 196, 10, pal["accent"]),
    ]


def draw_speaker(product, pal):
    """A round smart speaker with a mesh face and a glowing light ring."""
    parts = [shadow(rx=95), circle(200, 160, 86, pal["main"])]
    # Mesh dots only inside the sphere so the outline stays crisp.
    for gy in range(96, 232, 12):
        for gx in range(124, 280, 12):
            if math.hypot(gx - 200, gy - 160) < 70:
                parts.append(circle(gx, gy, 2.4, pal["dark"], opacity="0.45"))
    parts += [
        path("M150 104 A70 70 0 0 1 214 92", stroke=WHITE, stroke_width=6,
             stroke_linecap="round", opacity="0.45"),
        rect(140, 236, 120, 18, pal["dark"], rx=9),
        rect(158, 240, 84, 6, pal["accent"], rx=3),
    ]
    return parts


def draw_powerbank(product, pal):
    """A rounded power bank standing upright with charge LEDs."""
    parts = [
        shadow(rx=85),
        rect(128, 62, 144, 196, pal["dark"], rx=30),
        rect(134, 66, 132, 186, pal["main"], rx=26),
        rect(184, 56, 32, 10, INK, rx=4),
        rect(152, 90, 96, 110, pal["light"], rx=18, opacity="0.35"),
        # Simple lightning bolt so it reads as a charger, not a phone.
        polygon([(208, 108), (178, 152), (198, 152), (190, 186), (222, 138), (202, 138)], WHITE),
    ]
    for i in range(4):
        lit = i < 3
        parts.append(circle(170 + i * 20, 226, 5, pal["accent"] if lit else pal["dark"]))
    return parts


def draw_keyboard(product, pal):
    """A tenkeyless mechanical keyboard seen from above."""
    parts = [shadow(rx=165, cy=248), rect(44, 96, 312, 140, pal["dark"], rx=16)]
    # Each row is a list of key widths in units; all rows add up to 12 units.
    rows = [
        [1] * 12,
        [1.5] + [1] * 9 + [1.5],
        [1.75] + [1] * 8 + [2.25],
        [2.25] + [1] * 7 + [2.75],
        [1.5, 1.5, 6, 1.5, 1.5],
    ]
    unit, gap, top = 24.0, 3.0, 108
    for r, row in enumerate(rows):
        x = 58.0
        for c, width in enumerate(row):
            w = width * unit - gap
            special = (r == 0 and c == 0) or (r == 2 and c == len(row) - 1)
            fill = pal["accent"] if special else (pal["light"] if r < 4 or width == 6 else pal["main"])
            parts.append(rect(x, top + r * 24, w, 20, fill, rx=4))
            x += width * unit
    return parts


def draw_fitness_band(product, pal):
    """A fitness band standing on its strap, screen showing a heartbeat."""
    parts = [
        shadow(rx=70),
        rect(172, 34, 56, 226, pal["main"], rx=24),
        rect(156, 94, 88, 112, INK, rx=24),
        rect(166, 104, 68, 92, "#1c2130", rx=16),
        path("M200 138 C188 124 172 134 180 148 L200 166 L220 148 C228 134 212 124 200 138 Z",
             pal["accent"]),
        path("M172 178 L186 178 L192 170 L200 186 L208 174 L228 174", stroke=pal["light"],
             stroke_width=3, stroke_linecap="round", stroke_linejoin="round"),
    ]
    for y in (222, 236, 248):
        parts.append(circle(200, y, 3.2, pal["dark"]))
    return parts


def draw_earbuds(product, pal):
    """Two earbuds resting above their pebble-shaped charging case."""
    parts = [
        shadow(rx=95),
        rect(118, 160, 164, 96, pal["light"], rx=46),
        path("M122 196 L278 196", stroke=pal["main"], stroke_width=2.5, opacity="0.6"),
        circle(200, 226, 4, pal["accent"]),
    ]
    for cx, tilt in ((160, -18), (240, 18)):
        # Each bud is a head plus a stem rotated outward like a worn pair.
        parts.append(f'<g transform="rotate({tilt} {cx} 110)">')
        parts.append(rect(cx - 9, 110, 18, 48, pal["dark"], rx=9))
        parts.append(circle(cx, 104, 26, pal["main"]))
        parts.append(circle(cx, 104, 11, pal["dark"], opacity="0.55"))
        parts.append("</g>")
    return parts


def draw_kettle(product, pal):
    """A steel electric kettle on its base."""
    return [
        shadow(rx=105),
        rect(128, 240, 144, 18, pal["dark"], rx=7),
        path("M252 140 Q306 138 302 190 Q298 232 258 236", stroke=pal["dark"], stroke_width=16,
             stroke_linecap="round"),
        polygon([(150, 162), (98, 128), (106, 118), (156, 140)], STEEL_DARK),
        path("M138 242 L152 126 Q200 112 248 126 L262 242 Z", STEEL),
        path("M140 222 L262 222 L262 242 L138 242 Z", pal["main"]),
        rect(164, 150, 14, 58, pal["light"], rx=7, stroke=pal["main"], stroke_width=2),
        rect(168, 176, 6, 28, pal["main"], rx=3),
        path("M226 138 L236 214", stroke=WHITE, stroke_width=8, stroke_linecap="round",
             opacity="0.45"),
        ellipse(200, 124, 50, 11, pal["main"]),
        rect(190, 104, 20, 16, pal["dark"], rx=6),
    ]


def draw_mugs(product, pal):
    """Three dipped-glaze mugs standing in a slightly staggered row."""
    parts = [shadow(rx=160, cy=254)]
    clay = "#e6d3b3"
    # Related shades of one glaze so the set reads as a matching family;
    # drawn left to right so each mug hides the previous mug's handle tip.
    for x, y, glaze in ((46, 132, pal["light"]), (148, 118, pal["main"]),
                        (250, 132, pal["dark"])):
        parts += [
            path(f"M{x + 70} {y + 26} a24 26 0 1 1 0 52", stroke=clay,
                 stroke_width=11, stroke_linecap="round"),
            rect(x, y, 72, 104, clay, rx=10),
            path(f"M{x} {y + 8} h72 v62 q-18 9 -36 0 t-36 0 z", glaze),
            rect(x, y, 72, 16, glaze, rx=8),
            ellipse(x + 36, y + 4, 30, 3.5, "#000000", opacity="0.12"),
        ]
    return parts


def draw_chopping_board(product, pal):
    """A wooden board with a handle, grain lines and a few vegetable slices."""
    parts = [
        shadow(rx=150, cy=246),
        path("M66 98 H286 Q312 98 312 124 V136 H334 Q350 136 350 152 V186 Q350 202 334 202 H312 "
             "V214 Q312 240 286 240 H66 Q40 240 40 214 V124 Q40 98 66 98 Z", WOOD),
        circle(333, 169, 8, CATEGORY_BACKGROUNDS["Home & Kitchen"]),
        rect(56, 112, 240, 114, "none", rx=16, stroke=WOOD_DARK, stroke_width=3, opacity="0.6"),
    ]
    for y in (136, 160, 188, 208):
        parts.append(path(f"M74 {y} q50 -8 100 0 t100 0", stroke=WOOD_DARK,
                          stroke_width=2, opacity="0.35"))
    for cx, cy in ((140, 168), (182, 158), (222, 172)):
        parts += [circle(cx, cy, 21, pal["accent"]), circle(cx, cy, 15, pal["accent_light"]),
                  circle(cx, cy, 4, pal["accent"])]
    parts.append(path("M246 146 q20 -30 40 -10 q-18 4 -40 10 z", pal["main"]))
    return parts


def draw_lamp(product, pal):
    """A table lamp with a linen shade, glowing softly."""
    return [
        shadow(rx=90),
        polygon([(140, 164), (260, 164), (284, 252), (116, 252)], "#fff1b8", opacity="0.55"),
        line(200, 150, 200, 196, STEEL_DARK, width=6),
        path("M170 256 Q146 226 176 196 H224 Q254 226 230 256 Z", pal["dark"]),
        path("M180 204 Q166 226 180 248", stroke=WHITE, stroke_width=5, stroke_linecap="round",
             opacity="0.35"),
        polygon([(158, 66), (242, 66), (270, 164), (130, 164)], pal["light"],
                stroke=pal["main"], stroke_width=3, stroke_linejoin="round"),
        polygon([(134, 148), (266, 148), (270, 164), (130, 164)], pal["main"]),
        # Faint vertical pleats suggest the linen fabric of the shade.
        line(180, 72, 170, 144, pal["main"], width=1.5, opacity="0.35"),
        line(220, 72, 230, 144, pal["main"], width=1.5, opacity="0.35"),
    ]


def draw_skillet(product, pal):
    """A cast iron skillet from above with a fried egg."""
    return [
        shadow(cx=210, cy=262, rx=140, ry=10),
        rect(236, 150, 130, 28, IRON, rx=14),
        rect(300, 153, 62, 22, pal["main"], rx=11),
        circle(350, 164, 5, IRON),
        circle(170, 164, 94, IRON),
        circle(170, 164, 78, "#4a4e57"),
        path("M126 164 Q122 124 162 120 Q196 112 212 140 Q232 170 206 196 Q178 222 146 204 "
             "Q124 190 126 164 Z", WHITE),
        circle(172, 162, 20, "#f6b73c"),
        circle(166, 156, 6, "#fcd98a"),
    ]


def draw_cushion(product, pal):
    """A square throw cushion with pinched corners and a woven texture."""
    outline = "M104 76 Q200 96 296 76 Q280 166 296 256 Q200 236 104 256 Q120 166 104 76 Z"
    clip_id = "cushion-" + product["id"]
    parts = [
        shadow(rx=115, cy=262),
        f"<defs><clipPath id=\"{clip_id}\"><path d=\"{outline}\"/></clipPath></defs>",
        path(outline, pal["main"]),
        f'<g clip-path="url(#{clip_id})" opacity="0.35">',
    ]
    # Diagonal lines both ways give the impression of a basket weave.
    for off in range(-200, 220, 16):
        parts.append(line(100 + off, 60, 300 + off, 260, pal["light"], width=2.5))
        parts.append(line(300 + off, 60, 100 + off, 260, pal["dark"], width=1.5))
    parts.append("</g>")
    parts.append(circle(200, 166, 9, pal["accent"]))
    for x, y in ((104, 76), (296, 76), (104, 256), (296, 256)):
        parts.append(circle(x, y, 7, pal["accent"]))
    return parts


def wrap_title(title, max_chars=12):
    """Split a book title into short lines that fit on the cover."""
    words, lines, current = title.split(), [], ""
    for word in words:
        candidate = (current + " " + word).strip()
        if len(candidate) <= max_chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def draw_book(product, pal):
    """A hardback book standing upright with its title on the cover."""
    left, top, w, h = 126, 36, 152, 216
    parts = [
        shadow(rx=95, cy=258),
        rect(left + 8, top + 6, w, h, PAPER, rx=4, stroke="#ddd3c0", stroke_width=2),
        rect(left, top, w, h, pal["main"], rx=5),
        rect(left, top, 16, h, pal["dark"], rx=4),
        line(left + 30, top + 16, left + w - 14, top + 16, pal["light"], width=2),
        line(left + 30, top + h - 16, left + w - 14, top + h - 16, pal["light"], width=2),
    ]
    # A small motif picked from the palette hash keeps covers distinct.
    motif = int(hashlib.sha256(product["id"].encode()).hexdigest()[8:10], 16) % 3
    cx, cy = left + 8 + w / 2, top + 160
    if motif == 0:
        parts += [circle(cx, cy, 22, pal["accent"]),
                  path(f"M{cx - 54} {cy + 18} q18 -10 36 0 t36 0 t36 0",
                       stroke=pal["light"], stroke_width=3)]
    elif motif == 1:
        for dx, dy, r in ((-30, -6, 4), (0, 8, 6), (28, -10, 3.5), (14, 24, 3), (-18, 22, 3)):
            parts.append(circle(cx + dx, cy + dy, r, pal["accent_light"]))
    else:
        parts += [polygon([(cx - 40, cy + 24), (cx - 6, cy - 20), (cx + 10, cy + 4),
                           (cx + 22, cy - 8), (cx + 44, cy + 24)], pal["light"]),
                  circle(cx + 26, cy - 22, 8, pal["accent"])]
    lines_ = wrap_title(product["title"])
    size = 17 if max(len(s) for s in lines_) <= 11 else 15.5
    first_y = top + 58 - (len(lines_) - 1) * size * 0.35
    for i, text in enumerate(lines_):
        parts.append(
            f'<text x="{cx:g}" y="{first_y + i * size * 1.25:g}" font-family="{FONT}" '
            f'font-size="{size:g}" font-weight="bold" '
            f'fill="#ffffff" text-anchor="middle">{escape(text)}</text>')
    return parts


def draw_tshirt(product, pal):
    """A crew-neck t-shirt laid flat."""
    body = ("M158 58 L116 70 L64 112 L92 152 L128 134 L128 252 L272 252 L272 134 L308 152 "
            "L336 112 L284 70 L242 58 Q200 92 158 58 Z")
    return [
        shadow(rx=115, cy=260),
        path(body, pal["main"]),
        path("M158 58 Q200 92 242 58", stroke=pal["dark"], stroke_width=8, stroke_linecap="round"),
        line(80, 130, 104, 118, pal["dark"], width=3, opacity="0.5"),
        line(320, 130, 296, 118, pal["dark"], width=3, opacity="0.5"),
        line(136, 240, 264, 240, pal["dark"], width=2, opacity="0.4"),
        circle(238, 116, 10, pal["accent"]),
    ]


def draw_sneaker(product, pal):
    """A low-top canvas sneaker in side view."""
    parts = [
        shadow(rx=150, cy=256),
        path("M62 218 H336 Q350 218 350 232 V236 Q350 250 336 250 H76 Q60 250 60 234 Z",
             "#f4f1ea", stroke="#cfc8bb", stroke_width=2),
        line(70, 236, 340, 236, pal["accent"], width=3),
        path("M70 218 L76 162 Q80 140 104 144 L168 154 Q196 124 236 132 L298 168 "
             "Q342 182 342 218 Z", pal["main"]),
        path("M298 168 Q342 182 342 218 L286 218 Q290 188 298 168 Z", "#f4f1ea"),
        rect(68, 152, 22, 52, pal["dark"], rx=8),
    ]
    # Eyelets and laces along the throat line.
    for i in range(5):
        x, y = 176 + i * 22, 148 + i * 7
        parts.append(line(x - 8, y - 4, x + 10, y + 4, WHITE, width=4))
        parts.append(circle(x, y + 10, 3, pal["dark"]))
    return parts


def draw_beanie(product, pal):
    """A ribbed beanie with a fold-over cuff and a pom-pom."""
    parts = [
        shadow(rx=110, cy=258),
        circle(200, 66, 28, pal["light"]),
        path("M114 206 Q110 88 200 84 Q290 88 286 206 Z", pal["main"]),
    ]
    for x in range(130, 276, 14):
        parts.append(path(f"M{x} 200 Q{(x + 200) / 2} 130 200 92",
                          stroke=pal["dark"], stroke_width=2, opacity="0.3"))
    parts.append(rect(102, 196, 196, 56, pal["dark"], rx=14))
    for x in range(112, 292, 10):
        parts.append(line(x, 204, x, 244, pal["main"], width=3, opacity="0.5"))
    for dx, dy in ((-10, -8), (8, -12), (12, 6), (-6, 10)):
        parts.append(circle(200 + dx, 66 + dy, 5, WHITE, opacity="0.45"))
    return parts


def draw_jacket(product, pal):
    """A button-front denim jacket with chest pockets."""
    body = ("M160 56 L118 66 L84 110 L64 250 L104 252 L122 150 L126 254 L274 254 L278 150 "
            "L296 252 L336 250 L316 110 L282 66 L240 56 L200 92 Z")
    stitch = {"stroke": pal["accent"], "stroke_width": 2, "stroke_dasharray": "5 4"}
    parts = [
        shadow(rx=140, cy=262),
        path(body, DENIM),
        polygon([(160, 56), (200, 92), (180, 120), (148, 76)], DENIM_DARK),
        polygon([(240, 56), (200, 92), (220, 120), (252, 76)], DENIM_DARK),
        line(200, 92, 200, 254, DENIM_DARK, width=3),
        rect(126, 226, 148, 28, DENIM_DARK),
        rect(144, 134, 40, 40, "none", rx=4, **stitch),
        rect(216, 134, 40, 40, "none", rx=4, **stitch),
        path("M142 132 H186 V146 L164 152 L142 146 Z", DENIM_DARK),
        path("M214 132 H258 V146 L236 152 L214 146 Z", DENIM_DARK),
        line(132, 222, 268, 222, pal["accent"], width=2, stroke_dasharray="5 4"),
    ]
    for y in (120, 156, 192, 240):
        parts.append(circle(208, y, 4.5, pal["main"], stroke=pal["dark"], stroke_width=1.5))
    return parts


def draw_sunglasses(product, pal):
    """Round sunglasses seen from the front."""
    parts = [shadow(rx=140, cy=250, ry=8)]
    for cx in (138, 262):
        parts += [
            circle(cx, 158, 52, pal["dark"], opacity="0.85"),
            circle(cx, 158, 52, "none", stroke=pal["main"], stroke_width=9),
            path(f"M{cx - 26} 130 A34 34 0 0 1 {cx + 6} 122", stroke=WHITE,
                 stroke_width=6, stroke_linecap="round", opacity="0.5"),
        ]
    parts += [
        path("M186 146 Q200 128 214 146", stroke=pal["main"], stroke_width=8,
             stroke_linecap="round"),
        line(86, 146, 56, 136, pal["main"], width=8),
        line(314, 146, 344, 136, pal["main"], width=8),
        circle(92, 146, 4, pal["accent"]),
        circle(308, 146, 4, pal["accent"]),
    ]
    return parts


def draw_wallet(product, pal):
    """A slim bifold wallet with cards peeking out."""
    return [
        shadow(rx=115, cy=254),
        rect(124, 70, 120, 80, pal["accent"], rx=8, transform="rotate(-6 184 110)"),
        rect(160, 76, 120, 80, pal["accent_light"], rx=8, transform="rotate(5 220 116)"),
        rect(96, 100, 208, 148, pal["main"], rx=16),
        rect(106, 110, 188, 128, "none", rx=10, stroke=pal["light"], stroke_width=2,
             stroke_dasharray="6 4"),
        path("M96 150 H304", stroke=pal["dark"], stroke_width=3, opacity="0.5"),
        rect(252, 160, 52, 34, pal["dark"], rx=8),
        circle(272, 177, 5, pal["light"]),
    ]


def draw_backpack(product, pal):
    """A roll-top hiking backpack with a front pocket."""
    return [
        shadow(rx=110),
        path("M170 60 Q200 30 230 60", stroke=pal["dark"], stroke_width=10,
             stroke_linecap="round"),
        rect(108, 150, 30, 90, pal["dark"], rx=12),
        rect(262, 150, 30, 90, pal["dark"], rx=12),
        rect(126, 62, 148, 194, pal["main"], rx=38),
        rect(126, 62, 148, 44, pal["dark"], rx=20),
        rect(188, 96, 24, 58, INK, rx=6),
        rect(192, 140, 16, 12, STEEL, rx=3),
        rect(148, 172, 104, 70, pal["dark"], rx=18),
        line(160, 186, 240, 186, pal["light"], width=3),
        rect(186, 200, 28, 18, pal["accent"], rx=4),
    ]


def draw_yoga_mat(product, pal):
    """A rolled yoga mat tied with a carry strap."""
    parts = [
        shadow(rx=140, cy=252),
        path("M130 118 Q200 70 270 118", stroke=pal["accent"], stroke_width=6,
             stroke_linecap="round"),
        ellipse(98, 178, 22, 56, pal["dark"]),
        rect(98, 122, 196, 112, pal["main"]),
        ellipse(294, 178, 22, 56, pal["light"]),
    ]
    # Concentric ellipses read as the spiral of the rolled mat end.
    for i, (rx, ry) in enumerate(((16, 42), (11, 29), (6, 16))):
        parts.append(ellipse(294 - (3 - i), 178, rx, ry, "none", stroke=pal["main"],
                             stroke_width=3))
    for x in (140, 248):
        parts.append(rect(x, 118, 14, 120, pal["accent"], rx=4))
    parts.append(line(120, 140, 270, 140, WHITE, width=5, opacity="0.3"))
    return parts


def draw_bottle(product, pal):
    """An insulated steel water bottle with a loop cap."""
    return [
        shadow(rx=70),
        circle(200, 46, 14, "none", stroke=pal["dark"], stroke_width=7),
        rect(172, 52, 56, 40, pal["dark"], rx=10),
        path("M164 258 Q156 258 156 248 V124 Q156 96 184 90 H216 Q244 96 244 124 V248 "
             "Q244 258 236 258 Z", pal["main"]),
        rect(156, 176, 88, 26, pal["accent"]),
        rect(172, 112, 10, 130, WHITE, rx=5, opacity="0.35"),
    ]


def draw_skipping_rope(product, pal):
    """A skipping rope with two handles and a looping cable."""
    parts = [shadow(rx=130, cy=258)]
    parts.append(path("M132 112 C 60 300, 330 300, 268 112", stroke=pal["dark"],
                      stroke_width=5, stroke_linecap="round"))
    for x, tilt in ((126, -14), (274, 14)):
        parts.append(f'<g transform="rotate({tilt} {x} 86)">')
        parts.append(rect(x - 13, 40, 26, 78, pal["main"], rx=12))
        parts.append(rect(x - 13, 104, 26, 14, pal["accent"], rx=5))
        parts.append(rect(x - 5, 50, 4, 46, WHITE, rx=2, opacity="0.4"))
        parts.append("</g>")
    return parts


def draw_lantern(product, pal):
    """A camping lantern with a glowing globe and hanging handle."""
    parts = [
        shadow(rx=90),
        circle(200, 170, 92, "#fff1b8", opacity="0.5"),
        path("M168 74 Q200 22 232 74", stroke=INK, stroke_width=6, stroke_linecap="round"),
        rect(154, 104, 92, 122, "#fff6cf", rx=20),
        circle(200, 166, 26, "#ffe27a"),
    ]
    for x in (170, 200, 230):
        parts.append(line(x, 108, x, 222, pal["dark"], width=4, opacity="0.8"))
    parts += [
        path("M144 110 Q146 70 200 68 Q254 70 256 110 Z", pal["main"]),
        rect(144, 222, 112, 34, pal["main"], rx=10),
        rect(190, 232, 20, 10, pal["accent"], rx=4),
    ]
    return parts


def draw_football(product, pal):
    """A classic panelled football."""
    cx, cy, r = 200, 160, 90
    clip_id = "ball-" + product["id"]
    parts = [
        shadow(rx=95),
        f'<defs><clipPath id="{clip_id}"><circle cx="{cx}" cy="{cy}" r="{r}"/></clipPath></defs>',
        circle(cx, cy, r, WHITE),
        f'<g clip-path="url(#{clip_id})">',
    ]
    centre = regular_polygon(cx, cy, 30, 5)
    parts.append(polygon(centre, pal["dark"]))
    # Outer pentagons sit beyond each vertex; the clip trims them at the rim.
    for vx, vy in centre:
        angle = math.atan2(vy - cy, vx - cx)
        ox, oy = cx + 92 * math.cos(angle), cy + 92 * math.sin(angle)
        parts.append(line(vx, vy, cx + 64 * math.cos(angle), cy + 64 * math.sin(angle),
                          "#c9ced6", width=2.5))
        parts.append(polygon(regular_polygon(ox, oy, 30, 5, math.degrees(angle) + 180),
                             pal["dark"]))
    parts.append("</g>")
    parts += [
        circle(cx, cy, r, "none", stroke="#c9ced6", stroke_width=3),
    ]
    return parts


def draw_parcel(product, pal):
    """A generic parcel, used when no specific kind is known."""
    return [
        shadow(rx=110),
        rect(110, 96, 180, 156, pal["main"], rx=10),
        rect(110, 96, 180, 36, pal["dark"], rx=10),
        rect(186, 96, 28, 156, pal["accent"]),
    ]


DRAWERS = {
    "headphones": draw_headphones,
    "speaker": draw_speaker,
    "powerbank": draw_powerbank,
    "keyboard": draw_keyboard,
    "fitness_band": draw_fitness_band,
    "earbuds": draw_earbuds,
    "kettle": draw_kettle,
    "mugs": draw_mugs,
    "chopping_board": draw_chopping_board,
    "lamp": draw_lamp,
    "skillet": draw_skillet,
    "cushion": draw_cushion,
    "book": draw_book,
    "tshirt": draw_tshirt,
    "sneaker": draw_sneaker,
    "beanie": draw_beanie,
    "jacket": draw_jacket,
    "sunglasses": draw_sunglasses,
    "wallet": draw_wallet,
    "backpack": draw_backpack,
    "yoga_mat": draw_yoga_mat,
    "bottle": draw_bottle,
    "skipping_rope": draw_skipping_rope,
    "lantern": draw_lantern,
    "football": draw_football,
    "parcel": draw_parcel,
}


# --------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------

def kind_for(product):
    """Pick the drawing kind for a product (explicit map, then category)."""
    return KIND_BY_ID.get(product["id"]) or CATEGORY_DEFAULT_KIND.get(product["category"], FALLBACK_KIND)


def render_svg(product):
    """Return the complete SVG document for one product."""
    pal = palette_for(product["id"])
    background = CATEGORY_BACKGROUNDS.get(product["category"], DEFAULT_BACKGROUND)
    body = DRAWERS[kind_for(product)](product, pal)
    # role/aria-label make the image meaningful to screen readers without
    # adding visible text.
    head = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
            'height="{h}" role="img" aria-label="{label}">').format(
                w=WIDTH, h=HEIGHT, label=escape(product["title"], {'"': "&quot;"}))
    frame = [
        rect(0, 0, WIDTH, HEIGHT, background),
        # A pale halo behind the object gives every card the same focal point.
        circle(200, 150, 128, WHITE, opacity="0.5"),
    ]
    return "\n".join([head] + ["  " + p for p in frame + body] + ["</svg>", ""])


def main(argv=None):
    """Generate all product SVGs; return a process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog" / "products.json")
    parser.add_argument("--out", type=Path, default=ROOT / "static" / "products")
    args = parser.parse_args(argv)

    products = json.loads(args.catalog.read_text(encoding="utf-8"))["products"]
    args.out.mkdir(parents=True, exist_ok=True)
    for product in products:
        target = args.out / product["image"]
        # newline="\n" keeps output byte-identical on every platform so
        # re-running the script never produces a spurious git diff.
        with open(target, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(render_svg(product))
    print(f"wrote {len(products)} images to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
