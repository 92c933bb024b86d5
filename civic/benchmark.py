"""What the benchmark (bench/) needs from the app, switched on by BENCHMARK=1 only.

- `baseline`: the smallest Django view, served through the same gunicorn,
  middleware and settings as every page, so results are ratios to it.
- `baseline_signed_in`: the same, once the session and the signed-in user
  are loaded: what being signed in costs before any page is built.
- `QueryCountMiddleware`: reports the number of SQL queries of a request in
  the `X-Query-Count` header.
"""

from django.db import connections
from django.http import HttpResponse


def baseline(request):
    return HttpResponse("ok", content_type="text/plain")


def baseline_signed_in(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
