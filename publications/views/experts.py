from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from core.purge import show
from people.models import Person

from ..expertise import expertise_links
from .base import PublishedMixin


class ExpertDetailView(PublishedMixin, ListView):
    """A person's page: bio, fellowships over time, and their published pieces."""

    template_name = "publications/expert_detail.html"
    extra_context = {"nav": "experts"}
    context_object_name = "publications"
    paginate_by = settings.PUBLICATIONS_PER_PAGE

    def get_queryset(self):
        self.person = get_object_or_404(Person.objects.with_appointments(), slug=self.kwargs["slug"])
        show(f"list-person-{self.person.pk}")
        return self.published().filter(authorships__person=self.person).with_cards().newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, expertise=expertise_links(self.person), **kwargs)
