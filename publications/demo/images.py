"""The demo's pictures, drawn here with Pillow: nothing photographed, nobody's likeness.

Lead images are drawn maps and charts (their shapes and figures are made up, and each says so
on the picture, in its alt text and in its credit); portraits are initials on a drawn figure, for
the fictional experts and the one real author alike, so no one is shown as someone they are not.
The same seed draws the same picture, so a demo loaded twice gets the same files.

``demo_images_ensure()`` (run by load_demo) stores each picture the demo archives name, and its
renditions, unless it is there already.
"""

import io
import math
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from core import pictures

CREDIT = "Illustration made for the demo"
LEAD_SIZE = (1600, 900)
PORTRAIT_SIZE = 480
SEA, LAND, INK, RULE = "#dbe6ee", "#efe9dc", "#1b2a3a", "#9aa7b3"
ACCENTS = ("#0b3f6e", "#b5562b", "#2f6f4f", "#6b4c8a", "#8a6d1f", "#2b6b80", "#7a2e3b")


def _font(size):
    return ImageFont.load_default(size=size)


def _footer(draw, width, height, note):
    draw.rectangle((0, height - 64, width, height), fill="#ffffffd9")
    draw.text((40, height - 50), f"{CREDIT} · {note}", fill=INK, font=_font(30))


def _blob(rng, cx, cy, radius, points=11):
    """A made-up landmass: a ring of points around (cx, cy) at jittered distances."""
    shape = []
    for i in range(points):
        angle = 2 * math.pi * i / points
        r = radius * rng.uniform(0.6, 1.15)
        shape.append((cx + r * math.cos(angle), cy + r * 0.8 * math.sin(angle)))
    return shape


def draw_map(seed, title, places):
    """A drawn map: invented coastlines, dashed borders, a few labelled places. Not geography."""
    rng = random.Random(seed)
    width, height = LEAD_SIZE
    image = Image.new("RGB", LEAD_SIZE, SEA)
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(5):
        cx, cy = rng.randint(150, width - 150), rng.randint(120, height - 200)
        draw.polygon(_blob(rng, cx, cy, rng.randint(180, 360)), fill=LAND, outline=RULE)
    for _ in range(4):  # dashed "borders"
        x, y = rng.randint(100, width - 100), rng.randint(100, height - 200)
        for step in range(14):
            dx, dy = rng.randint(-30, 30), rng.randint(10, 30)
            if step % 2 == 0:
                draw.line((x, y, x + dx, y + dy), fill=RULE, width=4)
            x, y = x + dx, y + dy
    for index, place in enumerate(places):
        x, y = rng.randint(200, width - 400), rng.randint(150, height - 250)
        color = ACCENTS[index % len(ACCENTS)]
        draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=color, outline="white", width=4)
        draw.text((x + 24, y - 22), place.upper(), fill=INK, font=_font(38))
    draw.text((40, 30), title, fill=INK, font=_font(48))
    _footer(draw, width, height, "not a real map")
    return image


def draw_chart(seed, title, labels, kind="bars"):
    """A drawn chart with invented figures: bars per label, or one line per label."""
    rng = random.Random(seed)
    width, height = LEAD_SIZE
    image = Image.new("RGB", LEAD_SIZE, "#fbfaf6")
    draw = ImageDraw.Draw(image, "RGBA")
    left, top, right, bottom = 140, 140, width - 80, height - 150
    for step in range(6):
        y = bottom - step * (bottom - top) / 5
        draw.line((left, y, right, y), fill="#d9d4c8", width=2)
        draw.text((60, y - 18), str(step * 20), fill=INK, font=_font(30))
    if kind == "bars":
        slot = (right - left) / len(labels)
        for index, label in enumerate(labels):
            value = rng.uniform(0.2, 0.95)
            x = left + index * slot + slot * 0.2
            draw.rectangle(
                (x, bottom - value * (bottom - top), x + slot * 0.6, bottom),
                fill=ACCENTS[index % len(ACCENTS)],
            )
            draw.text((x, bottom + 16), label, fill=INK, font=_font(32))
    else:
        for index, label in enumerate(labels):
            value, points = rng.uniform(0.3, 0.7), []
            for step in range(13):
                value = min(0.95, max(0.05, value + rng.uniform(-0.12, 0.12)))
                points.append((left + step * (right - left) / 12, bottom - value * (bottom - top)))
            color = ACCENTS[index % len(ACCENTS)]
            draw.line(points, fill=color, width=8, joint="curve")
            draw.text((points[-1][0] - 220, points[-1][1] - 50), label, fill=color, font=_font(34))
    draw.line((left, bottom, right, bottom), fill=INK, width=3)
    draw.text((40, 30), title, fill=INK, font=_font(48))
    _footer(draw, width, height, "figures invented")
    return image


