"""Modules 0 and 1: the seed's facts are taught, the concept quiz covers them, notebooks are clean.

Module 0 creates the workbook with a form and names JupyterLab's menus as the installed Russian
language pack shows them; every notebook carries the metadata its kernel reports, so that
JupyterLab does not mark it modified as soon as it is opened.

The source of truth for the facts is the methodology guide (../shared/seed/ovop_concept_ru.txt);
the 11 step names come from data/course/methodology_steps.csv, so the notebook and the data
cannot drift apart.
"""

from __future__ import annotations

import ast
import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import ipywidgets as widgets
import jupyterlab_language_pack_ru_RU
import nbformat
import pytest
from ipykernel.ipkernel import IPythonKernel
from jupyter_core.paths import jupyter_path

import ovop_course
from ovop_course.data import load_document, load_table
from ovop_course.i18n import catalogue, t
from ovop_course.steps import built
from ovop_course.ui._base import Tool
from ovop_course.workbook import Workbook, load_workbook, save_workbook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
MODULES = {int(m.notebook[:2]): f"{m.notebook}.ipynb" for m in built()}
STEPS = {int(m.notebook[:2]): m.step for m in built() if m.step}
DISPLAY_CALLS = ("tool(", "interact(", "roadmap_figure(")


def _normalise(text: str) -> str:
    """Lower case, markdown bold removed, every run of spaces (also no-break) → one space."""
    return re.sub(r"\s+", " ", text.replace("**", "").replace("\xa0", " ")).lower()


def _notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def _text(name: str) -> str:
    return _normalise("\n".join(cell.source for cell in _notebook(name).cells))


# Facts of the seed that module 1 must teach, by topic.
CONCEPT_FACTS = {
    "origin": ["1979", "Оита", "мобилизация людей, а не только ресурсов", "отток"],
    "Hiramatsu": ["Морихико Хирамацу", "Локально — но для глобального рынка",
                  "Самостоятельность и творческий подход", "Развитие человеческого потенциала"],
    "one product": ["«один продукт» носит мобилизационный характер"],
    "six approaches": ["Использование только местных ресурсов",
                       "Начать с простого и ручного инструмента",
                       "Каждый может присоединиться. Требуется обучение",
                       "Разработка продукции для рынка", "Проверка качества и сертификация",
                       "Развитие рынков сбыта"],
    "spread": ["Азии, Африки и Европы"],
    "Kyrgyz start": ["2007", "JICA", "Иссык-Кульской области", "самоусилия сообществ",
                     "без прямых субсидий"],
    "association": ["2011", "Ассоциация «Одно Село Один Продукт» в Иссык-Кульской области"],
    "OVOP+1": ["ОСОП+1", "разделение ролей", "региональные бренд-комитеты",
               "сертификации и самопроверки", "вовлечение женщин"],
    "national project": ["2022–2023", "Национального экономического проекта"],
    "four conditions": ["Ограниченные ресурсы", "Необходимость обучения и сопровождения",
                        "Слабая начальная связь с рынком", "неформальной занятости"],
    "seven features": ["Опора на местные ресурсы", "Обучение как обязательный этап",
                       "Работа через производственные группы",
                       "Разделение ролей (модель ОСОП+1)", "Качество как основа доверия",
                       "Постепенное развитие", "Ориентация на рынок"],
    "results": ["более 3 500 производителей", "женщины", "внутреннем и внешнем рынках",
                "устойчивые производственные группы"],
    "terms": ["айыл аймак"],
}

ROADMAP_STAGES = [
    "Анализ местного сырьевого и ресурсного потенциала",
    "Разработка продуктовой идеи и технологии производства",
    "Мобилизация производителей и формирование производственных групп",
    "Обучение производителей и производственные тренинги",
    "Запуск первых партий продукции",
    "Контроль качества, сертификация и тестовые продажи",
    "Региональный брендинг и механизмы сбыта",
    "Стабильность производства и устойчивый выход на рынок",
]


@pytest.mark.parametrize("topic", CONCEPT_FACTS)
def test_concept_notebook_teaches_each_fact_of_the_seed(topic):
    text = _text(MODULES[1])
    missing = [fact for fact in CONCEPT_FACTS[topic] if _normalise(fact) not in text]
    assert not missing, f"модуль 1, тема «{topic}»: нет {missing}"


