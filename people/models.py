import datetime

import reversion
from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.keys import SlugKeyed, SlugKeyQuerySet
from core.purge import ShownOnPages
from core.text import CleanTextMixin
from core.uploads import media_url, validate_image

# Letters whose names start with a vowel sound ("an MBA": em-bee-ay; "a UN": you-en).
VOWEL_SOUND_LETTERS = frozenset("AEFHILMNORSX")


def indefinite_article(phrase):
    """Return "an" before a vowel sound, "a" otherwise, for the first word of ``phrase``.

    A guess: "a European Fellow", "an Honorary Fellow", "a Hong Kong Fellow", "an MBA Fellow"
    (an acronym is read letter by letter). A fellowship's ``bio_title`` overrides it.
    """
    words = phrase.split()
    if not words:
        return "a"
    first = words[0]
    letters = "".join(c for c in first if c.isalpha())
    shouted = phrase.isupper() and len(words) > 1  # "SENIOR FELLOW" is no acronym
    if len(letters) >= 2 and letters.isupper() and not shouted:
        return "an" if letters[0] in VOWEL_SOUND_LETTERS else "a"
    lower = first.lower()
    if lower.startswith(("eu", "uk", "uni", "use", "usu", "u.", "one")):
        return "a"
    if lower.startswith(("hono", "honest", "hour", "heir")):
        return "an"
    return "an" if lower[:1] in "aeiou" else "a"


class PersonQuerySet(SlugKeyQuerySet):
    def experts(self):
        return self.filter(is_expert=True)

    def with_appointments(self):
        """Prefetch appointments with their fellowships, newest first."""
        return self.prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("fellowship").order_by("-start"),
            )
        )


class AppointmentManager(models.Manager):
    def get_by_natural_key(self, person, fellowship, start):
        """Find an appointment by its person's and fellowship's slugs and its start (YYYY-MM-DD)."""
        return self.get(person__slug=person, fellowship__slug=fellowship, start=start)


def bio_line(name, title, phrase=""):
    """Return "<name> is <phrase> at <institution>.", the one bio line every writer uses.

    ``phrase`` is the title with its article ("an Ira Weiner Fellow"), when a fellowship stores
    one; otherwise the article before ``title`` is guessed. No title, no bio line.
    """
    phrase = phrase or (f"{indefinite_article(title)} {title}" if title else "")
    return f"{name} is {phrase} at {settings.INSTITUTION_NAME}." if phrase else ""


class SampleProfile(models.TextChoices):
    """Whether a profile was written for the demo, and about whom: each says so on its page."""

    NONE = "", _("No: the person's own profile")
    FICTIONAL = "fictional", _("Fictional person written for the demo")
    REAL_AUTHOR = "real-author", _("Real author; profile summarized for the demo")