def draw_portrait(name, seed):
    """A drawn figure with the person's initials: plainly an illustration, not a likeness."""
    rng = random.Random(seed)
    size = PORTRAIT_SIZE
    color = ACCENTS[rng.randrange(len(ACCENTS))]
    image = Image.new("RGB", (size, size), color)
    draw = ImageDraw.Draw(image, "RGBA")
    draw.ellipse((size * 0.3, size * 0.14, size * 0.7, size * 0.54), fill="#ffffff33")  # head
    draw.ellipse((size * 0.1, size * 0.6, size * 0.9, size * 1.3), fill="#ffffff33")  # shoulders
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = _font(int(size * 0.3))
    box = draw.textbbox((0, 0), initials, font=font)
    draw.text(((size - box[2]) / 2, size * 0.34 - box[3] / 2), initials, fill="white", font=font)
    return image


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# The demo archives name these files (publications/demo/*.json, with their alt text and credit).
LEADS = {
    "publications/images/demo-netanyahu-putin-paris.png": lambda: draw_map(
        1, "Israel, Russia and the Syrian theatre", ["Israel", "Syria", "Russian bases"]
    ),
    "publications/images/demo-gulf-deterrence.png": lambda: draw_chart(
        2, "Drone and missile attacks, by year", ["2016", "2018", "2020", "2022", "2024"]
    ),
    "publications/images/demo-counterterrorism-iraq-syria.png": lambda: draw_map(
        3, "Iraq and Syria after the caliphate", ["Mosul", "Raqqa", "Deir ez-Zor"]
    ),
    "publications/images/demo-gulf-israel-trade.png": lambda: draw_chart(
        4, "Gulf-Israel trade, indexed", ["UAE", "Bahrain", "Jordan"], kind="lines"
    ),
    "publications/images/demo-red-sea-shipping.png": lambda: draw_map(
        5, "Red Sea shipping lanes", ["Bab el-Mandeb", "Suez", "Hodeidah"]
    ),
    "publications/images/demo-eastern-mediterranean-gas.png": lambda: draw_map(
        6, "Eastern Mediterranean gas fields", ["Leviathan", "Zohr", "Cyprus"]
    ),
    "publications/images/demo-iran-enrichment.png": lambda: draw_chart(
        7, "Enriched uranium stockpile, indexed", ["Stockpile", "Limit"], kind="lines"
    ),
    "publications/images/demo-hezbollah-rebuilding.png": lambda: draw_map(
        8, "Southern Lebanon", ["Litani River", "Tyre", "Nabatieh"]
    ),
}
PORTRAITS = {
    f"people/demo-{slug}.png": (lambda name=name, seed=seed: draw_portrait(name, seed))
    for seed, (slug, name) in enumerate(
        (
            ("anna-borshchevskaya", "Anna Borshchevskaya"),
            ("tobias-ferrand", "Tobias Ferrand"),
            ("elif-marrow", "Elif Marrow"),
            ("samira-vantreese", "Samira Vantreese"),
            ("miriam-castellane", "Miriam Castellane"),
            ("owen-strathmore", "Owen Strathmore"),
            ("jonah-pellerin", "Jonah Pellerin"),
        )
    )
}


def demo_images_ensure(storage=default_storage):
    """Store each demo picture that is missing, with its renditions; return how many were drawn."""
    drawn = 0
    wanted = [(name, draw, (pictures.NATURAL, pictures.SOCIAL)) for name, draw in LEADS.items()]
    wanted += [(name, draw, (pictures.PORTRAIT,)) for name, draw in PORTRAITS.items()]
    for name, draw, shapes in wanted:
        if not storage.exists(name):
            storage.save(name, ContentFile(_png(draw())))
        elif pictures.renditions_complete(name, shapes, storage):
            continue
        pictures.prepare(name, shapes)  # a new picture, or one whose renditions went missing
        drawn += 1
    return drawn
