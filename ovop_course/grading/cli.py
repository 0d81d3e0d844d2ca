"""The trainer's sub-commands of ``ovop-course`` (a wrapper over nbgrader).

The whole cycle, run in the course folder (docs/trainer_guide.md explains it)::

    ovop-course exercises                         # exercises/ from solutions/, verified
    ovop-course trainees add trainees.csv         # the group into the gradebook
    ovop-course release m01_concept            # give the assignment out
    ovop-course submit m01_concept FILE --trainee ID   # (one computer) hand in a file
    ovop-course collect m01_concept            # take in the submissions
    ovop-course grade m01_concept --jobs 2     # autograde everything, 2 at once, progress bar
    ovop-course export m01_concept --xlsx grades.xlsx  # every trainee, score, status
    ovop-course feedback m01_concept           # feedback pages, released to trainees
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..errors import OvopError
from ..i18n import t
from . import autograde, exercises, feedback, report, roster, runner
from .course import Course

ASSIGNMENT_HELP = "имя задания — папка в solutions/, например m01_concept"


def _course_option() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course-dir", metavar="ПАПКА", default=None,
                        help="папка курса с nbgrader_config.py (по умолчанию — текущая папка)")
    return common


def _positive(message: str):
    """An argparse type: a whole number above zero, else the catalogue's ``message``."""
    def whole(text: str) -> int:
        if not text.isdigit() or int(text) == 0:
            raise argparse.ArgumentTypeError(t(message, value=text))
        return int(text)
    return whole


