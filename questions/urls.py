from django.urls import path

from questions import feeds, views

app_name = "questions"

urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("queue/", views.qualification_queue, name="queue"),
    path("services/", views.services_record, name="services"),
    path("services/<id:service_id>/", views.service_detail, name="service"),
    path("services/<id:service_id>/queue/", views.service_queue, name="service-queue"),
    path("services/<id:service_id>/feed/", feeds.ServiceAnswersFeed(), name="service-feed"),
    path("communes/<str:slug>/feed/", feeds.CommuneAnswersFeed(), name="commune-feed"),
    path("<id:question_id>/", views.detail, name="detail"),
    path("<id:question_id>/route/", views.route, name="route"),
    path("<id:question_id>/merge/", views.merge, name="merge"),
    path("<id:question_id>/request-details/", views.request_details, name="request-details"),
    path("<id:question_id>/details/", views.give_details, name="give-details"),
    path("<id:question_id>/decline/", views.decline, name="decline"),
    path("<id:question_id>/close/", views.close, name="close"),
    path("<id:question_id>/answer/", views.answer, name="answer"),
    path("<id:question_id>/validate/", views.validate, name="validate"),
    path("<id:question_id>/add-to-wiki/", views.add_to_wiki, name="add-to-wiki"),
    path("<id:question_id>/out-of-date/", views.out_of_date, name="out-of-date"),
    path("<id:question_id>/follow/", views.follow, name="follow"),
    path("<id:question_id>/unfollow/", views.unfollow, name="unfollow"),
]
