"""nbgrader's check of the cells' nbgrader metadata, with the JSON schema checked once.

nbgrader 0.9 checks every cell's ``nbgrader`` metadata with ``jsonschema.validate``, which
first checks the *schema itself* against the JSON-Schema meta-schema, once per cell. In an
autograde that is done for each of the 40 cells of a submission, twice (after sanitizing and
after grading): ≈0.13 s of ≈1.5 s. Here the schema is checked once per validator, then each
cell is validated against it exactly as ``jsonschema.validate`` does (same errors, chosen by
``best_match``); every other rule of nbgrader (schema versions, grade ids, points, cell types,
duplicate ids) is nbgrader's own code.
"""

from __future__ import annotations

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from nbgrader.nbgraderformat import MetadataValidator as NbgraderValidator
from nbgrader.nbgraderformat import ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import CheckCellMetadata as NbgraderCheck


class _SchemaCheckedOnce(BaseMetadataValidator):
    """The schema part of nbgrader's cell check, with a validator built once."""

    def __init__(self) -> None:
        super().__init__()
        schema_class = validator_for(self.schema)
        schema_class.check_schema(self.schema)
        self._validator = schema_class(self.schema)

    def validate_cell(self, cell) -> None:
        meta = cell.metadata.get("nbgrader")
        if meta is None or meta.get("schema_version", 0) != self.schema_version:
            super().validate_cell(cell)  # nbgrader's own rule and message for other versions
            return
        error = best_match(self._validator.iter_errors(meta))
        if error is not None:
            raise error


class MetadataValidator(NbgraderValidator, _SchemaCheckedOnce):
    """nbgrader's metadata validator (current schema version) with the schema checked once.

    The method order puts ``_SchemaCheckedOnce`` between nbgrader's version-specific rules
    and its base class, so only the ``jsonschema.validate`` call is replaced.
    """


class CheckCellMetadata(NbgraderCheck):
    """nbgrader's ``CheckCellMetadata`` preprocessor using :class:`MetadataValidator`."""

    def preprocess(self, nb, resources):
        try:
            MetadataValidator().validate_nb(nb)
        except ValidationError as error:
            self.log.exception("Notebook failed to validate")
            raise ValidationError(
                "Notebook failed to validate; the nbgrader metadata may be corrupted.") from error
        return nb, resources


def autograde_preprocessors() -> dict:
    """nbgrader's ``Autograde`` preprocessor lists with the course's steps in place of five of
    nbgrader's (as settings: ``{"sanitize_preprocessors": [...], ...}``):
    :class:`CheckCellMetadata` (the schema checked once),
    :class:`~ovop_course.grading.execute.ExecuteTestsOutside` (tests out of the kernel),
    :class:`~ovop_course.grading.outputs.LimitOutputSize` (outputs cut by bytes too), and
    :mod:`~ovop_course.grading.repair`'s two (pasted and deleted cells graded)."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import DeduplicateIds, Execute, LimitOutput, OverwriteCells

    from .execute import ExecuteTestsOutside
    from .outputs import LimitOutputSize
    from .repair import DeduplicatePasted, OverwriteAndPutBack

    ours = {NbgraderCheck: CheckCellMetadata, LimitOutput: LimitOutputSize,
            DeduplicateIds: DeduplicatePasted, OverwriteCells: OverwriteAndPutBack,
            Execute: ExecuteTestsOutside}
    traits = Autograde.class_traits()
    return {name: [ours.get(step, step) for step in traits[name].default()]
            for name in ("sanitize_preprocessors", "autograde_preprocessors")}
