"""Seed a realistic archive into a PostgreSQL database, for benchmarks.

    psql -h 127.0.0.1 -U postgres -c 'create database publications_bench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/publications_bench \\
        .venv/bin/python bench/seed.py [--pieces 100000]

The caller creates the database; the script migrates it, then adds 5,000 people (2,000 of them
experts), 300 fellowships with about 4,000 appointments, the six publication types, 1,000 each
of topics, regions and free tags, and the pieces (100,000 by default) with their authors, terms
and bio lines. Authors and terms are drawn with Zipf-like weights, so a few people and terms
dominate, as in a real archive. Everything comes from random.Random(42): the same command gives
the same archive.

A database that already holds the requested number of pieces is reused as it is. One that holds
fewer gets only the missing pieces (and whatever people, fellowships or terms it lacks).

Speed: small tables go in with bulk_create, the big ones with COPY, all in one transaction; no
model save() runs, so no signal fires and no reversion history is kept. The search vectors are
then filled by one UPDATE (publications.search.update_vectors, the same one the services run after
every save), the GIN index is rebuilt, and VACUUM ANALYZE leaves the planner with fresh
statistics. Timings per stage go to stdout, a progress bar to stderr.
"""

import argparse
import bisect
import datetime
import io
import os
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import NOT_PROVIDED  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from people.models import Appointment, Fellowship, Person, bio_line  # noqa: E402
from publications import search  # noqa: E402
from publications.models import (  # noqa: E402
    Authorship,
    Publication,
    PublicationType,
    Region,
    Tag,
    TaggedRegion,
    TaggedTag,
    TaggedTopic,
    Topic,
)

SEED = 42
PEOPLE, EXPERTS, FELLOWSHIPS, TERMS_EACH = 5_000, 2_000, 300, 1_000
CHUNK = 2_000  # pieces generated and copied at a time
ARCHIVE_START = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)
STATUS = Publication.Status


def words(text):
    """Split a word list; an underscore joins the words of one item ("Saudi_Arabia")."""
    return [word.replace("_", " ") for word in text.split()]


# Names.

FIRST_NAMES = words("""
Aaron Adam Ahmad Ali Amir Amos Anna Ariel Asher Aylin Aziz Barbara Bassam Benjamin Bilal Carmen Catherine
Charles Clara Daniel Dalia David Deniz Dina Ehud Elena Elif Eliot Emily Emre Eran Ethan Farah Farzin Fatima
Gabriel Ghaith Hadi Hamid Hana Hannah Hassan Hiba Ibrahim Ilan Irina Isabel James Jana Jonathan Joseph Karim
Katherine Kaveh Laila Layla Leila Lior Lucas Madeleine Mahmoud Mariam Mark Maya Mehmet Michael Mona Murat
Nadia Nasser Natalie Nicholas Nimrod Noa Noura Omar Oren Patrick Rachel Rami Rana Reza Robert Ruth Sahar Said
Salim Samuel Sara Sarah Selin Shira Simon Soner Tamar Tarek Thomas Victoria Walid Yael Yasmine Yossi Youssef
Zainab Zeynep Ziad
""")
LAST_NAMES = words("""
Abadi Abboud Abdullah Adler Ahmadi Akbari Alavi Alon Amin Arslan Asadi Ashkenazi Aydin Azoulay Bakri Barak
Barzani Bauer Ben-David Berman Bishara Brennan Caldwell Chalabi Cohen Cook Darwish Dayan Demir Doran Eisenberg
Elias Farouk Feldman Fischer Friedman Gamal Ghanem Goldberg Green Haddad Hakimi Halabi Hamdan Harel Hartley
Hashemi Hayes Hosseini Hughes Jaber Jafari Kahn Kaplan Karami Katz Kaya Khalil Khoury Knights Kurdi Landau
Levitt Lewis Madani Mansour Marshall Mazur Meyer Mizrahi Moradi Morgan Nasr Nazari Noorani Ozturk Peretz
Quinn Rahimi Rashid Rezaei Rosen Ross Sadr Saleh Salem Satloff Schenker Segal Shapiro Sharif Simsek Sokolov
Stein Sullivan Tabatabai Tahir Taylor Vatanka Wagner Walker Weiss White Yadlin Yildiz Yousef Zaman Zilber
""")

