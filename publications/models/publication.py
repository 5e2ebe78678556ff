"""A piece of analysis and its byline."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from core.keys import SlugKeyed, SlugKeyQuerySet
from core.purge import ShownOnPages
from core.text import CleanTextMixin
from core.uploads import media_url, validate_image, validate_pdf
from people.models import Person

from ..reading import reading_minutes
from ..sanitize import require_image_descriptions, sanitize_html
from .taxonomy import PublicationType

SECTION_NAME = _("Policy Analysis")

# What the body's rich-text editor offers; the model's own allow-list sanitizer (sanitize.py)
# cleans every save whatever the source.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # The figure button opens the media library (static/js/admin-media-library.js).
    "Figure": {"libraryUrl": reverse_lazy("admin:publications_libraryimage_library")},
    "Caption": True,
    "Image": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}


class PublicationQuerySet(SlugKeyQuerySet):
    """The one vocabulary every public view, feed, sitemap and count starts from."""

    def published(self):
        """Return what readers may see: published, with a publish time that has come.

        The single gate for every public page, listing, count, feed and sitemap.
        """
        return self.filter(status=Publication.Status.PUBLISHED, publish_at__lte=timezone.now())

    def visible_to(self, user):
        """What this user may open: what readers may, and the pieces the user may preview.

        The queryset form of ``rules.can_view_unpublished``: editors preview every piece,
        contributors the ones they wrote.
        """
        from .. import rules

        may_preview = user.is_active and user.is_staff and user.has_perm("publications.view_publication")
        if not may_preview:
            return self.published()
        if rules.can_publish(user):
            return self.all()
        return self.filter(
            Q(status=Publication.Status.PUBLISHED, publish_at__lte=timezone.now()) | Q(created_by=user)
        )

    def with_cards(self):
        """Fetch what a card shows (type, authors in byline order) in a fixed number of queries."""
        return self.select_related("type").prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.select_related("person"))
        )

    def with_terms(self):
        """Also fetch the topics, regions and tags a piece's page or feed entry lists."""
        return self.prefetch_related("topics", "regions", "tags")

    def newest_first(self):
        return self.order_by("-publish_at", "-pk")


class ReadRelationsMixin:
    """Validate a foreign key without a query when its row was just read (a form's choice)."""

    def clean_fields(self, exclude=None):
        read = {
            f.name for f in self._meta.concrete_fields if f.is_relation and f.name in self._state.fields_cache
        }
        super().clean_fields({*(exclude or ()), *read})


