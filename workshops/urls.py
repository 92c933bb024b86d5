"""Workshop URLs outside the page tree (RSVP links, private calendar feeds)."""

from django.urls import path

from workshops import views

app_name = "workshops"

urlpatterns = [
    path("calendar/", views.my_calendar, name="my-calendar"),
    path("invite/", views.choose_workshop, name="choose-workshop"),
    path("calendar/<str:secret>.ics", views.member_calendar, name="member-calendar"),
    path("withdraw/<str:signed>/", views.withdraw_consent, name="withdraw-consent"),
    path("<str:token>/accept/", views.rsvp_view, {"accept": True}, name="rsvp-accept"),
    path("<str:token>/decline/", views.rsvp_view, {"accept": False}, name="rsvp-decline"),
]