def test_concept_notebook_lists_the_11_steps_in_order():
    text = _text(MODULES[1])
    names = load_table("course/methodology_steps").sort_values("step")["name"]
    positions = [text.find(_normalise(name)) for name in names]
    assert -1 not in positions, [n for n, p in zip(names, positions) if p == -1]
    assert positions == sorted(positions)


def test_concept_notebook_shows_the_roadmap_stages_in_order():
    text = _text(MODULES[1])
    positions = [text.find(_normalise(stage)) for stage in ROADMAP_STAGES]
    assert -1 not in positions, [s for s, p in zip(ROADMAP_STAGES, positions) if p == -1]
    assert positions == sorted(positions)


def test_concept_notebook_shows_steps_table_with_roles_roadmap_and_quiz():
    code = [c.source for c in _notebook(MODULES[1]).cells if c.cell_type == "code"]
    table = [s for s in code if 'load_table("course/methodology_steps")' in s]
    assert table and "ovop_plus_one_role" in table[0] and "drop(columns=\"source\")" in table[0]
    assert "from ovop_course.charts import roadmap_figure; roadmap_figure()" in code
    assert 'import ovop_course; ovop_course.tool("concept_quiz")' in code


def test_sourced_boxes_carry_their_source():
    """Every boxed fact beyond the seed (📌) is followed by its source line."""
    cells = [c.source for c in _notebook(MODULES[1]).cells if "📌" in c.source]
    assert cells
    boxes = re.split(r"\n\n(?=> 📌)", "\n\n".join(cells))
    for box in boxes:
        assert "Источник:" in box, box[:80]


# --- the self-check quiz ------------------------------------------------------------------

QUIZ_TOPICS = {
    "Oita 1979 and mobilizing people": ["1979", "оита", "мобилиз"],
    "Hiramatsu's three principles": ["хирамацу", "развитие человеческого потенциала"],
    "one product is a mobilizing name": ["«один продукт»", "мобилизационный"],
    "six approaches": ["только местных ресурсов", "простого и ручного"],
    "JICA pilot in Issyk-Kul from 2007": ["2007", "jica", "иссык-кул"],
    "OVOP Association 2011": ["2011", "ассоциация"],
    "OVOP+1 role separation": ["осоп+1", "разделение ролей"],
    "national economic project": ["2022–2023", "национального экономического проекта"],
    "3 500 producers": ["3 500"],
    "seven features": ["семь ключевых особенностей"],
    "order of the 11 steps": ["анализ территории → исследование местного сырья"],
    "OVOP+1 role of a step": ["роль осоп+1 на шаге"],
}


@pytest.fixture(scope="module")
def quiz():
    return load_document("course/quiz_concept")


def test_quiz_has_10_to_12_questions_with_unique_ids(quiz):
    assert 10 <= len(quiz.questions) <= 12
    ids = [q.id for q in quiz.questions]
    assert len(ids) == len(set(ids))
    for q in quiz.questions:
        assert len(set(q.options)) == len(q.options), q.id


@pytest.mark.parametrize("topic", QUIZ_TOPICS)
def test_quiz_asks_about_each_topic(quiz, topic):
    """Some question's text and right answer together name the topic's keywords."""
    asked = [_normalise(q.text + " " + q.options[q.correct]) for q in quiz.questions]
    assert any(all(k in a for k in QUIZ_TOPICS[topic]) for a in asked), topic


def test_quiz_right_answers_are_not_always_in_the_same_place(quiz):
    places = [q.correct for q in quiz.questions]
    assert len(set(places)) >= 3
    assert max(places.count(p) for p in set(places)) <= len(places) / 2


def test_quiz_explanations_teach_the_right_answer(quiz):
    """Each explanation is a real explanation (not just «верно») and names a key word (stem) of the
    right answer, so it teaches both after a right and after a wrong choice."""
    for q in quiz.questions:
        stems = [w[:6] for w in re.findall(r"\w{6,}", q.options[q.correct].lower())]
        assert len(q.explanation) >= 150, q.id
        assert any(stem in q.explanation.lower() for stem in stems), q.id


