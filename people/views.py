from django.conf import settings
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, ListView

from .models import Appointment, Fellowship, Person


class ExpertListView(ListView):
    template_name = "people/person_list.html"
    extra_context = {"nav": "experts"}
    context_object_name = "experts"

    def get_queryset(self):
        return Person.objects.experts().with_appointments()


class ExpertDetailView(ListView):
    """A person's page: bio, fellowships over time, and their published pieces."""

    template_name = "people/person_detail.html"
    extra_context = {"nav": "experts"}
    context_object_name = "publications"
    paginate_by = settings.PUBLICATIONS_PER_PAGE

    def get_queryset(self):
        self.person = get_object_or_404(Person.objects.with_appointments(), slug=self.kwargs["slug"])
        # The related manager carries Publication's own queryset, so the public gate applies.
        return self.person.publications.published().with_cards().newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


class FellowshipListView(ListView):
    template_name = "people/fellowship_list.html"
    extra_context = {"nav": "fellowships"}
    context_object_name = "fellowships"

    def get_queryset(self):
        today = timezone.localdate()
        current = Appointment.objects.filter(Q(end__isnull=True) | Q(end__gte=today), start__lte=today)
        return Fellowship.objects.prefetch_related(
            Prefetch(
                "appointments",
                queryset=current.select_related("person"),
                to_attr="current_appointments",
            )
        )


class FellowshipDetailView(DetailView):
    template_name = "people/fellowship_detail.html"
    extra_context = {"nav": "fellowships"}
    context_object_name = "fellowship"

    def get_queryset(self):
        return Fellowship.objects.prefetch_related(
            Prefetch("appointments", queryset=Appointment.objects.select_related("person").order_by("-start"))
        )
