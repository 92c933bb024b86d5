"""Each service's public record, computed in the database in two queries whatever the number of questions.

- answered: questions with a published answer (their working days to answer are stored at publication);
- median working days to answer: the middle row(s) of each service, found by window functions;
- share answered within the target: answered within the service's target working days;
- open and overdue: questions waiting for qualification details or for the service, and those past their deadline.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from questions import workdays
from questions.models import Question, Service

Status = Question.Status


@dataclass
class Record:
    service: Service
    answered: int
    within_target: int
    open: int
    overdue: int
    median_days: float | None

    @property
    def share_within_target(self):
        """Percentage (0-100) of answered questions answered within the target, None before the first answer."""
        return round(100 * self.within_target / self.answered) if self.answered else None


def _counts(services, today):
    answered = Q(questions__working_days_taken__isnull=False)
    return services.annotate(
        answered_count=Count("questions", filter=answered),
        within_count=Count("questions", filter=answered & Q(questions__working_days_taken__lte=F("target_days"))),
        open_count=Count("questions", filter=Q(questions__status__in=Question.OPEN_STATUSES)),
        overdue_count=Count("questions", filter=Q(questions__status=Status.ROUTED, questions__deadline__lt=today)),
    )


def medians(service_ids=None):
    """{service id: median working days to answer}: one query, the middle one or two rows per service."""
    rows = Question.objects.filter(working_days_taken__isnull=False, service__isnull=False)
    if service_ids is not None:
        rows = rows.filter(service_id__in=service_ids)
    rows = rows.annotate(
        rank=Window(
            RowNumber(), partition_by=[F("service_id")], order_by=[F("working_days_taken").asc(), F("pk").asc()]
        ),
        total=Window(Count("pk"), partition_by=[F("service_id")]),
    ).filter(rank__gte=(F("total") + 1) / 2, rank__lte=(F("total") + 2) / 2)
    middle = defaultdict(list)
    for service_id, days in rows.values_list("service_id", "working_days_taken"):
        middle[service_id].append(days)
    return {service_id: sum(values) / len(values) for service_id, values in middle.items()}


def records(services=None, *, today=None):
    """The record of each service of `services` (all by default), by name: two queries."""
    today = today or workdays.today()
    services = list(_counts(services if services is not None else Service.objects.all(), today).order_by("name"))
    middle = medians([service.pk for service in services])
    return [
        Record(
            service=service,
            answered=service.answered_count,
            within_target=service.within_count,
            open=service.open_count,
            overdue=service.overdue_count,
            median_days=middle.get(service.pk),
        )
        for service in services
    ]
