"""Submissions a trainee has edited as trainees do: a pasted copy of a cell, a deleted cell.

nbgrader 0.9.6 refuses to grade both (the whole work: «nbgrader не смог проверить работу»):

- a copied and pasted answer cell carries the same grade id; ``DeduplicateIds`` keeps the
  last one and leaves the copy with an empty ``nbgrader`` entry, which ``OverwriteCells``
  then reads as if it had a grade id (KeyError);
- a deleted answer or written-answer cell is put back after "the previous solution or grade
  cell" of the source, and when that previous cell is a task cell or was deleted too nbgrader
  does not find it (KeyError).

Here the copy becomes a plain cell (its code still runs), and a missing cell goes back after
the nearest earlier cell of the source that the submission has (or first). nbgrader logs
each repair; :func:`repairs` turns those lines into a Russian sentence for the trainer.
"""

from __future__ import annotations

import re

from nbgrader.preprocessors import DeduplicateIds, OverwriteCells

from ..i18n import t

_PASTED = re.compile(r"Cell with id '([^']+)' exists multiple times!")
_PUT_BACK = re.compile(r"Missing grade cell (\S+) encountered, adding to notebook")


class DeduplicatePasted(DeduplicateIds):
    """nbgrader's ``DeduplicateIds``, with the copies left as plain cells (no ``nbgrader``)."""

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader") == {}:
                del cell.metadata["nbgrader"]
        return nb, resources


class OverwriteAndPutBack(OverwriteCells):
    """nbgrader's ``OverwriteCells``; a missing grade cell goes back after the nearest earlier
    source cell present in the submission."""

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source_nb.source_cells]
        solutions = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            present = {_grade_id(c): i for i, c in enumerate(nb.cells) if _grade_id(c)}
            if grade_cell.name in present:
                continue
            self.log.warning(f"Missing grade cell {grade_cell.name} encountered, adding to "
                             "notebook")
            at = order.index(grade_cell.name)
            before = next((present[name] for name in reversed(order[:at]) if name in present),
                          -1)
            cell = self.missing_cell_transform(source_nb.source_cells[at], grade_cell.max_score,
                                               is_solution=grade_cell.name in solutions)
            nb.cells.insert(before + 1, cell)
        return nb, resources


def _grade_id(cell) -> str | None:
    """The grade id of an nbgrader cell (grade, solution, task or locked), else None; a cell
    put back by nbgrader is a plain dict."""
    meta = cell.get("metadata", {}).get("nbgrader") or {}
    flags = ("grade", "solution", "task", "locked")
    return meta.get("grade_id") if any(meta.get(f) for f in flags) else None


def repairs(log: str) -> str | None:
    """What was repaired in a submission, from nbgrader's log, in Russian (None: nothing)."""
    pasted = sorted(set(_PASTED.findall(log)))
    put_back = sorted(set(_PUT_BACK.findall(log)))
    parts = ([t("grading.repaired.pasted", cells=", ".join(pasted))] if pasted else []) + (
        [t("grading.repaired.put_back", cells=", ".join(put_back))] if put_back else [])
    return "; ".join(parts) or None
