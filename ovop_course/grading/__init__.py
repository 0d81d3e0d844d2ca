"""The trainer's side of the graded exercises: a thin, safe layer over nbgrader 0.9.

Modules (imports flow downward):

- :mod:`.cli` — the ``ovop-course`` sub-commands (Russian help and messages);
- :mod:`.exercises` — regenerate exercises/ from solutions/ and verify them;
- :mod:`.feedback` — feedback pages for current grades only, released to trainees;
- :mod:`.report` — the grades table (every trainee, score, status), CSV and XLSX export;
- :mod:`.autograde` — grade every submission, ``--jobs`` at a time, and record an honest status;
- :mod:`.workers` — the child processes that grade, one submission each at a time;
- :mod:`.roster` — trainees from a CSV file into nbgrader's gradebook;
- :mod:`.runner` — one function per nbgrader action, run in this process;
- :mod:`.metadata` — nbgrader's autograde steps with the course's in place of five:
  :mod:`.repair` (pasted and deleted cells), :mod:`.outputs` (outputs cut by size),
  :mod:`.execute` (tests run outside the trainee's kernel on :mod:`.plain` values);
- :mod:`.hidden` — feedback pages without hidden tests;
- :mod:`.tamper` — tampering signs for the grades table's «Подозрительно» column;
- :mod:`.course` — the course folder and nbgrader's settings for it.

nbgrader is imported lazily, so ``ovop-course lab`` does not pay for it.
"""