# Taxonomy.

TOPIC_BASES = words("""
Arab-Israeli_Relations Counterterrorism Democracy_and_Reform Energy_and_Economics Great_Power_Competition
Gulf_Security Military_and_Security Nuclear_Proliferation Peace_Process Sanctions Terrorism U.S._Policy
""")
TOPIC_QUALIFIERS = words("""
Maritime Regional Economic Military Nuclear Cyber Financial Diplomatic Humanitarian Energy Water Border
Naval Air Missile Intelligence Religious Tribal Sectarian Electoral Judicial Media Youth Labor Trade Defense
Strategic Civilian Political Digital Food Health Refugee Arms Security
""")
TOPIC_NOUNS = words("""
Security Policy Reform Cooperation Competition Diplomacy Governance Deterrence Strategy Sanctions Aid
Stability Networks Markets Rights Institutions Alliances Conflict Negotiations Modernization Crisis Finance
Infrastructure Narratives Law Ideology Politics Trends Risks Operations Capabilities Programs
Agreements Oversight
""")
PLACES = words("""
Iran Iraq Syria Lebanon Israel Jordan Egypt Saudi_Arabia Yemen Oman Qatar Bahrain Kuwait
United_Arab_Emirates Turkey Libya Tunisia Algeria Morocco Sudan Afghanistan Pakistan Cyprus Gaza
West_Bank Kurdistan Sinai Golan Red_Sea Persian_Gulf Caucasus Central_Asia Horn_of_Africa Sahel Levant
Maghreb Mesopotamia Anatolia Baghdad Tehran Damascus Beirut Amman Cairo Riyadh Doha Abu_Dhabi Dubai Ankara
Istanbul Tripoli Tunis Algiers Rabat Sanaa Aden Basra Mosul Erbil Aleppo Idlib Homs Jerusalem Haifa Tabriz
Isfahan Mashhad Jeddah Muscat Khartoum Benghazi Raqqa Deir_ez-Zor Hodeida Kirkuk
""")
PLACE_QUALIFIERS = words("""
Northern Southern Eastern Western Central Coastal Greater Upper Lower Rural Urban Inner Outer Border
""")
TAG_WORDS = words("""
drones militias elections sanctions oil gas shipping refugees protests succession ceasefire reconstruction
smuggling cyber missiles water wheat currency debt tourism corruption media clerics tribes ports pipelines
satellites hostages prisoners courts parliaments unions students women minorities diaspora
""")
TAG_MODIFIERS = words("""
regional local maritime illicit proxy cross-border state-backed online covert informal emergency bilateral
multilateral rising contested failed new long-term armed foreign youth-led digital urban rural seasonal
offshore unregulated state private military religious political
""")

PUBLICATION_TYPES = [  # slug, name, weight in the archive
    ("articles-op-eds", "Articles & Op-Eds", 30),
    ("policywatch", "PolicyWatch", 40),
    ("policy-notes", "Policy Notes", 6),
    ("policy-focus", "Policy Focus", 3),
    ("testimony", "Testimony", 2),
    ("fikra-forum", "Fikra Forum", 19),
]
OUTLETS = words("""
Foreign_Affairs Foreign_Policy The_Wall_Street_Journal The_Washington_Post The_New_York_Times The_Hill
Politico The_Atlantic Newsweek The_National_Interest War_on_the_Rocks Haaretz Al-Monitor Asharq_Al-Awsat
""")

# Titles.

