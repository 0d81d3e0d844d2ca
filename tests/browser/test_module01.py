"""Module 1 in JupyterLab: Run All works without errors, the concept quiz answers clicks, and
saving it with no answer is refused with a message saying to answer first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ovop_course.data import load_document
from ovop_course.i18n import t
from ovop_course.workbook import load_workbook

pytestmark = pytest.mark.browser


NOTEBOOK = "notebooks/01_concept.ipynb"


def test_module01_runs_and_quiz_gives_feedback(lab):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    quiz = load_document("course/quiz_concept")
    first, total = quiz.questions[0], len(quiz.questions)
    wrong = next(i for i in range(len(first.options)) if i != first.correct)
    workbook = lab.server.log.parent / "ovop_workbook.json"   # HOME of the test server
    load_workbook(workbook, create_if_missing={"trainee": "Тест", "aiyl_aimak": "Чычырканак",
                                               "region": "Иссык-Кульская область"})

    lab.open_and_run(NOTEBOOK, workspace="module01")

    tool = lab.page.locator(".ovop-tool.ovop-tool-concept_quiz")
    expect(tool).to_be_visible()
    lab.check_layout(tool)
    question = tool.locator(".ovop-quiz-question").first
    options = question.locator(".ovop-quiz-options input[type=radio]")
    feedback = question.locator(".ovop-feedback")
    score = tool.locator(".ovop-quiz-score")
    message = tool.locator(".ovop-error")
    expect(options).to_have_count(len(first.options))
    expect(score).to_have_text(t("concept_quiz.score", score=0, total=total, answered=0))
    expect(feedback).to_have_text("")

    # Nothing answered yet: a score of 0 says nothing about the trainee, so nothing is saved.
    before = load_workbook(workbook).quizzes.get("concept_quiz")
    tool.locator(".ovop-save").click()
    expect(message).to_contain_text(t("concept_quiz.nothing_answered"))
    assert load_workbook(workbook).quizzes.get("concept_quiz") == before

    options.nth(wrong).click()
    expect(message).to_have_text("")
    expect(feedback).to_contain_text(t("concept_quiz.wrong", right=first.options[first.correct]))
    expect(score).to_have_text(t("concept_quiz.score", score=0, total=total, answered=1))

    options.nth(first.correct).click()
    expect(feedback).to_contain_text(t("concept_quiz.right"))
    expect(feedback).to_contain_text(first.explanation[:40])
    expect(score).to_have_text(t("concept_quiz.score", score=1, total=total, answered=1))
    tool.locator(".ovop-save").click()
    expect(message).to_contain_text("Сохранено")
    record = load_workbook(workbook).quizzes["concept_quiz"]
    assert (record.score, record.total) == (1, total)

    lab.check_layout(tool)
    lab.screenshot("module01-quiz", tool)
    tool.scroll_into_view_if_needed()
    lab.screenshot("module01-notebook")
    assert lab.failures() == [], "answering the quiz raised an error"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"
