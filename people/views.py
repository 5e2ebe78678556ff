from django.db.models import Prefetch, Q
from django.utils import timezone
from django.views.generic import DetailView, ListView

from core.purge import show

from .models import Appointment, Fellowship, Person


class ExpertListView(ListView):
    template_name = "people/person_list.html"
    extra_context = {"nav": "experts"}
    context_object_name = "experts"

    def get_queryset(self):
        show("person")  # who has published, and their current titles
        return Person.objects.experts().with_appointments()


class FellowshipListView(ListView):
    template_name = "people/fellowship_list.html"
    extra_context = {"nav": "fellowships"}
    context_object_name = "fellowships"

    def get_queryset(self):
        show("fellowship", "person")
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