ACTORS = words("""
Iran Hezbollah Hamas Israel Saudi_Arabia Turkey Russia China Egypt the_Houthis the_IRGC Iraq the_Islamic_State
Qatar the_UAE Jordan the_Kurds Assad Tehran Moscow Beijing Ankara Riyadh Washington the_Palestinian_Authority
the_Gulf_States Lebanon Syria Libya Yemen Morocco Algeria Oman Bahrain Kuwait Europe
""")
TITLE_NOUNS = words("""
Nuclear_Program Drone_Campaign Sanctions_Regime Ceasefire Elections Economic_Crisis Proxy_Network
Missile_Arsenal Maritime_Strategy Energy_Deals Succession_Struggle Reform_Agenda Security_Partnership
Arms_Deals Border_Policy Refugee_Crisis Normalization_Talks Counterterrorism_Cooperation Oil_Exports
Currency_Collapse Water_Crisis Intelligence_Services Military_Modernization Diplomatic_Outreach
Protest_Movement Media_Strategy Cyber_Operations Naval_Buildup Reconstruction_Plans Debt_Problem
""")
TITLE_VERBS = words("Tests Challenges Reshapes Complicates Undermines Strengthens Threatens Exposes Courts")
TITLE_ADJECTIVES = words("Quiet Risky Overlooked Fragile Growing Hidden Shifting Costly Uneasy Emerging")
TITLE_TAILS = [
    "What Comes Next",
    "Options for Washington",
    "A Closer Look",
    "Risks and Opportunities",
    "Implications for U.S. Policy",
    "The View from the Region",
    "Lessons Learned",
    "A Policy Agenda",
    "Between Escalation and Restraint",
    "Myths and Realities",
]
TITLE_TEMPLATES = [
    "{a_poss} {noun}: {tail}",
    "How {a} {verb} {b_poss} {noun}",
    "The {adj} {noun} in {place}",
    "{a_poss} {noun} {verb} {b}",
    "What {a_poss} {noun} Means for {b}",
    "{place} After the {noun}",
    "Countering {a_poss} {noun}",
    "The Case for a New Approach to {a_poss} {noun}",
    "{a} and {b}: The {adj} {noun}",
    "Inside {a_poss} {noun}",
    "{a_poss} {adj} {noun} and U.S. Policy",
    "Why {a_poss} {noun} Matters in {place}",
]

# Body text: words in order of frequency (function words first), drawn with Zipf weights, plus rare
# words with a tiny flat weight so each turns up in a few hundred pieces at most.

COMMON_WORDS = words("""
the of and to in a that is for on with as by its this be are was it from has have not at but their which
they an more or will would than could also been other these about over after who into while what such
policy security Iran Syria United_States Israel regime government military Washington region regional
forces political economic support officials Tehran administration sanctions nuclear war Iraq
strategy Hezbollah Russia leaders power influence pressure threat deal efforts Gulf president country
groups international attacks Saudi_Arabia relations Turkey allies diplomatic public conflict Lebanon
Egypt Jordan Hamas interests agreement talks ceasefire militias oil energy economy reform elections
intelligence partners Congress Europe China Moscow Beijing Ankara Riyadh Cairo Baghdad Damascus Beirut
Gaza border refugees aid reconstruction campaign missile drones deterrence escalation negotiations
cooperation stability crisis protests opposition parliament Kurdish Sunni Shia coalition terrorism
counterterrorism jihadist Islamic_State militants networks funding smuggling weapons arms program enrichment
inspectors agency sanctions_relief market prices exports currency inflation budget debt investment
infrastructure water drought food humanitarian civilians displaced ministers minister prime_minister
king crown_prince supreme_leader clerics judiciary courts media press narrative propaganda information
cyber maritime shipping ports navy air_force ground troops bases deployment withdrawal presence
strategic tactical long-term short-term significant important likely unlikely new old recent growing
declining key major minor central critical careful difficult clear uncertain serious broader direct
indirect local national global domestic foreign senior junior former current future past decision
decisions step steps approach approaches option options risk risks cost costs benefit benefits goal goals
challenge challenges opportunity opportunities question questions answer response responses signal
signals message messages leverage incentives commitments guarantees framework mechanism process period
years months weeks days time history context consequences implications assessment analysis evidence
report reports sources statement statements speech meeting meetings summit visit visits delegation envoy
ambassador embassy consulate mission
""")
RARE_WORDS = words("""
palimpsest irredentism kleptocracy revanchism suzerainty thalassocracy interregnum gerontocracy dirigisme
autarky brinkmanship casuistry jingoism kakistocracy lodestar machination oligopoly parsimony quagmire
rapprochement sinecure teleology usufruct verisimilitude zealotry quiescence panopticon obduracy mendacity
lacuna heterodoxy eschatology desuetude crepuscular anodyne recondite halcyon apotheosis ineffable lugubrious
perspicacious zeitgeist obfuscation quixotic sesquipedalian hegemonic entente filibuster caliphate
""")
RARE_SHARE = 2.5e-6  # each rare word's share of all words: ~0.1% of pieces contain it
WORDS = COMMON_WORDS + RARE_WORDS


