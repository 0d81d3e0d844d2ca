"""Module 1 in JupyterLab: Run All works without errors and the concept quiz answers clicks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ovop_course.data import load_document
from ovop_course.i18n import t

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/01_concept.ipynb"


def test_module01_runs_and_quiz_gives_feedback(lab):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    quiz = load_document("course/quiz_concept")
    first, total = quiz.questions[0], len(quiz.questions)
    wrong = next(i for i in range(len(first.options)) if i != first.correct)

    lab.open_and_run(NOTEBOOK, workspace="module01")

    tool = lab.page.locator(".ovop-tool.ovop-tool-concept_quiz")
    expect(tool).to_be_visible()
    question = tool.locator(".ovop-quiz-question").first
    options = question.locator(".ovop-quiz-options input[type=radio]")
    feedback = question.locator(".ovop-feedback")
    score = tool.locator(".ovop-quiz-score")
    expect(options).to_have_count(len(first.options))
    expect(score).to_have_text(t("concept_quiz.score", score=0, total=total, answered=0))
    expect(feedback).to_have_text("")

    options.nth(wrong).click()
    expect(feedback).to_contain_text(t("concept_quiz.wrong", right=first.options[first.correct]))
    expect(score).to_have_text(t("concept_quiz.score", score=0, total=total, answered=1))

    options.nth(first.correct).click()
    expect(feedback).to_contain_text(t("concept_quiz.right"))
    expect(feedback).to_contain_text(first.explanation[:40])
    expect(score).to_have_text(t("concept_quiz.score", score=1, total=total, answered=1))
    tool.scroll_into_view_if_needed()
    lab.screenshot("module01-notebook")
    lab.screenshot("module01-quiz", tool)

    assert lab.failures() == [], "answering the quiz raised an error"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"
