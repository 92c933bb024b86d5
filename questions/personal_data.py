"""What questions hold about a member, for the export and the erasure (members.personal_data).

Registered from QuestionsConfig.ready(). A question is a public contribution,
handled like a comment: at erasure it stays, credited to the anonymised account,
so the official answer keeps its sense; the details the member typed are emptied
(they may describe their own situation). Follows are deleted. Answers and
history lines written by agents stay on the anonymised account (a record of the
authority's work).
"""

from django.utils.translation import gettext_lazy as _

from members.personal_data import PersonalData, iso, register


@register
class Questions(PersonalData):
    identifier = "town_hall_questions"
    verbose_name = _("Questions to the town hall")
    covers = ("questions.Question.asker", "questions.QuestionFollow.user")

    def export_data(self, member):
        from questions.models import Question, QuestionFollow

        asked = Question.objects.filter(asker=member.user_id).select_related("page", "service").order_by("created_at")
        return {
            "asked": [
                {
                    "id": question.pk,
                    "question": question.title,
                    "details": question.body,
                    "page": question.page.title,
                    "status": question.status,
                    "service": question.service.name if question.service else None,
                    "asked_at": iso(question.created_at),
                    "answered_at": iso(question.answered_at),
                }
                for question in asked
            ],
            "followed": list(
                QuestionFollow.objects.filter(user=member.user_id).order_by("pk").values_list("question_id", flat=True)
            ),
        }

    def erase(self, member):
        from questions.models import Question, QuestionEvent, QuestionFollow

        QuestionFollow.objects.filter(user=member.user_id).delete()
        QuestionEvent.objects.filter(question__asker=member.user_id, kind=QuestionEvent.Kind.DETAILS_GIVEN).update(
            note=""
        )
        return Question.objects.filter(asker=member.user_id).update(body="")


@register
class QuestionWork(PersonalData):
    identifier = "town_hall_answers"
    verbose_name = _("Answers and steps taken on questions to the town hall")
    covers = ("questions.Answer.author", "questions.Answer.validator", "questions.QuestionEvent.actor")

    def export_data(self, member):
        from django.db.models import Q

        from questions.models import Answer, QuestionEvent

        answers = Answer.objects.filter(Q(author=member.user_id) | Q(validator=member.user_id)).order_by("pk")
        return {
            "answers": [
                {
                    "question": answer.question_id,
                    "answer": answer.body,
                    "state": answer.state,
                    "written": answer.author_id == member.user_id,
                    "approved": answer.validator_id == member.user_id,
                    "published_at": iso(answer.published_at),
                }
                for answer in answers
            ],
            "steps": [
                {"question": event.question_id, "what": event.kind, "when": iso(event.occurred_at)}
                for event in QuestionEvent.objects.filter(actor=member.user_id).order_by("occurred_at", "pk")
            ],
        }

    def erase(self, member):
        return 0  # kept on the anonymised account: the record of the authority's answers