class Person(ShownOnPages, SlugKeyed, CleanTextMixin, models.Model):
    page_key = "person"

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("The last part of the page address.")
    )
    sort_name = models.CharField(
        _("sort name"),
        max_length=200,
        help_text=_('How the name is alphabetized, e.g. "Borshchevskaya, Anna".'),
    )
    job_title = models.CharField(
        _("job title"),
        max_length=300,
        blank=True,
        help_text=_("Shown under the name, e.g. “Senior Fellow, Military and Security Studies”."),
    )
    short_bio = models.CharField(
        _("short bio"), max_length=500, blank=True, help_text=_("One sentence for lists and cards.")
    )
    long_bio = models.TextField(
        _("long bio"),
        blank=True,
        help_text=_("The biography on the expert page. Blank lines separate paragraphs."),
    )
    photo = models.ImageField(
        _("photo"),
        upload_to="people/",
        blank=True,
        db_index=True,  # a file is served after looking up what it belongs to (config/media.py)
        validators=[validate_image],
        help_text=_("JPEG, PNG, WebP or GIF."),
    )
    photo_credit = models.CharField(
        _("photo credit"),
        max_length=300,
        blank=True,
        help_text=_("Shown with the photo: who took or drew it, e.g. “Photo: Jane Doe”."),
    )
    expertise = models.CharField(
        _("expertise"), max_length=500, blank=True, help_text=_("Comma-separated areas of expertise.")
    )
    is_expert = models.BooleanField(
        _("listed as an expert"),
        default=False,
        help_text=_("Listed on the Experts page. Unlisted people still have a page for their bylines."),
    )
    email = models.EmailField(
        _("public email"),
        blank=True,
        help_text=_(
            "Shown on the expert page for readers and journalists. Leave empty to show only the "
            "institution's media contact."
        ),
    )
    sample_profile = models.CharField(
        _("sample profile"),
        max_length=20,
        choices=SampleProfile.choices,
        default=SampleProfile.NONE,
        blank=True,
        help_text=_("Demo content only: the page then says the profile was written for the demo."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ("sort_name", "name")
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    @property
    def is_sample(self):
        return self.sample_profile != SampleProfile.NONE

    @property
    def is_fictional(self):
        return self.sample_profile == SampleProfile.FICTIONAL

    @property
    def expertise_list(self):
        return [item.strip() for item in self.expertise.split(",") if item.strip()]

    @property
    def photo_url(self):
        """Return the photo's address, or None when there is none or its stored name is not safe."""
        return media_url(self.photo)

    def appointment_on(self, day):
        """Return the appointment held on ``day`` (latest start first), or None.

        Works from prefetched appointments when they are there, so a list of people costs no
        query per person.
        """
        held = [a for a in self.appointments.all() if a.covers(day)]
        return max(held, key=lambda a: a.start, default=None)

    def bio_line_on(self, day=None):
        """Return the bio line as it stands on ``day``, e.g. "X is an Ira Weiner Fellow at ..."."""
        day = day or timezone.localdate()
        appointment = self.appointment_on(day)
        if appointment:
            return bio_line(self.name, appointment.fellowship.holder_title, appointment.fellowship.bio_title)
        return bio_line(self.name, self.job_title)

    @property
    def current_appointments(self):
        today = timezone.localdate()
        return [a for a in self.appointments.all() if a.covers(today)]

    @property
    def past_appointments(self):
        today = timezone.localdate()
        return [a for a in self.appointments.all() if a.end is not None and a.end < today]


class Fellowship(ShownOnPages, SlugKeyed, CleanTextMixin, models.Model):
    page_key = "fellowship"

    name = models.CharField(
        _("name"), max_length=200, unique=True, help_text=_("e.g. “Ira Weiner Fellowship”.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    holder_title = models.CharField(
        _("holder's title"),
        max_length=200,
        help_text=_("How a holder is styled in bio lines, e.g. “Ira Weiner Fellow”."),
    )
    bio_title = models.CharField(
        _("title in bio lines"),
        max_length=200,
        blank=True,
        help_text=_(
            "The phrase after “is” in a holder's bio line, with its article: “an Ira Weiner Fellow”. "
            "Leave empty to have the article guessed from the holder's title."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    donor = models.CharField(
        _("donor"), max_length=200, blank=True, help_text=_("Who endowed it, if anyone.")
    )

    objects = SlugKeyQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = _("fellowship")
        verbose_name_plural = _("fellowships")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:fellowship", kwargs={"slug": self.slug})


class Appointment(models.Model):
    """Who held which fellowship when. Ended appointments are kept as history."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("person")
    )
    fellowship = models.ForeignKey(
        Fellowship, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("fellowship")
    )
    start = models.DateField(_("start"))
    end = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Leave empty while the appointment is current.")
    )

    objects = AppointmentManager()

    class Meta:
        ordering = ("-start",)
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__lt=F("end")),
                name="appointment_starts_before_it_ends",
                violation_error_message=_("An appointment must start before it ends."),
            ),
            models.UniqueConstraint(
                fields=("person", "fellowship", "start"),
                name="appointment_unique_start",
                violation_error_message=_("This person already has this fellowship from that date."),
            ),
        ]

    def __str__(self):
        end = self.end.isoformat() if self.end else _("present")
        return f"{self.person} · {self.fellowship} ({self.start.isoformat()}–{end})"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def natural_key(self):
        return (*self.person.natural_key(), *self.fellowship.natural_key(), self.start.isoformat())

    natural_key.dependencies = ["people.person", "people.fellowship"]

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


reversion.register(Appointment)
reversion.register(Person, follow=("appointments",))
reversion.register(Fellowship)