class Publication(ShownOnPages, SlugKeyed, ReadRelationsMixin, CleanTextMixin, models.Model):
    page_key = "piece"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"), max_length=300, unique=True, help_text=_("The last part of the piece's address.")
    )
    type = models.ForeignKey(
        PublicationType,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("type"),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("The dek: one or two sentences shown under the title and in lists."),
    )
    body = ProseEditorField(
        _("body"),
        blank=True,
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=sanitize_html,
        validators=[require_image_descriptions],  # a form error, before the sanitizer drops the image
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("A published piece goes public at this time; a future time schedules it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("The staff member who started the piece; contributors may edit only their own."),
    )
    search_vector = SearchVectorField(null=True, editable=False)
    edit_count = models.PositiveIntegerField(
        _("edit count"),
        default=0,
        editable=False,
        help_text=_("Goes up with every save, so a second editor's stale save is refused."),
    )
    outlet_name = models.CharField(
        _("originally published in"),
        max_length=200,
        blank=True,
        help_text=_("For op-eds: the outlet that first ran the piece."),
    )
    outlet_url = models.URLField(_("outlet link"), max_length=500, blank=True)
    outlet_date = models.DateField(_("outlet date"), null=True, blank=True)
    pdf = models.FileField(
        _("PDF"),
        upload_to="publications/pdf/",
        blank=True,
        db_index=True,  # a file is served after looking up the piece it belongs to (config/media.py)
        validators=[validate_pdf],
        help_text=_("The PDF edition, if there is one."),
    )
    image = models.ImageField(
        _("image"),
        upload_to="publications/images/",
        blank=True,
        db_index=True,
        validators=[validate_image],
        help_text=_("JPEG, PNG, WebP or GIF."),
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("Alt text read to screen-reader users."),
    )
    image_credit = models.CharField(
        _("image credit"),
        max_length=300,
        blank=True,
        help_text=_(
            "Shown under the image: its source or maker, e.g. “Photo: Reuters” or “Map: the Institute”."
        ),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    is_featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown at the top of the home page.")
    )
    is_sample = models.BooleanField(
        _("sample content"), default=False, help_text=_("Written for the demo, not real analysis.")
    )
    authors = models.ManyToManyField(
        Person, through="Authorship", related_name="publications", verbose_name=_("authors")
    )
    topics = TaggableManager(
        verbose_name=_("topics"), through="TaggedTopic", blank=True, related_name="publications"
    )
    regions = TaggableManager(
        verbose_name=_("regions"), through="TaggedRegion", blank=True, related_name="publications"
    )
    tags = TaggableManager(
        verbose_name=_("tags"),
        through="TaggedTag",
        blank=True,
        related_name="publications",
        help_text=_("Free tags, separated by commas."),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ("-publish_at", "-pk")
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        permissions = [
            ("publish_publication", _("Can publish, schedule, unpublish and archive pieces")),
        ]
        indexes = [
            # The public listing: newest published first, paged deep (EXPLAIN in docs/performance.md).
            models.Index(
                fields=["-publish_at", "-id"],
                condition=Q(status="published"),
                name="publication_public_newest",
            ),
            # The sitemap's lastmod: the latest change to a published piece, without a scan.
            models.Index(
                fields=["-updated_at"],
                condition=Q(status="published"),
                name="publication_public_updated",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="publication_published_has_publish_time",
                violation_error_message=_("A published piece needs a publish time."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # What holds for every row, whoever writes it. Everything else a save implies (the
        # byline, old addresses, bio lines, the search vector, the version) is the services'.
        self.body = sanitize_html(self.body)
        self.edit_count += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "edit_count", "body", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("publications:detail", kwargs={"slug": self.slug})

    def get_short_url(self):
        return reverse("publications:short", kwargs={"pk": self.pk})

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and not self.is_public

    @property
    def display_status(self):
        """Return the status as editors think of it: a future published piece is "Scheduled"."""
        return _("Scheduled") if self.is_scheduled else self.get_status_display()

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def publish_date(self):
        return timezone.localdate(self.publish_at) if self.publish_at else None

    @property
    def ordered_authorships(self):
        """Return authorships in byline order (uses the prefetch when present)."""
        return sorted(self.authorships.all(), key=lambda a: (a.position, a.pk or 0))

    @property
    def reading_minutes(self):
        """Return the body's reading time in minutes (230 words a minute), for "6 min read"."""
        return reading_minutes(self.body)

    @property
    def pdf_url(self):
        """Return the PDF's address, or None when there is none or its stored name is not safe."""
        return media_url(self.pdf)

    @property
    def image_url(self):
        """Return the image's address, or None when there is none or its stored name is not safe."""
        return media_url(self.image)


class AuthorshipManager(models.Manager):
    def get_by_natural_key(self, publication, person):
        """Find an authorship by its piece's slug and its author's."""
        return self.get(publication__slug=publication, person__slug=person)


class Authorship(ReadRelationsMixin, CleanTextMixin, models.Model):
    """One author of a piece, in byline order, with the bio line as it stood when published."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="authorships", verbose_name=_("publication")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="authorships", verbose_name=_("author")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    bio_line = models.CharField(
        _("bio line"),
        max_length=500,
        blank=True,
        help_text=_(
            "Printed under the piece. Left empty, it is drafted when the piece is published, from "
            "the author's fellowship on the publish date; later title changes do not rewrite it. "
            "Clear it to draft it again."
        ),
    )

    objects = AuthorshipManager()

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.UniqueConstraint(
                fields=("publication", "person"),
                name="authorship_unique_person",
                violation_error_message=_("This person is already an author of this piece."),
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.publication}"

    def natural_key(self):
        return (*self.publication.natural_key(), *self.person.natural_key())

    natural_key.dependencies = ["publications.publication", "people.person"]

    @property
    def display_bio_line(self):
        """Return the stored bio line, or for a piece not yet published, the one it would get."""
        return self.bio_line or self.person.bio_line_on(self.publication.publish_date)
