"""nbgrader settings of the ОСОП course (read by `nbgrader …` and by `ovop-course …`).

solutions/<assignment>/ holds the trainer's source notebooks (solutions and hidden tests);
exercises/<assignment>/ is generated from them (`ovop-course exercises`) and committed.
The exchange folder (where trainees fetch and submit work) is nbgrader's default,
/usr/local/share/nbgrader/exchange (JupyterHub: set it for everyone in
/etc/jupyter/nbgrader_config.py), unless the environment variable OVOP_EXCHANGE names another
folder (one computer without administrator rights: `export OVOP_EXCHANGE=$HOME/ovop-exchange`).
"""

import os

c = get_config()  # noqa: F821 (provided by the traitlets config loader)

c.CourseDirectory.course_id = "ovop"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

if os.environ.get("OVOP_EXCHANGE"):
    c.Exchange.root = os.environ["OVOP_EXCHANGE"]

# What a trainee sees in place of a removed solution.
c.ClearSolutions.code_stub = {
    "python": "# ВПИШИТЕ РЕШЕНИЕ ВМЕСТО ЭТИХ ДВУХ СТРОК\n"
    'raise NotImplementedError("Задание ещё не выполнено")'
}
c.ClearSolutions.text_stub = "ВПИШИТЕ ОТВЕТ ЗДЕСЬ (дважды щёлкните по ячейке, чтобы писать)"

# A test cell the trainee deleted is put back and graded (never a silent zero).
c.OverwriteCells.add_missing_cells = True
c.OverwriteCells.missing_cell_notification = (
    "Эта ячейка ({cell_id}) была удалена из сданной работы; nbgrader вернул её при проверке.\n\n"
)

# Seconds one cell may run during grading; an endless loop is interrupted after this.
c.Execute.timeout = 30

# Kernels started for grading keep no history file and print only real errors.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
# Seconds to wait for a cell's last output after it finished (nbgrader's default is 4): a busy
# computer may need longer to deliver a long printout.
c.Execute.iopub_timeout = 10
