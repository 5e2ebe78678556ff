"""People, fellowships and appointments (and the six publication types), through the models."""

import datetime

from django.utils import timezone

from people.models import Appointment, Fellowship, Person
from publications.models import PublicationType

from .rows import unique_slug
from .vocabulary import (
    CONTRIBUTOR_TITLES,
    EXPERT_TITLES,
    FIRST_NAMES,
    LAST_NAMES,
    PLACES,
    PUBLICATION_TYPES,
    TOPIC_BASES,
)

PEOPLE, EXPERTS, FELLOWSHIPS = 5_000, 2_000, 300


def bulk_create(model, objects):
    """Insert ``objects`` in batches, after the text hygiene every save applies (bulk skips save)."""
    for obj in objects:
        obj.clean_text()
    model.objects.bulk_create(objects, batch_size=5_000)


def seed_types():
    types = {}
    for position, (slug, name, _weight) in enumerate(PUBLICATION_TYPES):
        types[slug], _ = PublicationType.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    return types


def new_name(rng, taken_names):
    """Return (given names, last name, full name) of a name not taken yet."""
    while True:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        middle = f" {rng.choice('ABCDEFGHJKLMNRS')}." if rng.random() < 0.15 else ""
        name = f"{first}{middle} {last}"
        if name not in taken_names:
            taken_names.add(name)
            return first + middle, last, name


def seed_people(rng, notes):
    """Create the people who are missing; return all of their ids, experts first."""
    missing = PEOPLE - Person.objects.count()
    if missing > 0:
        taken_slugs = set(Person.objects.values_list("slug", flat=True))
        taken_names = set(Person.objects.values_list("name", flat=True))
        expert_flags = [True] * min(EXPERTS, missing) + [False] * max(missing - EXPERTS, 0)
        rng.shuffle(expert_flags)
        people = [
            person_row(rng, *new_name(rng, taken_names), is_expert, taken_slugs) for is_expert in expert_flags
        ]
        bulk_create(Person, people)
        notes.append(f"{missing:,} people")
    return list(Person.objects.order_by("-is_expert", "pk").values_list("pk", flat=True))


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


def fellowship_row(rng, taken, taken_slugs):
    """Return a new Fellowship, or None when the name drawn is taken."""
    last = rng.choice(LAST_NAMES)
    family = rng.random() < 0.2
    honoree = f"{last} Family" if family else f"{rng.choice(FIRST_NAMES)} {last}"
    name = f"{honoree} Fellowship"
    if name in taken:
        return None
    taken.add(name)
    donor = f"The {last} Family Foundation" if family else honoree
    return Fellowship(
        name=name,
        slug=unique_slug(name, taken_slugs),
        holder_title=f"{honoree} Fellow",
        description=f"Endowed by {donor} to support research on {rng.choice(TOPIC_BASES)}.",
        donor=donor,
    )


def seed_fellowships(rng, notes):
    """Create the missing fellowships; return all of their ids."""
    missing = FELLOWSHIPS - Fellowship.objects.count()
    if missing > 0:
        taken_slugs = set(Fellowship.objects.values_list("slug", flat=True))
        taken = set(Fellowship.objects.values_list("name", flat=True))
        fellowships = []
        while len(fellowships) < missing:
            if fellowship := fellowship_row(rng, taken, taken_slugs):
                fellowships.append(fellowship)
        bulk_create(Fellowship, fellowships)
        notes.append(f"{missing:,} fellowships")
    return list(Fellowship.objects.values_list("pk", flat=True))


def appointments_of(rng, person_id, count, fellowships, today):
    """Return up to ``count`` successive appointments from a random start; the last may be current."""
    appointments = []
    start = datetime.date(1992, 1, 1) + datetime.timedelta(days=rng.randrange(30 * 365))
    for number in range(count):
        if start >= today:
            break
        end = start + datetime.timedelta(days=rng.randint(365, 8 * 365))
        if end >= today or (number == count - 1 and rng.random() < 0.45):
            end = None
        fellowship_id = rng.choice(fellowships)
        appointments.append(
            Appointment(person_id=person_id, fellowship_id=fellowship_id, start=start, end=end)
        )
        if end is None:
            break
        start = end + datetime.timedelta(days=rng.randint(1, 400))
    return appointments


def seed_appointments(rng, people, fellowships, notes):
    """Give experts (and 500 others) 1-3 successive appointments (once: none may exist yet)."""
    if Appointment.objects.exists():
        return
    today = timezone.localdate()
    appointments = []
    holders = people[:EXPERTS] + rng.sample(people[EXPERTS:], 500)
    for index, person_id in enumerate(holders):
        count = rng.choice((1, 1, 2, 2, 3)) if index < EXPERTS else 1
        appointments += appointments_of(rng, person_id, count, fellowships, today)
    Appointment.objects.bulk_create(appointments, batch_size=5_000)
    notes.append(f"{len(appointments):,} appointments")
