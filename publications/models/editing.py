"""What editing keeps beside a piece: autosaved forms, versions' bylines, old addresses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .publication import Publication


class Autosave(models.Model):
    """A private copy of an open form, kept while an editor types; the piece is not touched."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    fields = models.JSONField(_("form fields"), default=dict)
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        ordering = ("-saved_at",)
        verbose_name = _("autosaved draft")
        verbose_name_plural = _("autosaved drafts")
        constraints = [
            models.UniqueConstraint(fields=("user", "publication"), name="autosave_one_per_form"),
        ]

    def __str__(self):
        return f"{self.user} · {self.publication or _('new piece')}"


class VersionContent(models.Model):
    """A piece's byline and terms as a version holds them, kept with the version's revision.

    One row per piece per revision (the last one written wins when a request saves twice), so a
    version is written in one insert rather than one version row per author and term.
    Versions kept before this existed hold their byline and terms as rows of their own.
    """

    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.CASCADE, related_name="publication_contents"
    )
    publication_id = models.PositiveBigIntegerField(_("piece"), db_index=True)
    state = models.JSONField(_("authors and terms"))

    class Meta:
        verbose_name = _("version's authors and terms")
        verbose_name_plural = _("versions' authors and terms")

    def __str__(self):
        return f"{self.publication_id} · {self.revision_id}"


class SlugRedirectManager(models.Manager):
    def get_by_natural_key(self, old_slug):
        return self.get(old_slug=old_slug)


class SlugRedirect(models.Model):
    """An address a piece had before its slug changed; it redirects to the current one."""

    old_slug = models.SlugField(_("old slug"), max_length=300, unique=True)
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="slug_redirects", verbose_name=_("publication")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlugRedirectManager()

    class Meta:
        ordering = ("old_slug",)
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return f"{self.old_slug} → {self.publication.slug}"

    def get_absolute_url(self):
        return self.publication.get_absolute_url()

    def natural_key(self):
        return (self.old_slug,)
