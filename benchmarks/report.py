"""Targets of the benchmarks and the Markdown report (printed and kept in docs/performance.md)."""

from __future__ import annotations

from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# (part, key) → (limit, unit): a figure meets its target when it is at most the limit (at
# least, for the keys in AT_LEAST). The standing targets of the project: a lesson ≤ 1.3× its
# bare-imports baseline, every tool's update p95 ≤ 150 ms, autograde ≤ 1.3× plain execution,
# a class graded with --jobs 2 ≥ 1.6× faster than with --jobs 1 (two cores) and no score
# different, `make test` < 20 min, a tool's page in app mode ready ≤ 2 s.
TARGETS = {
    ("notebooks", "time_ratio"): (1.3, "×"),
    ("notebooks", "memory_ratio"): (1.3, "×"),
    ("tools", "median_ms"): (100, "ms"),
    ("tools", "p95_ms"): (150, "ms"),
    ("imports", "seconds"): (0.3, "s"),
    ("imports", "mib"): (30, "MiB"),
    ("grading", "autograde_ratio"): (1.3, "×"),
    ("grading", "jobs_speedup"): (1.6, "×"),
    ("grading", "differing_scores"): (0, "trainees"),
    ("tests", "minutes"): (20, "min"),
    ("app", "ready_seconds"): (2, "s"),
}
AT_LEAST = {("grading", "jobs_speedup")}
# Figures shown beside the targets without one of their own: a lesson's first run on a
# machine, before the user's cache folder holds the tools' first pictures.
SHOWN = {("notebooks", "first_run_ratio"): "×"}


def _rows(results: dict):
    """(part, label, key, value) for every figure that has a target."""
    for part, rows in results.items():
        if not isinstance(rows, list):
            continue
        for row in rows:
            label = next(str(v) for v in row.values())
            for key, value in row.items():
                if (part, key) in TARGETS:
                    yield part, label, key, value


def met(part: str, key: str, value: float) -> bool:
    limit = TARGETS[(part, key)][0]
    return value >= limit if (part, key) in AT_LEAST else value <= limit


def all_met(results: dict) -> bool:
    return all(met(p, k, v) for p, _, k, v in _rows(results))


def markdown(results: dict) -> str:
    """A table: what, figure, measured, target, met (✓/✗); then untargeted figures."""
    lines = [f"Measured {results['date']} on {results['machine']}.", "",
             "| part | what | figure | measured | target | |", "|---|---|---|---|---|---|"]
    for part, label, key, value in _rows(results):
        limit, unit = TARGETS[(part, key)]
        mark = "✓" if met(part, key, value) else "✗"
        sign = "≥" if (part, key) in AT_LEAST else "≤"
        lines.append(f"| {part} | {label} | {key} | {value:.3g} {unit} "
                     f"| {sign} {limit} {unit} | {mark} |")
    for part, rows in results.items():
        for row in rows if isinstance(rows, list) else []:
            lines += [f"| {part} | {next(iter(row.values()))} | {key} | {row[key]:.3g} {unit} "
                      "| — | |" for (shown, key), unit in SHOWN.items()
                      if shown == part and key in row]
    extra = [f"- {part}: {row}" for part, rows in results.items() if isinstance(rows, list)
             for row in rows if not any((part, k) in TARGETS for k in row)]
    extra += [f"- {part}: {value}" for part, value in results.items()
              if isinstance(value, dict)]
    return "\n".join(lines + ([""] + extra if extra else []))


def update_docs(path: Path, table: str) -> None:
    """Replace the generated block between the markers in ``path`` with ``table``."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
