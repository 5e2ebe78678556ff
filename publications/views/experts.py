from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from people.models import Person


class ExpertDetailView(ListView):
    """A person's page: bio, fellowships over time, and their published pieces."""

    template_name = "publications/expert_detail.html"
    extra_context = {"nav": "experts"}
    context_object_name = "publications"
    paginate_by = settings.PUBLICATIONS_PER_PAGE

    def get_queryset(self):
        self.person = get_object_or_404(Person.objects.with_appointments(), slug=self.kwargs["slug"])
        # The related manager carries Publication's own queryset, so the public gate applies.
        return self.person.publications.published().with_cards().newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)