def cumulative(weights):
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def zipf_weights(count, shift=2.7, exponent=1.0):
    """Return Zipf-Mandelbrot weights 1 / (rank + shift) ** exponent for ranks 1..count."""
    return [1 / (rank + shift) ** exponent for rank in range(1, count + 1)]


_common = zipf_weights(len(COMMON_WORDS))
WORD_CUM = cumulative(_common + [sum(_common) * RARE_SHARE] * len(RARE_WORDS))


# Progress and timing.


class Progress:
    """A one-line progress bar on stderr (a new line every 10% when stderr is not a terminal)."""

    def __init__(self, label, total, width=30):
        self.label, self.total, self.width = label, max(total, 1), width
        self.done, self.started, self.shown = 0, time.perf_counter(), -1.0
        self.tty = sys.stderr.isatty()

    def update(self, count=1):
        self.done += count
        now, fraction = time.perf_counter(), min(self.done / self.total, 1.0)
        if self.tty and now - self.shown < 0.2 and fraction < 1:
            return
        if not self.tty and int(fraction * 10) == int(self.shown) and fraction < 1:
            return
        self.shown = now if self.tty else int(fraction * 10)
        elapsed = now - self.started
        eta = elapsed / fraction - elapsed if fraction else 0
        bar = "#" * int(fraction * self.width)
        line = (
            f"{self.label:<14}[{bar:<{self.width}}] {self.done:>9,}/{self.total:,} "
            f"{fraction:6.1%} {elapsed:6.1f}s eta {eta:5.0f}s"
        )
        sys.stderr.write(f"\r{line}" if self.tty else f"{line}\n")
        sys.stderr.flush()

    def close(self):
        if self.tty:
            sys.stderr.write("\n")


@contextmanager
def stage(name):
    started = time.perf_counter()
    notes = []
    yield notes
    seconds = time.perf_counter() - started
    detail = f"  {', '.join(notes)}" if notes else ""
    print(f"{name:<28}{seconds:8.1f}s{detail}", flush=True)


# Writing rows.

COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value):
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    return str(value)


def copy_rows(cursor, model, columns, rows):
    """COPY ``rows`` (tuples of the ``columns`` attnames) into ``model``'s table.

    Every other concrete field gets its Python default (a field added to the model later gets
    its default too); fields with a database default and an unlisted auto primary key are left
    to the database.
    """
    rest = [
        field
        for field in model._meta.concrete_fields
        if field.attname not in columns
        and field.db_default is NOT_PROVIDED
        and not (field.primary_key and field.get_internal_type().endswith("AutoField"))
    ]
    names = [model._meta.get_field(attname).column for attname in columns] + [f.column for f in rest]
    tail = "".join(f"\t{copy_value(field.get_default())}" for field in rest)
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(map(copy_value, row)) + tail + "\n")
    buffer.seek(0)
    sql = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"
    if hasattr(cursor, "copy_expert"):  # psycopg2
        cursor.copy_expert(sql, buffer)
    else:  # psycopg 3
        with cursor.copy(sql) as copy:
            copy.write(buffer.getvalue())


def reserve_ids(cursor, model, count):
    """Take ``count`` ids from the table's sequence, so rows can be copied with their ids."""
    if not count:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def unique_slug(text, taken, max_length=200):
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base[: max_length - 8]}-{suffix}", suffix + 1
    taken.add(slug)
    return slug


def pick_distinct(rng, population, cum_weights, count):
    chosen = []
    while len(chosen) < count:
        for item in rng.choices(population, cum_weights=cum_weights, k=count - len(chosen)):
            if item not in chosen:
                chosen.append(item)
    return chosen


# Stages.


def seed_types():
    types = {}
    for position, (slug, name, _weight) in enumerate(PUBLICATION_TYPES):
        types[slug], _ = PublicationType.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    return types


