"""Schemas of the course data: one pydantic model per file in ``data/``.

``TABLES`` maps a CSV file (path under data/ without ``.csv``) to its row model;
``DOCUMENTS`` maps a YAML file (without ``.yaml``) to its document model.
The data dictionary for people is ``data/README.md``; a test keeps the two in step.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Row(BaseModel):
    """Base of every row/document model: unknown fields are errors, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MethodologyStep(Row):
    """One of the 11 steps of the Kyrgyz OVOP methodology (seed, table of 11 steps)."""

    step: int = Field(ge=1, le=11)
    name: str = Field(min_length=1)
    content: str = Field(min_length=1)
    ovop_plus_one_role: str = Field(min_length=1)
    source: str = Field(min_length=1)


class QuizQuestion(Row):
    """A multiple-choice question; ``correct`` is the index of the right option (from 0)."""

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    options: list[str] = Field(min_length=2, max_length=6)
    correct: int = Field(ge=0)
    explanation: str = Field(min_length=1)

    @model_validator(mode="after")
    def _correct_in_range(self):
        if self.correct >= len(self.options):
            raise ValueError(
                f"номер верного ответа {self.correct} вне списка из {len(self.options)} вариантов"
                " (варианты нумеруются с 0)"
            )
        return self


class Quiz(Row):
    """A self-check quiz: a title and its questions."""

    title: str = Field(min_length=1)
    questions: list[QuizQuestion] = Field(min_length=1)


TABLES: dict[str, type[Row]] = {
    "course/methodology_steps": MethodologyStep,
}

DOCUMENTS: dict[str, type[Row]] = {
    "course/quiz_concept": Quiz,
}
