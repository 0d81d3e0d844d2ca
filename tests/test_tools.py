"""Every Tool driven through its controls, as a trainee would, bad values included."""

import subprocess
import sys
from datetime import datetime
from functools import cache
from html import escape

import ipywidgets as widgets
import pytest
from error_helpers import is_russian
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ovop_course
from ovop_course import workbook
from ovop_course.errors import OvopError
from ovop_course.i18n import set_language, t
from ovop_course.steps import built, rooms
from ovop_course.ui import Tool, make_tool, tool_names
from ovop_course.ui._base import TABLE_CSS
from ovop_course.ui.concept_quiz import QuizTool
from ovop_course.workbook import load_workbook, update_workbook

ANY_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                      st.floats(allow_nan=True), st.text(max_size=20),
                      st.lists(st.integers(), max_size=3))


@cache
def shared_tool(name):
    return make_tool(name)


@pytest.fixture
def workbook_file(tmp_path, monkeypatch):
    path = tmp_path / "wb.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    return path


@pytest.mark.parametrize("name", tool_names())
def test_every_tool_has_the_shared_surface(name):
    tool = make_tool(name)
    assert isinstance(tool, Tool)
    assert tool.controls and all(isinstance(c, widgets.ValueWidget) for c in tool.controls.values())
    assert isinstance(tool.widget, widgets.Widget)
    assert tool.error is None and tool.result is not None


@pytest.mark.parametrize("name", tool_names())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_in_any_control_never_escapes(name, data):
    tool = shared_tool(name)  # one tool takes the whole sequence, as in a trainee's session
    control = data.draw(st.sampled_from(sorted(tool.controls)))
    last_good = tool.result
    tool.set(**{control: data.draw(ANY_VALUE)})
    if tool.error is not None:
        assert is_russian(tool.error) and "Traceback" not in tool.error
        assert tool.result is not None
    else:
        assert tool.result is not None
    assert last_good is not None


def saving_tools() -> list[str]:
    return [name for name in tool_names() if make_tool(name).section]


@pytest.mark.parametrize("name", saving_tools())
def test_a_second_save_keeps_the_notes_and_sets_the_time(name, workbook_file, monkeypatch):
    """The Tool base saves every tool's section: the trainee's notes written in the workbook
    between two saves survive the second save, and the section takes the time of that save."""
    load_workbook(create_if_missing=dict(trainee="Т", aiyl_aimak="А", region="Р"))
    tool = make_tool(name)
    if isinstance(tool, QuizTool):   # a quiz with no answer is not saved
        first = next(iter(tool.questions.values()))
        tool.set(**{first.id: first.correct})
    assert "Сохранено" in tool.save()
    update_workbook(lambda wb: setattr(wb.section(tool.section), "notes", "спросить в селе"))
    later = datetime(2030, 5, 6, 7, 8, 9)
    monkeypatch.setattr(workbook, "_now", lambda: later)
    assert "Сохранено" in tool.save()
    saved = load_workbook().section(tool.section)
    assert saved.notes == "спросить в селе" and saved.updated_at == later


def test_quiz_keeps_the_best_score(workbook_file):
    load_workbook(create_if_missing=dict(trainee="Т", aiyl_aimak="А", region="Р"))
    quiz = ovop_course.tool("concept_quiz")
    questions = list(quiz.questions.values())
    quiz.set(**{q.id: q.correct for q in questions[:3]})
    quiz.save()
    quiz.set(**{q.id: (q.correct + 1) % len(q.options) for q in questions[:3]})
    quiz.save()
    record = load_workbook().quizzes["concept_quiz"]
    assert (record.score, record.best) == (0, 3)


def test_unknown_tool_and_control_in_russian():
    with pytest.raises(OvopError, match="не найден"):
        ovop_course.tool("no_such_tool")
    quiz = ovop_course.tool("concept_quiz")
    quiz.set(price=5)
    assert "нет поля «price»" in quiz.error


@pytest.mark.parametrize("name", ["base", "registry", "_private", "a.b", "../territory", "",
                                  "Territory", 5, None])