def seed_people(rng, notes):
    """Create the people who are missing; return all of them as (id, name, job title), experts first."""
    missing = PEOPLE - Person.objects.count()
    if missing > 0:
        taken_slugs = set(Person.objects.values_list("slug", flat=True))
        taken_names = set(Person.objects.values_list("name", flat=True))
        expert_flags = [True] * min(EXPERTS, missing) + [False] * max(missing - EXPERTS, 0)
        rng.shuffle(expert_flags)
        people = []
        for is_expert in expert_flags:
            while True:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                middle = f" {rng.choice('ABCDEFGHJKLMNRS')}." if rng.random() < 0.15 else ""
                name = f"{first}{middle} {last}"
                if name not in taken_names:
                    taken_names.add(name)
                    break
            people.append(person_row(rng, first + middle, last, name, is_expert, taken_slugs))
        Person.objects.bulk_create(people, batch_size=5_000)
        notes.append(f"{missing:,} people")
    return list(Person.objects.order_by("-is_expert", "pk").values_list("pk", "name", "job_title"))


EXPERT_TITLES = (
    ["Senior Fellow"] * 6 + ["Fellow"] * 4 + ["Distinguished Fellow", "Visiting Fellow", "Adjunct Fellow"] * 2
)
CONTRIBUTOR_TITLES = ["", "", "Visiting Fellow", "Adjunct Fellow", "Research Assistant", "Junior Fellow"]


def person_row(rng, given, last, name, is_expert, taken_slugs):
    topics = rng.sample(TOPIC_BASES, 3)
    title = rng.choice(EXPERT_TITLES if is_expert else CONTRIBUTOR_TITLES)
    short_bio = f"{name} writes on {topics[0].lower()} and {topics[1].lower()}."
    return Person(
        name=name,
        slug=unique_slug(name, taken_slugs),
        sort_name=f"{last}, {given}",
        job_title=title,
        short_bio=short_bio,
        long_bio=(
            f"{short_bio}\n\nBefore joining the Institute, {name.split()[0]} worked on "
            f"{topics[2].lower()} in {rng.choice(PLACES)} for {rng.randint(3, 25)} years."
            if is_expert
            else ""
        ),
        expertise=", ".join(topics) if is_expert else "",
        is_expert=is_expert,
    )


def seed_fellowships(rng, notes):
    missing = FELLOWSHIPS - Fellowship.objects.count()
    if missing <= 0:
        return list(Fellowship.objects.values_list("pk", "holder_title"))
    taken_slugs = set(Fellowship.objects.values_list("slug", flat=True))
    taken = set(Fellowship.objects.values_list("name", flat=True))
    fellowships = []
    while len(fellowships) < missing:
        last = rng.choice(LAST_NAMES)
        family = rng.random() < 0.2
        honoree = f"{last} Family" if family else f"{rng.choice(FIRST_NAMES)} {last}"
        name = f"{honoree} Fellowship"
        if name in taken:
            continue
        taken.add(name)
        donor = f"The {last} Family Foundation" if family else honoree
        fellowships.append(
            Fellowship(
                name=name,
                slug=unique_slug(name, taken_slugs),
                holder_title=f"{honoree} Fellow",
                description=f"Endowed by {donor} to support research on {rng.choice(TOPIC_BASES)}.",
                donor=donor,
            )
        )
    Fellowship.objects.bulk_create(fellowships, batch_size=5_000)
    notes.append(f"{missing:,} fellowships")
    return list(Fellowship.objects.values_list("pk", "holder_title"))


def seed_appointments(rng, people, fellowships, notes):
    """Give experts (and a few others) 1-3 successive appointments; the last may be current."""
    if Appointment.objects.exists():
        return
    today = timezone.localdate()
    appointments = []
    holders = [pk for pk, _name, _title in people[:EXPERTS]] + rng.sample(
        [pk for pk, _name, _title in people[EXPERTS:]], 500
    )
    for index, person_id in enumerate(holders):
        count = rng.choice((1, 1, 2, 2, 3)) if index < EXPERTS else 1
        start = datetime.date(1992, 1, 1) + datetime.timedelta(days=rng.randrange(30 * 365))
        for number in range(count):
            if start >= today:
                break
            end = start + datetime.timedelta(days=rng.randint(365, 8 * 365))
            if end >= today or (number == count - 1 and rng.random() < 0.45):
                end = None
            fellowship_id = rng.choice(fellowships)[0]
            appointments.append(
                Appointment(person_id=person_id, fellowship_id=fellowship_id, start=start, end=end)
            )
            if end is None:
                break
            start = end + datetime.timedelta(days=rng.randint(1, 400))
    Appointment.objects.bulk_create(appointments, batch_size=5_000)
    notes.append(f"{len(appointments):,} appointments")


