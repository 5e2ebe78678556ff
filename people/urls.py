from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("experts/", views.ExpertListView.as_view(), name="experts"),
    path("fellowships/", views.FellowshipListView.as_view(), name="fellowships"),
    path("fellowships/<slug:slug>/", views.FellowshipDetailView.as_view(), name="fellowship"),
]