def test_names_that_are_not_tools_get_the_russian_message(name):
    with pytest.raises(OvopError, match="не найден"):
        ovop_course.tool(name)


TOOL_ROOMS = [m.room for m in built() if m.room and m.tool]


@pytest.mark.parametrize("room", TOOL_ROOMS)
def test_a_tool_imports_only_its_own_modules(room):
    """The first tool of a lesson loads its own step and the earlier steps it reads, not every
    step (less time and memory)."""
    code = (f"import sys, ovop_course; ovop_course.tool({room!r});"
            "print(' '.join(m for m in sys.modules if m.startswith('ovop_course.')))")
    loaded = set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                text=True).stdout.split())
    order = rooms()
    later = order[order.index(room) + 1:]
    assert {f"ovop_course.ui.{room}", f"ovop_course.steps.{room}"} <= loaded
    assert not loaded & {f"ovop_course.{layer}.{r}" for r in later
                         for layer in ("ui", "steps", "charts")}
    others = {m for m in loaded if m.startswith("ovop_course.ui.") and "._" not in m}
    assert others == {f"ovop_course.ui.{room}"}


def test_quiz_right_and_wrong_answers_give_feedback():
    quiz = ovop_course.tool("concept_quiz")
    first, second = list(quiz.questions.values())[:2]
    quiz.set(**{first.id: first.correct})
    assert quiz.result.score == 1
    assert "Верно" in quiz.feedback[first.id].value
    wrong = (second.correct + 1) % len(second.options)
    quiz.set(**{second.id: wrong})
    assert quiz.result.score == 1 and quiz.result.answered == 2
    feedback = quiz.feedback[second.id].value
    assert "Неверно" in feedback and "Правильный ответ" in feedback
    assert second.explanation[:30] in feedback.replace("&quot;", '"')


def test_quiz_all_correct_scores_full_marks():
    quiz = ovop_course.tool("concept_quiz")
    quiz.set(**{q.id: q.correct for q in quiz.questions.values()})
    assert quiz.result.score == quiz.result.total == len(quiz.questions)


def test_bad_answer_keeps_last_good_result():
    quiz = ovop_course.tool("concept_quiz")
    first = next(iter(quiz.questions.values()))
    quiz.set(**{first.id: first.correct})
    quiz.set(**{first.id: 99})
    assert "вопрос 1" in quiz.error and quiz.result.score == 1
    quiz.set(**{first.id: first.correct})
    assert quiz.error is None


def test_compute_rejects_out_of_range_answer_in_russian():
    quiz = ovop_course.tool("concept_quiz")
    first = next(iter(quiz.questions))
    with pytest.raises(OvopError, match="выберите один из"):
        quiz.compute(**{first: 42})


def test_save_needs_a_workbook_then_saves_score(workbook_file):
    quiz = ovop_course.tool("concept_quiz")
    first = next(iter(quiz.questions.values()))
    quiz.set(**{first.id: first.correct})
    assert "ещё не создана" in quiz.save()
    load_workbook(create_if_missing=dict(trainee="Т", aiyl_aimak="А", region="Р"))
    assert "Сохранено" in quiz.save()
    record = load_workbook().quizzes["concept_quiz"]
    assert (record.score, record.total) == (1, len(quiz.questions))


def test_save_button_is_wired(workbook_file):
    load_workbook(create_if_missing=dict(trainee="Т", aiyl_aimak="А", region="Р"))
    quiz = ovop_course.tool("concept_quiz")
    first = next(iter(quiz.questions.values()))
    quiz.set(**{first.id: first.correct})
    (button,) = [w for w in quiz.widget.children if isinstance(w, widgets.Button)]
    button.click()
    assert "Сохранено" in quiz.message.value
    assert "concept_quiz" in load_workbook().quizzes


def test_a_bug_in_a_tool_shows_a_message_not_a_traceback(monkeypatch):
    quiz = ovop_course.tool("concept_quiz")
    good = quiz.result

    def broken(**values):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(quiz, "compute", broken)
    quiz.refresh()
    assert quiz.error.startswith("Что-то пошло не так") and quiz.result is good
    assert "Traceback" not in quiz.message.value