def term_names(rng, kind):
    if kind == "topic":
        bases = TOPIC_BASES
        combos = [f"{q} {n}" for q in TOPIC_QUALIFIERS for n in TOPIC_NOUNS]
    elif kind == "region":
        bases = PLACES
        combos = [f"{q} {p}" for q in PLACE_QUALIFIERS for p in PLACES]
    else:
        bases = TAG_WORDS
        combos = [f"{m} {w}" for m in TAG_MODIFIERS for w in TAG_WORDS]
    rng.shuffle(combos)
    return bases + combos


TERM_MODELS = ((Topic, "topic"), (Region, "region"), (Tag, "tag"))


def seed_terms(rng, model, kind, notes):
    """Create the missing terms; return their ids, most used first (by Zipf weight)."""
    missing = TERMS_EACH - model.objects.count()
    if missing > 0:
        taken_names = {name.lower() for name in model.objects.values_list("name", flat=True)}
        taken_slugs = set(model.objects.values_list("slug", flat=True))
        terms = []
        for name in term_names(rng, kind):
            if len(terms) == missing:
                break
            if name.lower() not in taken_names:
                taken_names.add(name.lower())
                terms.append(model(name=name, slug=unique_slug(name, taken_slugs, 100)))
        model.objects.bulk_create(terms, batch_size=5_000)
        notes.append(f"{len(terms):,} {model._meta.verbose_name_plural}")
    return list(model.objects.order_by("pk").values_list("pk", flat=True))


def sentence(rng, low, high):
    tokens = rng.choices(WORDS, cum_weights=WORD_CUM, k=rng.randint(low, high))
    if len(tokens) > 12:
        tokens[rng.randint(4, len(tokens) - 5)] += ","
    text = " ".join(tokens)
    return text[0].upper() + text[1:] + "."


def body_html(rng):
    """Return 3-6 paragraphs of 250-500 words in all."""
    paragraphs, budget = [], rng.randint(250, 500)
    count = rng.randint(3, 6)
    for index in range(count):
        target = budget // (count - index)
        sentences, written = [], 0
        while written < target:
            text = sentence(rng, 8, min(26, max(8, target - written)))
            written += text.count(" ") + 1
            sentences.append(text)
        budget -= written
        paragraphs.append(f"<p>{' '.join(sentences)}</p>")
    return "".join(paragraphs)


def title_text(rng, type_slug):
    a, b = rng.sample(ACTORS, 2)
    template = "{a_poss} {noun} and U.S. Policy" if type_slug == "testimony" else rng.choice(TITLE_TEMPLATES)
    text = template.format(
        a=a,
        b=b,
        a_poss=possessive(a),
        b_poss=possessive(b),
        noun=rng.choice(TITLE_NOUNS),
        verb=rng.choice(TITLE_VERBS),
        adj=rng.choice(TITLE_ADJECTIVES),
        place=rng.choice(PLACES),
        tail=rng.choice(TITLE_TAILS),
    )
    return text[0].upper() + text[1:]


def possessive(name):
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def publish_times(rng, count, now, taken):
    """Return ``count`` distinct whole-second times from 1990 to now, ascending, denser lately."""
    span = int((now - ARCHIVE_START).total_seconds()) - 3600
    seconds = set()
    while len(seconds) < count:
        second = int(span * rng.random() ** 0.6)  # more pieces in recent years
        if second not in taken:
            seconds.add(second)
    return [ARCHIVE_START + datetime.timedelta(seconds=s) for s in sorted(seconds)]


DATED = (STATUS.PUBLISHED, STATUS.ARCHIVED)  # drafts and pieces in review have no publish time yet


def future_time(rng, now, taken):
    """Return a distinct publish time 1 hour to 30 days ahead, for a scheduled piece."""
    while True:
        second = rng.randint(3600, 30 * 86400)
        if second not in taken:
            taken.add(second)
            return now + datetime.timedelta(seconds=second)


def piece_status(rng):
    roll = rng.random()
    if roll < 0.97:
        return STATUS.PUBLISHED, False
    if roll < 0.982:
        return STATUS.DRAFT, False
    if roll < 0.988:
        return STATUS.IN_REVIEW, False
    if roll < 0.996:
        return STATUS.ARCHIVED, False
    return STATUS.PUBLISHED, True  # scheduled: published with a future publish time