def test_quiz_step_questions_agree_with_the_methodology_table(quiz):
    steps = load_table("course/methodology_steps").set_index("step")
    by_id = {q.id: q for q in quiz.questions}
    role = by_id["step_role"]
    number = int(re.search(r"шаге (\d+)", role.text).group(1))
    assert role.options[role.correct] == steps.loc[number, "ovop_plus_one_role"]
    assert steps.loc[number, "name"] in role.text
    order = by_id["steps_order"].options[by_id["steps_order"].correct].split(" → ")
    numbers = [int(steps.index[steps["name"] == name][0]) for name in order]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


# --- notebook hygiene ---------------------------------------------------------------------

@pytest.mark.parametrize("module", MODULES)
def test_notebook_is_committed_clean_with_course_metadata(module):
    nb = _notebook(MODULES[module])
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["language_info"]["name"] == "python"
    assert nb.metadata["ovop"]["module"] == module and nb.metadata["ovop"]["title"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("module", MODULES)
def test_notebook_has_the_language_info_its_kernel_reports(module):
    """JupyterLab writes the kernel's language_info into the notebook when the kernel starts;
    a notebook that carries less (``{"name": "python"}``) shows as modified right away."""
    info = _notebook(MODULES[module]).metadata["language_info"]
    assert info == IPythonKernel.language_info, (
        f"{MODULES[module]}: metadata.language_info must be exactly {IPythonKernel.language_info}"
        " (what the course's kernel reports), or JupyterLab marks it modified on opening")


@pytest.mark.parametrize("module", MODULES)
def test_widget_and_figure_cells_are_tagged_and_tools_are_one_line(module):
    for cell in _notebook(MODULES[module]).cells:
        if cell.cell_type != "code" or not any(c in cell.source for c in DISPLAY_CALLS):
            continue
        assert "nbval-ignore-output" in cell.metadata.get("tags", []), cell.source[:60]
        if "tool(" in cell.source or "roadmap_figure(" in cell.source:
            assert "\n" not in cell.source.strip(), cell.source


@pytest.mark.parametrize("module", MODULES)
def test_notebook_starts_with_objectives_and_time_and_ends_with_what_next(module):
    cells = _notebook(MODULES[module]).cells
    first, last = _normalise(cells[0].source), _normalise(cells[-1].source)
    assert "цели модуля" in first and "время:" in first
    assert "что дальше" in last


@pytest.mark.parametrize("module", STEPS)
def test_step_notebook_teaches_its_step_as_the_methodology_table_states_it(module):
    """A step's module quotes the step's content and the role of OVOP+1 from the methodology
    table, works the lesson case, and has «Ваш айыл аймак» and a self-check."""
    text = _text(MODULES[module])
    step = load_table("course/methodology_steps").set_index("step").loc[STEPS[module]]
    assert _normalise(step["content"]) in text and _normalise(step["ovop_plus_one_role"]) in text
    for topic in ("ваш айыл аймак", "самопроверка", "учебные данные (условные)"):
        assert topic in text, topic


# The «Свои данные» panel's buttons a trainee is told to press, as the tool labels them.
PANEL_BUTTONS = ("own_data.example", "own_data.apply", "own_data.template", "own_data.upload",
                 "tool.save")


@pytest.mark.parametrize("module", STEPS)
def test_your_aimak_teaches_the_own_data_panel_before_any_python(module, tmp_path, monkeypatch):
    """«Ваш айыл аймак» is for a trainee who has never written code: before its first code
    cell, the text names the «Свои данные» panel, each of the tool's tables and the buttons as
    the tool shows them (Excel template too); that first code cell opens the step's tool with
    no table (with no workbook: the lesson case, the panel ready for the trainee's own); the
    Python way (tables written in code) comes only after, under «Для тех, кто пишет на Python»,
    and only as text to copy: no code cell of the section writes tables, so running the whole
    lesson does not build a third tool."""
    step = next(m for m in built() if int(m.notebook[:2]) == module)
    cells = _notebook(MODULES[module]).cells
    start = next(i for i, c in enumerate(cells) if c.cell_type == "markdown"
                 and re.search(r"^## \d+\. Ваш айыл аймак", c.source, re.M))
    end = next(i for i in range(start + 1, len(cells))
               if cells[i].cell_type == "markdown" and cells[i].source.startswith("## "))
    section = cells[start:end]
    first = next(i for i, c in enumerate(section) if c.cell_type == "code")
    told = _normalise("\n".join(c.source for c in section[:first]))

    monkeypatch.setenv("OVOP_WORKBOOK", str(tmp_path / "none.json"))
    code = section[first].source
    assert code.startswith(f'import ovop_course; ovop_course.tool("{step.tool}"'), (
        f"модуль {module}: первая ячейка кода в «Ваш айыл аймак» — не инструмент: {code[:60]}")
    call = ast.parse(code).body[-1].value
    tool = eval(compile(ast.Expression(call), "cell", "eval"),  # noqa: S307 — the notebook's cell
                {"ovop_course": ovop_course})
    assert tool.own_tables and not {k.arg for k in call.keywords} & set(tool.own_tables)
    assert tool.data_origin == "lesson" and tool.error is None and tool.data_error is None

    ru = catalogue("ru")
    names = [ru["own_data.title"].split(" ·")[0],
             *(ru[f"own_data.table.{step.tool}.{table}"] for table in tool.own_tables),
             *(ru[key] for key in PANEL_BUTTONS)]
    missing = [name for name in names if f"«{_normalise(name)}»" not in told]
    assert not missing, f"«Ваш айыл аймак» модуля {module} не называет {missing}"

    python = next(i for i, c in enumerate(section) if c.cell_type == "markdown"
                  and c.source.startswith("### Для тех, кто пишет на Python"))
    in_code = [i for i, c in enumerate(section) if c.cell_type == "code"
               and ("pd.DataFrame" in c.source or "my_" in c.source)]
    assert first < python and not in_code, (
        "таблицы в коде — только текстом в разделе для Python, не ячейкой кода")
    assert "```python" in section[python].source and "my_" in section[python].source


def test_start_notebook_creates_the_workbook_with_the_form():
    """Module 0's workbook section runs the form «start», and the Python way is only shown."""
    cells = _notebook(MODULES[0]).cells
    code = [c.source for c in cells if c.cell_type == "code"]
    assert 'import ovop_course; ovop_course.tool("start")' in code
    assert not [c for c in code if "load_workbook(" in c or "Workbook.new(" in c]
    section = next(i for i, c in enumerate(cells) if "## 3. Моя рабочая тетрадь" in c.source)
    assert cells[section + 1].source == 'import ovop_course; ovop_course.tool("start")'


def python_blocks(module: int) -> list[str]:
    """The ```python blocks of a module's text cells (shown, not run)."""
    text = "\n".join(c.source for c in _notebook(MODULES[module]).cells
                     if c.cell_type == "markdown")
    return re.findall(r"```python\n(.*?)```", text, re.DOTALL)


def test_start_notebook_python_way_does_not_overwrite_an_existing_workbook(tmp_path,
                                                                           monkeypatch):
    """The optional Python way of module 0, run twice, keeps the trainee's file."""
    path = tmp_path / "wb.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    (block,) = [b for b in python_blocks(0) if "create_if_missing" in b]

    exec(block, {})  # noqa: S102 — first run: creates the workbook from the example names
    first = load_workbook(path)
    assert (first.trainee, first.language) == ("Айгуль Асанова", "ru")

    save_workbook(Workbook.new(trainee="Бакыт Токтосунов", aiyl_aimak="Тепке",
                               region="Иссык-Кульская область"), path)
    namespace: dict = {}
    exec(block, namespace)  # noqa: S102 — second run: must open, not replace, the workbook
    assert namespace["wb"].trainee == "Бакыт Токтосунов"
    assert load_workbook(path).aiyl_aimak == "Тепке"

    (fix,) = [b for b in python_blocks(0) if "save_workbook(wb)" in b]
    exec(fix, {})  # noqa: S102 — the correction shown in module 0 changes just that field
    assert (load_workbook(path).trainee, load_workbook(path).aiyl_aimak) == (
        "Бакыт Токтосунов", "Тепке")


def python_way_blocks(module: int) -> list[str]:
    """The ```python blocks of a step module's «Для тех, кто пишет на Python» (text cells from
    that heading to the next section)."""
    cells = _notebook(MODULES[module]).cells
    start = next(i for i, c in enumerate(cells) if c.cell_type == "markdown"
                 and c.source.startswith("### Для тех, кто пишет на Python"))
    end = next((i for i in range(start + 1, len(cells))
                if cells[i].cell_type == "markdown" and cells[i].source.startswith("## ")),
               len(cells))
    text = "\n".join(c.source for c in cells[start:end] if c.cell_type == "markdown")
    return re.findall(r"```python\n(.*?)```", text, re.DOTALL)


class _ClassText(HTMLParser):
    """The text inside the elements of one class of an HTML fragment."""

    def __init__(self, css_class: str):
        super().__init__()
        self.css_class, self.depth, self.texts = css_class, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth or self.css_class in (dict(attrs).get("class") or "").split():
            self.depth += tag not in VOID_TAGS

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID_TAGS:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts.append(data)


VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "col", "wbr"}


