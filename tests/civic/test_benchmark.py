"""civic.benchmark: the baseline views and the query counter that bench/run.py reads."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from civic.benchmark import QueryCountMiddleware, baseline, baseline_signed_in


def test_the_baselines_answer_a_short_text():
    request = RequestFactory().get("/_baseline/")
    assert baseline(request).content == b"ok"
    request.user = AnonymousUser()
    assert baseline_signed_in(request).content == b"ok None"


@pytest.mark.django_db
def test_the_query_count_header_counts_the_queries_of_the_request(resident):
    from django.contrib.auth import get_user_model

    def view(request):
        get_user_model().objects.filter(pk=resident.pk).exists()
        get_user_model().objects.count()
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Query-Count"] == "2"