class Archive:
    """What every piece draws on: people with their appointments, terms, types."""

    def __init__(self, rng, people, types, topics, regions, tags):
        self.rng = rng
        self.person_ids = [pk for pk, _name, _title in people]
        self.author_cum = cumulative(zipf_weights(len(people), shift=2.0))
        self.names = {pk: name for pk, name, _title in people}
        self.titles = {pk: title for pk, _name, title in people}
        self.appointments = {}
        for person_id, start, end, holder_title, phrase in Appointment.objects.values_list(
            "person_id", "start", "end", "fellowship__holder_title", "fellowship__bio_title"
        ).order_by("start"):
            self.appointments.setdefault(person_id, []).append((start, end, holder_title, phrase))
        self.types = [(slug, types[slug].pk) for slug, _name, _weight in PUBLICATION_TYPES]
        self.type_cum = cumulative(weight for _slug, _name, weight in PUBLICATION_TYPES)
        self.terms = [(ids, cumulative(zipf_weights(len(ids), shift=5.0))) for ids in (topics, regions, tags)]

    def bio_line(self, person_id, day):
        """What Person.bio_line_on(day) returns, from the loaded appointments."""
        title, phrase = self.titles[person_id], ""
        for start, end, holder_title, bio_title in self.appointments.get(person_id, ()):
            if start <= day and (end is None or day <= end):
                title, phrase = holder_title, bio_title  # ascending starts: the latest covering one wins
        return bio_line(self.names[person_id], title, phrase)

    def authors(self):
        count = 1 + bisect.bisect(AUTHOR_COUNT_CUM, self.rng.random())
        return pick_distinct(self.rng, self.person_ids, self.author_cum, count)

    def terms_for_piece(self):
        """Return (topic ids, region ids, tag ids): 3-12 terms in all, at least one of each kind."""
        total = self.rng.randint(3, 12)
        counts = (max(1, total * 2 // 5), max(1, total // 4))
        counts += (total - sum(counts),)
        return [
            pick_distinct(self.rng, ids, cum, n) for (ids, cum), n in zip(self.terms, counts, strict=True)
        ]


AUTHOR_COUNT_CUM = cumulative([0.55, 0.28, 0.12])  # 1, 2, 3 or (the rest) 4 authors


def seed_pieces(rng, archive, count, notes):
    if count <= 0:
        return
    now = timezone.now()
    taken_slugs = set(Publication.objects.values_list("slug", flat=True))
    taken_seconds = {
        int((t - ARCHIVE_START).total_seconds())
        for t in Publication.objects.filter(publish_at__isnull=False).values_list("publish_at", flat=True)
    }
    statuses = [piece_status(rng) for _ in range(count)]
    dated = sum(1 for status, scheduled in statuses if status in DATED and not scheduled)
    past, future = iter(publish_times(rng, dated, now, taken_seconds)), set()
    columns = (
        *("id", "title", "slug", "type_id", "summary", "body", "status", "publish_at", "created_at"),
        *("updated_at", "edit_count", "language", "is_featured", "is_sample", "outlet_name", "outlet_date"),
    )
    authorships, topics, regions, tags, totals = [], [], [], [], [0, 0]
    progress = Progress("pieces", count)
    with connection.cursor() as cursor:
        for offset in range(0, count, CHUNK):
            size = min(CHUNK, count - offset)
            rows = []
            for piece_id, (status, scheduled) in zip(
                reserve_ids(cursor, Publication, size), statuses[offset : offset + size], strict=True
            ):
                type_slug, type_id = archive.types[
                    bisect.bisect(archive.type_cum, rng.random() * archive.type_cum[-1])
                ]
                title = title_text(rng, type_slug)
                if scheduled:
                    publish_at = future_time(rng, now, future)
                else:
                    publish_at = next(past) if status in DATED else None
                created_at = (publish_at or now) - datetime.timedelta(seconds=rng.randint(3600, 30 * 86400))
                created_at = min(created_at, now - datetime.timedelta(seconds=60))
                outlet = type_slug == "articles-op-eds" and publish_at is not None and rng.random() < 0.6
                rows.append(
                    (
                        piece_id,
                        title,
                        unique_slug(title, taken_slugs, 200),
                        type_id,
                        " ".join(sentence(rng, 12, 28) for _ in range(rng.randint(1, 2))),
                        body_html(rng),
                        status,
                        publish_at,
                        created_at,
                        created_at,  # one save (edit_count 1): updated when created
                        1,
                        "en",
                        status == STATUS.PUBLISHED and not scheduled and rng.random() < 0.001,
                        False,
                        rng.choice(OUTLETS) if outlet else "",
                        timezone.localdate(publish_at) if outlet else None,
                    )
                )
                # The bio line is drafted on publishing: archived pieces were published once too.
                day = timezone.localdate(publish_at) if status in DATED else None
                for position, person_id in enumerate(archive.authors()):
                    bio = archive.bio_line(person_id, day) if day else ""
                    authorships.append((piece_id, person_id, position, bio))
                for target, ids in zip((topics, regions, tags), archive.terms_for_piece(), strict=True):
                    target.extend((piece_id, tag_id) for tag_id in ids)
            copy_rows(cursor, Publication, columns, rows)
            copy_rows(
                cursor, Authorship, ("publication_id", "person_id", "position", "bio_line"), authorships
            )
            for model, pairs in ((TaggedTopic, topics), (TaggedRegion, regions), (TaggedTag, tags)):
                copy_rows(cursor, model, ("content_object_id", "tag_id"), pairs)
            totals = [totals[0] + len(authorships), totals[1] + len(topics) + len(regions) + len(tags)]
            authorships, topics, regions, tags = [], [], [], []
            progress.update(size)
    progress.close()
    notes.append(f"{count:,} pieces, {totals[0]:,} authorships, {totals[1]:,} term links")


def fill_search_vectors(notes):
    """Fill every missing vector with one UPDATE; rebuild the vector's indexes if most rows change."""
    table = Publication._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE search_vector IS NULL) FROM {table}")
        total, missing = cursor.fetchone()
        indexes = []
        if missing * 2 > total:  # one GIN build is far faster than updating the index row by row
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [table, "%search_vector%"],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        filled = search.update_vectors(Publication.objects.filter(search_vector__isnull=True))
        notes.append(f"{filled:,} vectors")
        for _name, definition in indexes:
            cursor.execute(definition)
        if indexes:
            notes.append(f"rebuilt {', '.join(name for name, _ in indexes)}")


def end_cached_pages():
    """Bulk inserts send no signals: start a new page-cache generation by hand (shared caches)."""
    try:
        from publications.cache import invalidate
    except ImportError:
        return
    invalidate()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=100_000, help="pieces wanted (default 100,000)")
    pieces = parser.parse_args(argv).pieces
    if connection.vendor != "postgresql":
        sys.exit("bench/seed.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    started = time.perf_counter()
    database = connection.settings_dict["NAME"]

    with stage("migrate"):
        call_command("migrate", interactive=False, verbosity=0)
    existing = Publication.objects.count()
    if existing >= pieces:
        print(f"{database} already has {existing:,} pieces (>= {pieces:,} wanted): reused as it is.")
        print(f"{'total':<28}{time.perf_counter() - started:8.1f}s")
        return

    rng = random.Random(SEED)
    with connection.cursor() as cursor:  # session settings for the bulk load
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
    with transaction.atomic():
        with connection.cursor() as cursor:  # check foreign keys row by row, not all at commit
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with stage("types"):
            types = seed_types()
        with stage("people") as notes:
            people = seed_people(rng, notes)
        with stage("fellowships") as notes:
            fellowships = seed_fellowships(rng, notes)
            seed_appointments(rng, people, fellowships, notes)
        with stage("topics, regions, tags") as notes:
            terms = [seed_terms(rng, model, kind, notes) for model, kind in TERM_MODELS]
        with stage("pieces, authors, terms") as notes:
            archive = Archive(rng, people, types, *terms)
            seed_pieces(rng, archive, pieces - existing, notes)
        with stage("search vectors") as notes:
            fill_search_vectors(notes)
    with stage("vacuum analyze"), connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    end_cached_pages()
    print(f"{'total':<28}{time.perf_counter() - started:8.1f}s")


if __name__ == "__main__":
    main()