def _login(text: str) -> str:
    """A trainee's login (argparse type): the roster's rule, :func:`.roster.login`."""
    try:
        return roster.login(text)
    except OvopError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def add_commands(commands, formatter_class: type[argparse.HelpFormatter]) -> None:
    """Add the trainer's sub-commands to the ``ovop-course`` sub-parsers, their help laid out
    by ``formatter_class`` (the main command's Russian formatter)."""
    common = _course_option()

    def add(name, help_text, func, description=None):
        parser = commands.add_parser(name, help=help_text, description=description or help_text,
                                     parents=[common], formatter_class=formatter_class)
        parser.set_defaults(func=func)
        return parser

    p = add("exercises",
            "тренеру: заново создать упражнения exercises/ из solutions/ и проверить их",
            _exercises, "Создаёт exercises/ЗАДАНИЕ из solutions/ЗАДАНИЕ (без решений и скрытых "
            "проверок) и проверяет: решения проходят все проверки, пустые упражнения — ни одной.")
    p.add_argument("assignments", nargs="*", metavar="ЗАДАНИЕ",
                   help="задания (по умолчанию — все из solutions/)")
    p.add_argument("--check", action="store_true",
                   help="ничего не менять, только проверить, что exercises/ совпадает с solutions/")

    trainees = commands.add_parser("trainees", help="тренеру: список слушателей",
                                   formatter_class=formatter_class)
    actions = trainees.add_subparsers(dest="action", title="действия", metavar="ДЕЙСТВИЕ",
                                      required=True)
    p = actions.add_parser("add", help="добавить слушателей из CSV-файла", parents=[common],
                           formatter_class=formatter_class,
                           description="CSV в UTF-8 со столбцами id (логин: латинские буквы, "
                           "цифры, . _ -), last_name, first_name, email.")
    p.add_argument("file", metavar="ФАЙЛ.csv", help="файл со слушателями")
    p.set_defaults(func=_trainees_add)
    p = actions.add_parser("list", help="показать слушателей", parents=[common],
                           formatter_class=formatter_class)
    p.set_defaults(func=_trainees_list)

    p = add("release", "тренеру: выдать задание слушателям (через папку обмена nbgrader)", _release)
    p.add_argument("assignment", metavar="ЗАДАНИЕ", help=ASSIGNMENT_HELP)

    p = add("submit", "тренеру: сдать присланную тетрадь за слушателя (один компьютер)", _submit)
    p.add_argument("assignment", metavar="ЗАДАНИЕ", help=ASSIGNMENT_HELP)
    p.add_argument("files", nargs="+", metavar="ФАЙЛ.ipynb", help="тетрадь(и) слушателя")
    p.add_argument("--trainee", required=True, type=_login, metavar="ЛОГИН",
                   help="логин слушателя")

    p = add("collect", "тренеру: собрать сданные работы", _collect)
    p.add_argument("assignment", metavar="ЗАДАНИЕ", help=ASSIGNMENT_HELP)
    p.add_argument("--one-account", action="store_true",
                   help="все сдают с одной учётной записи (не сверять владельца файлов)")

    p = add("grade", "тренеру: проверить все собранные работы (автопроверка)", _grade)
    p.add_argument("assignment", metavar="ЗАДАНИЕ", help=ASSIGNMENT_HELP)
    p.add_argument("--trainee", action="append", type=_login, metavar="ЛОГИН",
                   help="проверить только этого слушателя (можно несколько раз)")
    p.add_argument("--timeout", type=_positive("grading.bad_timeout"), metavar="СЕКУНДЫ",
                   help="сколько секунд может выполняться одна ячейка (по умолчанию 30)")
    p.add_argument("--jobs", type=_positive("grading.bad_jobs"), default=1, metavar="N",
                   help="сколько работ проверять одновременно (по умолчанию 1; больше "
                   "числа ядер процессора не ускоряет)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="проверять без песочницы, где её нельзя сделать (не Linux, нет "
                   "bubblewrap): код слушателей выполнится от вашего имени и сможет читать и "
                   "менять журнал оценок, решения и чужие работы — только для работ, которым "
                   "вы доверяете")

    p = add("export", "тренеру: таблица оценок (всех слушателей) в CSV и/или XLSX", _export)
    p.add_argument("assignment", metavar="ЗАДАНИЕ", help=ASSIGNMENT_HELP)
    p.add_argument("--csv", metavar="ФАЙЛ.csv", help="сохранить таблицу в CSV")
    p.add_argument("--xlsx", metavar="ФАЙЛ.xlsx", help="сохранить таблицу в Excel")
    p.add_argument("--moodle", metavar="ФАЙЛ.csv",
                   help="сохранить оценки для импорта в Moodle (Оценки → Импорт → CSV)")
    p.add_argument("--moodle-id", choices=sorted(report.MOODLE_IDS), default="email",
                   help="как Moodle найдёт слушателя: по e-mail из списка слушателей "
                   "(по умолчанию) или по логину, если логины в Moodle те же")

    p = add("feedback", "тренеру: отзывы по проверенным работам и выдача их слушателям", _feedback)
    p.add_argument("assignment", metavar="ЗАДАНИЕ", help=ASSIGNMENT_HELP)
    p.add_argument("--no-release", action="store_true",
                   help="только создать HTML-отзывы, не выкладывать в папку обмена")


def _course(args) -> Course:
    return Course.find(args.course_dir)


def _exercises(args) -> int:
    course = _course(args)
    names = [course.require(a) for a in args.assignments] or course.assignments()
    if not names:
        raise OvopError(t("grading.no_assignments", folder=course.source_dir))
    failed = False
    for name in names:
        problems = (exercises.compare(course, name) if args.check
                    else exercises.regenerate(course, name))
        problems = problems or exercises.verify(course, name)
        for line in problems:
            print(line)
        print(t("grading.exercise_bad" if problems else "grading.exercise_ok", assignment=name))
        failed = failed or bool(problems)
    return 1 if failed else 0


def _trainees_add(args) -> int:
    course = _course(args)
    added, updated = roster.add_trainees(course, roster.read_trainees(Path(args.file)))
    print(t("grading.trainees_added", added=added, updated=updated))
    return 0


def _trainees_list(args) -> int:
    rows = roster.trainees(_course(args))
    for row in rows:
        print(f"{row.id}\t{row.last_name or ''}\t{row.first_name or ''}\t{row.email or ''}")
    print(t("grading.trainees_count", count=len(rows)))
    return 0


def _release(args) -> int:
    course = _course(args)
    name = course.require(args.assignment)
    problems = exercises.regenerate(course, name)
    if problems:
        raise OvopError("\n".join(problems))
    outcome = runner.release(course, name)
    if not outcome.ok:
        raise OvopError(t("grading.release_failed", assignment=name,
                          detail=outcome.detail()))
    print(t("grading.released", assignment=name, root=runner.exchange_root(course)))
    return 0


def _submit(args) -> int:
    course = _course(args)
    name = course.require(args.assignment)
    files = [Path(f) for f in args.files]
    for path in files:
        if not path.is_file() or path.suffix != ".ipynb":
            raise OvopError(t("grading.not_a_notebook", path=path))
    outcome = runner.submit(course, name, args.trainee, files)
    if not outcome.ok:
        raise OvopError(t("grading.submit_failed", assignment=name,
                          detail=outcome.detail()))
    print(t("grading.submitted", trainee=args.trainee, assignment=name))
    return 0


def _collect(args) -> int:
    course = _course(args)
    name = course.require(args.assignment)
    outcome = runner.collect(course, name, check_owner=not args.one_account)
    if not outcome.ok:
        raise OvopError(t("grading.collect_failed", assignment=name,
                          detail=outcome.detail()))
    taken = re.findall(r"(?:Collecting|Updating) submission: (\S+)", outcome.log)
    for owner in re.findall(r"claims to be submitted by (\S+) but is owned by ([^;\s]+)",
                            outcome.log):
        print(t("grading.owner_mismatch", trainee=owner[0], owner=owner[1]))
    print(t("grading.collected", count=len(taken), logins=", ".join(taken) or "—",
            total=len(course.submitted_students(name))))
    return 0


def _grade(args) -> int:
    course = _course(args)
    name = course.require(args.assignment)
    autograde.require_in_gradebook(course, name)
    students = args.trainee or course.submitted_students(name)
    missing = [s for s in students if not course.student_path("submitted", s, name).is_dir()]
    if missing or not students:
        raise OvopError(t("grading.nothing_to_grade", assignment=name,
                          logins=", ".join(missing) or "—"))
    in_sandbox = _sandbox(args.no_sandbox)
    records = autograde.grade_all(course, name, students, timeout=args.timeout, jobs=args.jobs,
                                  sandbox=in_sandbox)
    failed = [r for r in records if r.status != autograde.GRADED]
    print(t("grading.graded_summary", graded=len(records) - len(failed), failed=len(failed)))
    for record in failed:
        print(t("grading.graded_failure", trainee=record.student, reason=record.reason))
    for record in records:
        if record.repaired:
            print(t("grading.graded_repaired", trainee=record.student, repairs=record.repaired))
    print(t("grading.next_export", assignment=name))
    return 1 if failed else 0


def _sandbox(no_sandbox: bool) -> bool:
    """Whether to grade in the sandbox (:mod:`.sandbox`): yes, unless the trainer accepts the
    risk with ``--no-sandbox`` (then one line of warning); where none can be made, refuse."""
    from . import sandbox  # jupyter_client: only when grading

    if no_sandbox:
        print(t("grading.no_sandbox_warning"))
        return False
    if not sandbox.sandbox_available():
        raise OvopError(sandbox.unavailable_message())
    return True


def _export(args) -> int:
    course = _course(args)
    name = course.require(args.assignment)
    rows = report.grades_table(course, name)
    print(report.format_table(rows))
    if args.csv:
        print(t("grading.saved", path=report.write_csv(rows, Path(args.csv))))
    if args.xlsx:
        print(t("grading.saved", path=report.write_xlsx(rows, Path(args.xlsx), name)))
    if args.moodle:
        moodle = report.write_moodle_csv(rows, Path(args.moodle), name, args.moodle_id)
        print(t("grading.moodle_saved", path=moodle.path, written=len(moodle.written),
                field=report.MOODLE_IDS[args.moodle_id][1]))
        for login, why in moodle.left_out.items():
            print(t("grading.moodle_left_out", login=login, why=why))
    return 0


def _feedback(args) -> int:
    course = _course(args)
    name = course.require(args.assignment)
    summary = feedback.make_feedback(course, name, release=not args.no_release)
    print(t("grading.feedback_summary", generated=len(summary.generated),
            skipped=len(summary.skipped), folder=course.root / course.coursedir.feedback_directory))
    for student, detail in summary.failed.items():
        print(t("grading.feedback_failed", trainee=student, detail=detail))
    if summary.released:
        print(t("grading.feedback_released"))
    elif summary.release_error:
        print(summary.release_error)
    return 1 if summary.failed else 0
