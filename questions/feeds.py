"""Atom feeds of new official answers, per commune and per service (private pages left out)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from questions.models import Answer, Service
from wiki import markup, territory

FEED_LENGTH = 50


def published_answers():
    """Published answers on pages visible to everyone (a feed is public), newest first."""
    from members import visibility

    answers = Answer.objects.filter(state=Answer.State.PUBLISHED).select_related("question", "service")
    return visibility.visible(answers, None, page_field="question__page").order_by("-published_at", "-pk")


class _AnswersFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, answer):
        return _("%(service)s answers: %(title)s") % {"service": answer.service.name, "title": answer.question.title}

    def item_description(self, answer):
        return markup.render(answer.body)

    def item_link(self, answer):
        return reverse("questions:detail", args=[answer.question_id])

    def item_pubdate(self, answer):
        return answer.published_at

    def item_updateddate(self, answer):
        return answer.published_at

    def item_author_name(self, answer):
        return answer.service.name


class CommuneAnswersFeed(_AnswersFeed):
    def get_object(self, request, slug):
        commune = territory.commune_from(slug)
        if commune is None:
            raise Http404
        return commune

    def title(self, commune):
        return _("Answers of the town hall in %(commune)s · Quartiers") % {"commune": commune.title}

    def link(self, commune):
        return f"{reverse('questions:index')}?commune={commune.slug}"

    def items(self, commune):
        return list(published_answers().filter(question__commune=commune)[:FEED_LENGTH])


class ServiceAnswersFeed(_AnswersFeed):
    def get_object(self, request, service_id):
        return get_object_or_404(Service, pk=service_id)

    def title(self, service):
        return _("Answers of the service %(service)s · Quartiers") % {"service": service.name}

    def link(self, service):
        return reverse("questions:service", args=[service.pk])

    def items(self, service):
        return list(published_answers().filter(service=service)[:FEED_LENGTH])