def widget_text(widget, css_class: str) -> str:
    """The text (spaces as one) of the elements of class ``css_class`` inside ``widget`` (a
    widget of that class, or an element of the HTML a widget shows), as the browser shows the
    element of that class."""
    found = []
    if isinstance(widget, widgets.HTML):
        if css_class in widget._dom_classes:
            shown = re.sub(r"<style[^>]*>.*?</style>", " ", widget.value, flags=re.DOTALL)
            found.append(re.sub(r"<[^>]+>", " ", shown))
        else:
            parser = _ClassText(css_class)
            parser.feed(widget.value)
            found.append(" ".join(parser.texts))
    found += [widget_text(child, css_class) for child in getattr(widget, "children", ())]
    return re.sub(r"\s+", " ", unescape(" ".join(found))).strip()


# What the tool built from each module's Python example shows of that example's own data: the
# element of the tool and a text in it (module 2: 260 + 120 underemployed + 20 % of the 150 + 70
# seasonal migrants = 424 people).
PYTHON_WAY_SHOWS = {
    2: ("ovop-territory-reserve", "= 424 чел."),
    3: ("ovop-raw-summary", "Чай из шиповника"),
    4: ("ovop-ideas-summary", "Курут с горными травами"),
    5: ("ovop-market-summary", "пакет 200 г"),
    6: ("ovop-product-summary", "Крем-мёд «Пасека Терскей» с облепихой"),
    7: ("ovop-tech-summary", "147,1 сом"),
}


