"""The archive's word list, for "Did you mean ...?" (publications.search.words keeps it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """A word of the published archive and how many published pieces hold it.

    Counts move by the difference a save makes to one piece (never a rescan of the archive).
    Trigram-indexed on PostgreSQL (pg_trgm); on SQLite its trigrams are rows of SearchTrigram.
    """

    word = models.CharField(_("word"), max_length=40, primary_key=True)
    pieces = models.PositiveIntegerField(_("published pieces holding it"), default=0)
    trigrams = models.PositiveSmallIntegerField(_("number of trigrams"), default=0)

    class Meta:
        ordering = ("word",)
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return f"{self.word} ({self.pieces})"


class SearchTrigram(models.Model):
    """One trigram of a word, as pg_trgm draws them: the index SQLite looks close words up in."""

    trigram = models.CharField(_("trigram"), max_length=3)
    word = models.CharField(_("word"), max_length=40)

    class Meta:
        ordering = ("trigram", "word")
        verbose_name = _("search trigram")
        verbose_name_plural = _("search trigrams")
        constraints = [models.UniqueConstraint(fields=("trigram", "word"), name="search_trigram_unique")]

    def __str__(self):
        return f"{self.trigram} · {self.word}"


class SearchPieceWords(models.Model):
    """The words one piece counts for in SearchWord: what to take back when it changes or goes."""

    publication_id = models.PositiveBigIntegerField(_("piece"), primary_key=True)
    words = models.TextField(_("words"), blank=True)

    class Meta:
        ordering = ("publication_id",)
        verbose_name = _("piece's search words")
        verbose_name_plural = _("pieces' search words")

    def __str__(self):
        return str(self.publication_id)