def test_a_quiz_with_no_answer_is_not_saved_and_says_to_answer_first(workbook_file):
    load_workbook(create_if_missing=dict(trainee="Т", aiyl_aimak="А", region="Р"))
    quiz = ovop_course.tool("concept_quiz")
    (button,) = [w for w in quiz.widget.children if isinstance(w, widgets.Button)]
    button.click()
    assert "ответьте" in quiz.message.value and "Сохранено" not in quiz.message.value
    assert "concept_quiz" not in load_workbook().quizzes
    assert quiz.error is None   # the answers are fine: nothing to fix in them
    first = next(iter(quiz.questions.values()))
    quiz.set(**{first.id: first.correct})
    assert quiz.message.value == ""
    button.click()
    assert "Сохранено" in quiz.message.value and "concept_quiz" in load_workbook().quizzes


def save_buttons(widget) -> list[widgets.Button]:
    found = [widget] if isinstance(widget, widgets.Button) and "ovop-save" in widget._dom_classes \
        else []
    return found + [b for child in getattr(widget, "children", ()) for b in save_buttons(child)]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", saving_tools())
def test_the_save_button_shows_its_whole_label(name, language):
    """The widgets give a button 148 px, which cut «Сохранить в рабочую тетрадь» to
    «Сохранить в р…»: the base's save button is as wide as its label, in every language."""
    set_language(language)
    try:
        (button,) = save_buttons(make_tool(name).widget)
        assert button.description == t("tool.save")
        assert button.layout.width == "max-content"
    finally:
        set_language("ru")


def shown_html(widget) -> list[str]:
    """The HTML of every widget inside ``widget``, every tab opened (a tab may draw its
    content when first opened)."""
    if isinstance(widget, widgets.Tab):
        for number in range(len(widget.children)):
            widget.selected_index = number
        widget.selected_index = 0
    own = [widget.value] if isinstance(widget, widgets.HTML) else []
    return own + [html for child in getattr(widget, "children", ()) for html in shown_html(child)]


@pytest.mark.parametrize("name", tool_names())
def test_every_table_a_tool_shows_has_the_course_table_style(name):
    """A table in a widget takes the widgets' 28 px line height (every row double-spaced) and
    runs past the right edge of a small screen unless it has the course's style: its own line
    height, wrapping cells and a box that scrolls as a last resort."""
    assert "line-height:1.35" in TABLE_CSS and "overflow-x:auto" in TABLE_CSS
    tool = make_tool(name)
    for html in shown_html(tool.output):
        tables = html.count("<table")
        assert html.count('<div class="ovop-table-box">') == tables
        assert not tables or TABLE_CSS in html


def test_the_ideas_editor_starts_on_the_first_idea_and_says_why_a_click_writes_nothing():
    tool = ovop_course.tool("ideas")
    assert tool.pick_idea.value == tool.pick_idea.options[0][1]   # not an empty list
    assert tool.auto_score.value   # the score from the data of that idea
    tool.pick_score.value = "auto"   # the score from the data again: nothing to write
    tool.apply_editor()
    assert "записывать нечего" in tool.message.value and tool.error is None
    assert tool.controls["overrides"].value == ""
    tool.pick_score.value = 5
    tool.apply_editor()
    assert tool.controls["overrides"].value.endswith("; 5") and tool.message.value == ""
    tool.apply_editor()   # the same score twice
    assert "уже стоит «5»" in tool.message.value
    tool.pick_idea.options = []   # no idea to choose (a trainee's table without ideas)
    tool.apply_editor()
    assert "Выберите идею" in tool.message.value


def test_a_rejected_idea_shows_why_under_its_scores():
    """The reasons take a row of their own across the table (in the last column they made a
    tall strip past the right edge of a small screen)."""
    tool = ovop_course.tool("ideas")
    html = tool.scores.value
    rejected = tool.result.rejected
    assert html.count("class='ovop-reasons'") == len(rejected) > 0
    for reasons in rejected["reasons"]:
        assert f"<td colspan='13'>{escape('✘ ' + '; '.join(reasons))}</td>" in html