@pytest.mark.parametrize("module", STEPS)
def test_python_way_example_builds_the_step_tool_with_its_own_tables(module, tmp_path,
                                                                     monkeypatch):
    """The code of «Для тех, кто пишет на Python», pasted into a new cell as the text says,
    runs in a fresh kernel: its last line is the step's tool, computed with the code's tables
    (no error, «ваши таблицы из ячейки» in the panel's title, the example's own values shown),
    each table passed under the name of one of the tool's own tables, the required ones too."""
    assert set(PYTHON_WAY_SHOWS) == set(STEPS)
    step = next(m for m in built() if int(m.notebook[:2]) == module)
    (block,) = python_way_blocks(module)
    monkeypatch.setenv("OVOP_WORKBOOK", str(tmp_path / "none.json"))
    monkeypatch.setenv("MPLBACKEND", "Agg")

    tree = ast.parse(block)
    *body, last = tree.body
    assert isinstance(last, ast.Expr), f"модуль {module}: код не кончается вызовом инструмента"
    namespace: dict = {}
    exec(compile(ast.Module(body, type_ignores=[]), "python_way", "exec"),  # noqa: S102
         namespace)                                   # — the notebook's example, as a cell
    tool = eval(compile(ast.Expression(last.value), "python_way", "eval"),  # noqa: S307
                namespace)
    assert isinstance(tool, Tool) and tool.name == step.tool, type(tool)
    assert tool.error is None and tool.data_error is None, tool.error
    assert tool.data_origin == "arguments"
    assert tool.own_panel.widget.get_title(0) == t(
        "own_data.title", origin=t("own_data.origin.arguments"))

    call = last.value
    assert isinstance(call, ast.Call) and ast.unparse(call.func) == "ovop_course.tool"
    assert [ast.literal_eval(a) for a in call.args] == [step.tool]
    tables = {k.arg for k in call.keywords if isinstance(k.value, ast.Name)}
    others = {k.arg for k in call.keywords} - tables
    assert tables <= set(tool.own_tables), tables - set(tool.own_tables)
    assert {n for n, spec in tool.own_tables.items() if spec.required} <= tables
    assert not others & set(tool.own_tables) and set(tool.own_start) == tables
    for name in tables:   # each table given is the example's own, not the lesson's
        given = namespace[next(k.value.id for k in call.keywords if k.arg == name)]
        assert tool.own_start[name] is given, name

    css_class, shown = PYTHON_WAY_SHOWS[module]
    assert shown in widget_text(tool.widget, css_class), widget_text(tool.widget, css_class)


