"""Self-check quizzes: multiple-choice questions with feedback that explains the answer.

A quiz is a YAML document in ``data/course/`` (model :class:`ovop_course.schemas.Quiz`). The
score is the number of questions answered correctly; unanswered questions count as not yet
correct. Saving stores the score (and the best score so far) in the trainee's workbook; with no
question answered it is refused, with a message saying to answer first.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..data import load_document
from ..errors import OvopError
from ..i18n import t
from ..workbook import QuizRecord
from ._base import Tool
from ._registry import register
from ._shared import html, radio_buttons, vbox


@dataclass(frozen=True)
class QuizResult:
    """Answers given (question id → option index or None) and how many are correct."""

    answers: dict[str, int | None]
    correct: dict[str, bool]

    @property
    def score(self) -> int:
        return sum(self.correct.values())

    @property
    def answered(self) -> int:
        return sum(a is not None for a in self.answers.values())

    @property
    def total(self) -> int:
        return len(self.answers)


class QuizTool(Tool):
    """A quiz from the YAML document named by ``document``."""

    document: str = ""

    def __init__(self, workbook_path=None):
        self.quiz = load_document(self.document)
        self.questions = {q.id: q for q in self.quiz.questions}
        self.feedback = {q.id: html().add_class("ovop-feedback")
                         for q in self.quiz.questions}
        super().__init__(workbook_path)

    @property
    def title(self) -> str:  # the quiz's own title
        return self.quiz.title

    def build_controls(self):
        return {
            q.id: radio_buttons([(option, i) for i, option in enumerate(q.options)],
                                width="auto").add_class("ovop-quiz-options")
            for q in self.quiz.questions
        }

    def layout(self):
        blocks = [
            vbox([
                html(f"<b>{n}. {escape(q.text)}</b>"), self.controls[q.id],
                self.feedback[q.id],
            ]).add_class("ovop-quiz-question")
            for n, q in enumerate(self.quiz.questions, start=1)
        ]
        return [self.heading(), *blocks, self.message,
                self.output, self._save_button()]

    def label(self, key: str) -> str:
        return t("concept_quiz.question", number=list(self.questions).index(key) + 1)

    def compute(self, **answers):
        correct = {}
        for qid, answer in answers.items():
            question = self.questions[qid]
            if answer is not None and answer not in range(len(question.options)):
                raise OvopError(t("concept_quiz.bad_answer", number=self.label(qid),
                                  count=len(question.options)))
            correct[qid] = answer == question.correct
        return QuizResult(answers=dict(answers), correct=correct)

    def render(self, result: QuizResult):
        for qid, answer in result.answers.items():
            self.feedback[qid].value = self._feedback_html(qid, answer)
        summary = t("concept_quiz.score", score=result.score, total=result.total,
                    answered=result.answered)
        return [html(f"<p><b>{summary}</b></p>").add_class("ovop-quiz-score")]

    def _feedback_html(self, qid: str, answer: int | None) -> str:
        if answer is None:
            return ""
        question = self.questions[qid]
        if answer == question.correct:
            head, colour = t("concept_quiz.right"), "#1B7F3B"
        else:
            right = question.options[question.correct]
            head, colour = t("concept_quiz.wrong", right=escape(right)), "#B00020"
        return (f'<div style="color:{colour};line-height:1.45"><b>{head}</b> '
                f"{escape(question.explanation)}</div>")

    @property
    def section(self) -> str:
        """A quiz is saved under its own name among the workbook's quizzes."""
        return f"quizzes.{self.name}"

    def to_section(self, result: QuizResult, saved: QuizRecord | None) -> QuizRecord:
        """The score of this attempt, and the best score so far (OvopError while no question
        is answered: a score of 0 then says nothing about the trainee)."""
        if result.answered == 0:
            raise OvopError(t("concept_quiz.nothing_answered"))
        best = max(result.score, saved.best) if saved else result.score
        return QuizRecord(score=result.score, total=result.total, best=best)


@register
class ConceptQuiz(QuizTool):
    """Module 1: the OVOP concept."""

    name = "concept_quiz"
    document = "course/quiz_concept"