@pytest.mark.parametrize("module", [0, 1])
def test_no_parentheses_are_doubled_around_the_lesson_data_note(module):
    """«(… учебные данные (условные))» reads as a stutter: the note stands in its own sentence."""
    doubled = re.findall(r"\([^()]*учебные данные \(условные\)\)", _text(MODULES[module]))
    assert not doubled


def test_start_notebook_tells_where_own_data_goes():
    text = _text(MODULES[0])
    for words in ("«свои данные»", "шаблон excel", "загрузить обратно"):
        assert words in text, words


# --- JupyterLab's menus as the Russian interface names them ---------------------------------

# «**Меню → Пункт** (Menu → Item)»: the Russian names, then the English ones; a menu of an
# extension the language pack does not translate is named once, in English.
MENU_PAIR = re.compile(r"\*\*([^*\n]+?) → ([^*\n]+?)\*\*(?: \(([^()\n]+?) → ([^()\n]+?)\))?")
PACK = (Path(jupyterlab_language_pack_ru_RU.__file__).parent
        / "locale" / "ru_RU" / "LC_MESSAGES" / "jupyterlab.json")


def pack_translations() -> dict[str, list[str]]:
    """The Russian pack's msgid (``context\x04text`` for a context) → its translations."""
    catalogue = json.loads(PACK.read_text(encoding="utf-8"))
    return {key: value for key, value in catalogue.items() if key and isinstance(value, list)}


def extension_scripts() -> str:
    """The code of every installed JupyterLab extension (where its menu labels are written)."""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace")
                     for folder in jupyter_path("labextensions")
                     for path in Path(folder).glob("**/static/*.js"))


def test_module_0_names_menus_as_the_russian_jupyterlab_shows_them():
    text = "\n".join(c.source for c in _notebook(MODULES[0]).cells if c.cell_type == "markdown")
    pairs = MENU_PAIR.findall(text)
    assert len(pairs) >= 4, pairs   # three of JupyterLab, one of nbgrader
    bold = re.findall(r"\*\*[^*\n]*→[^*\n]*\*\*", text)
    english = re.findall(r"\([^()\n]*→[^()\n]*\)", text)
    assert len(bold) == len(pairs) and len(english) == sum(bool(p[2]) for p in pairs), (
        "a menu path is not written as **Меню → Пункт** (Menu → Item)")
    pack = pack_translations()
    items = {}
    for key, value in pack.items():
        items.setdefault(key.rsplit("\x04", 1)[-1], []).extend(value)
    untranslated = []
    for menu, item, en_menu, en_item in pairs:
        if en_menu:
            assert pack.get(f"menu\x04{en_menu}") == [menu], (menu, en_menu)
            assert item in items.get(en_item, []), (item, en_item, items.get(en_item))
        else:
            assert menu not in items and item not in items, (menu, item)
            untranslated += [menu, item]
    if untranslated:  # shown in English: they must be labels an installed extension writes
        scripts = extension_scripts()
        missing = [label for label in untranslated if f'"{label}"' not in scripts]
        assert not missing, missing
