"""The kernel that runs a trainee's notebook during autograde, inside a bubblewrap sandbox.

The rule: the trainee's code sees the system read-only and, of everything the trainer has,
only the public libraries it imports and a scratch copy of its own work. In detail, the
kernel nbgrader's ``Execute`` starts for a submission (:class:`SandboxedKernelManager`):

- sees the whole system read-only, with its own /dev, its own /proc and an empty /tmp;
- sees an empty read-only folder in place of each of the course folder, the exchange,
  Jupyter's and IPython's folders and /run (:attr:`~SandboxedKernelManager.hidden` and
  :func:`private_folders`), and an empty HOME of its own; inside them, read-only again, only
  the Python environment, the folder of the ``ovop_course`` package and the course data
  (:func:`library_folders`);
- works in a scratch copy of the notebook's folder, shown at the folder's own path so relative
  paths work, and nothing it writes reaches the real folder (files bigger than
  :data:`COPY_LIMIT` are shown read-only instead of copied);
- has no network: its own network namespace with only a loopback of its own, so it talks to
  the grader over IPC (ZMQ's unix sockets in a private runtime folder, which work across
  network namespaces, where TCP on 127.0.0.1 does not);
- gets no variable of the environment that looks like a credential (:data:`SECRET`);
- has :attr:`~SandboxedKernelManager.memory_limit` bytes of address space (RLIMIT_AS) and
  :attr:`~SandboxedKernelManager.wall_time` seconds for the whole notebook: then the sandbox
  is killed, nbclient sees a dead kernel and the work is «не оценено» with its reason;
- takes every process it started down with it: the sandbox has its own pid namespace, and the
  system kills all of its processes when its first one ends, which it does when the kernel
  ends, when the time is up, and when the grader kills the sandbox or dies.

The trusted steps (nbgrader restoring locked cells, reading the scores, writing the gradebook,
this tool's fingerprints) run outside, in the grading process. :func:`sandbox_available` tries
the sandbox once; where it cannot be made (not Linux, no bubblewrap), ``ovop-course grade``
refuses unless the trainer accepts the risk (``--no-sandbox``).
"""

from __future__ import annotations

import functools
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, List, Unicode

from ..i18n import t

MEMORY_LIMIT = 3 * 2**30  # bytes of address space: a kernel with pandas uses about 0.3 GiB
WALL_TIME = 600  # seconds for a whole notebook (each cell also has nbgrader's own timeout)
COPY_LIMIT = 8 * 2**20  # bytes: a bigger file of the work is shown read-only, not copied
TMPFS_LIMIT = 128 * 2**20  # bytes each empty folder of the sandbox (/tmp, HOME…) can hold
PROGRAMS = ("bwrap", "prlimit", "timeout")  # bubblewrap, util-linux, coreutils
SECRET = re.compile(r"TOKEN|SECRET|PASSW|CREDENTIAL|API_?KEY|ACCESS_?KEY", re.IGNORECASE)
# Inside, the kernel's parent is the sandbox's pid 1, and JPY_PARENT_PID says so: ipykernel then
# does not watch its parent (the grader's pid means nothing there; the sandbox itself dies with
# the grader, --die-with-parent) and prints no banner for a kernel started by hand. IPython
# keeps its files in the kernel's private folder (IPYTHONDIR, set per kernel), not in the
# trainer's (hidden) one, which would make it warn that the folder cannot be written.
ISOLATION = ["--unshare-all", "--die-with-parent", "--new-session",
             "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
             "--size", str(TMPFS_LIMIT), "--tmpfs", "/tmp", "--setenv", "JPY_PARENT_PID", "1"]


def command(inner: list[str], mounts: list[str], cwd: Path, memory: int, seconds: int
            ) -> list[str]:
    """``inner`` run in a sandbox: the folders of ``mounts`` (bwrap arguments) over
    :data:`ISOLATION`, in ``cwd``, killed after ``seconds``, with ``memory`` bytes of address
    space. The time limit runs inside, so bwrap's parent is the grader (--die-with-parent)."""
    bwrap, prlimit, timeout = (shutil.which(p) or p for p in PROGRAMS)
    return [bwrap, *ISOLATION, *mounts, "--chdir", str(cwd), "--",
            timeout, "--signal=KILL", f"{seconds}s", prlimit, f"--as={memory}", "--", *inner]


@functools.cache
def _problem() -> tuple[str, dict] | None:
    """Why no sandbox can be made here (a catalogue key and its values), or None: tried once."""
    if sys.platform != "linux":
        return "grading.sandbox.not_linux", {"system": platform.system()}
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    if missing:
        return "grading.sandbox.missing", {"programs": ", ".join(missing)}
    try:
        run = subprocess.run(command(["true"], [], Path("/"), MEMORY_LIMIT, 30),
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "grading.sandbox.failed", {"detail": str(e)}
    if run.returncode != 0:
        lines = (run.stderr or f"exit code {run.returncode}").strip().splitlines()
        return "grading.sandbox.failed", {"detail": lines[-1]}
    return None


def sandbox_available() -> bool:
    """True on Linux where bubblewrap really starts a sandbox (tried once per process)."""
    return _problem() is None


def unavailable_message() -> str:
    """What the trainer is told, in Russian, where no sandbox can be made (and what to do);
    only there (:func:`sandbox_available` is False)."""
    key, values = _problem()
    return t("grading.sandbox.unavailable", reason=t(key, **values))


# Where people and services keep their own files: other users' homes (on a JupyterHub server,
# the trainees' own notebooks), served and mounted data, databases, mail and queues.
PEOPLES_FOLDERS = ("/home", "/srv", "/mnt", "/media", "/var/lib", "/var/mail", "/var/spool",
                   "/var/backups")


def private_folders() -> list[Path]:
    """Folders a kernel never sees besides the course's: :data:`PEOPLES_FOLDERS`, the
    trainer's Jupyter and IPython folders, and /run, where the system and the trainer keep
    their sockets (D-Bus, systemd, docker): a unix socket is reached by its path, from any
    network namespace. (HOME the kernel gets empty, as its own; the Python environment and the
    course inside any of these are shown again, :func:`library_folders`.)"""
    from jupyter_core.paths import jupyter_config_dir, jupyter_data_dir, jupyter_runtime_dir

    folders = [*PEOPLES_FOLDERS, "/run", jupyter_config_dir(), jupyter_data_dir(),
               jupyter_runtime_dir()]
    if os.environ.get("IPYTHONDIR"):
        folders.append(os.environ["IPYTHONDIR"])
    return [Path(f) for f in folders]


def library_folders() -> list[Path]:
    """What a kernel reads to import the course: the Python environment (its prefixes and
    user site-packages), the ``ovop_course`` package's folder and every place the course data
    may be (:func:`ovop_course.data.data_dir`: OVOP_DATA_DIR, the package's ``_data``, ``data/``
    beside it), without importing pandas here to ask."""
    import site

    import ovop_course

    package = Path(ovop_course.__file__).parent
    folders = [Path(p) for p in {sys.prefix, sys.exec_prefix, sys.base_prefix,
                                 sys.base_exec_prefix}] + [package, package.parent / "data"]
    if site.ENABLE_USER_SITE:
        folders.append(Path(site.getusersitepackages()))
    if os.environ.get("OVOP_DATA_DIR"):
        folders.append(Path(os.environ["OVOP_DATA_DIR"]))
    return folders


class Scratch:
    """A private folder for one kernel: ``runtime`` (the connection file and the sockets) and
    ``work``, the scratch copy of the notebook's folder. Removed with the connection file."""

    def __init__(self, folder: Path | None):
        self.root = Path(tempfile.mkdtemp(prefix="ovop-sandbox-")).resolve()
        self.runtime, self.work = self.root / "runtime", self.root / "work"
        self.runtime.mkdir()
        self.folder = folder.resolve() if folder else self.work
        self.big: list[Path] = []
        if folder:
            shutil.copytree(self.folder, self.work, symlinks=True, ignore=self._leave_big)
        else:
            self.work.mkdir()

    def _leave_big(self, folder: str, names: list[str]) -> list[str]:
        """copytree's filter: files above COPY_LIMIT are not copied (listed in ``big``)."""
        paths = [Path(folder, n) for n in names]
        big = [p for p in paths
               if not p.is_symlink() and p.is_file() and p.stat().st_size > COPY_LIMIT]
        self.big += big
        return [p.name for p in big]

    def mounts(self, hidden: list[Path], shown: list[Path], empty: list[Path]) -> list[str]:
        """bwrap arguments: ``hidden`` folders empty and read-only (a hidden file: empty),
        ``shown`` ones read-only,
        ``empty`` ones empty and writable (HOME), the runtime folder writable, the scratch copy
        at the notebook's folder, its big files read-only.

        Applied from the shallowest path to the deepest, so the deeper decides (the package
        folder inside a hidden course folder is seen); on the same path, hidden wins. The
        hidden folders are made read-only last, once the mount points inside them exist."""
        steps = ([(p, ["--ro-bind", p, p]) for p in shown]
                 + [(self.runtime, ["--bind", self.runtime, self.runtime]),
                    (self.folder, ["--bind", self.work, self.folder])]
                 + [(p, ["--ro-bind", p, p]) for p in self.big]
                 + [(p, ["--size", TMPFS_LIMIT, "--tmpfs", p]) for p in empty]
                 + [(p, ["--tmpfs", p] if p.is_dir() else ["--ro-bind", "/dev/null", p])
                    for p in hidden])
        steps.sort(key=lambda step: len(step[0].parts))
        steps += [(p, ["--remount-ro", p]) for p in hidden if p.is_dir()]
        return [str(arg) for _, args in steps for arg in args]

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _existing(paths) -> list[Path]:
    """The resolved paths that exist, each once, in order."""
    resolved = [Path(p).resolve() for p in paths]
    return list(dict.fromkeys(p for p in resolved if p.exists()))


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel in a bubblewrap sandbox (module docstring).

    nbgrader's ``Execute`` (and a subclass of it) uses it through the setting
    ``Execute.kernel_manager_class``: nbgrader's constructor passes AsyncKernelManager as an
    argument, which beats the setting, but nbconvert's ``preprocess`` loads the settings again
    for every notebook, before the kernel starts. nbclient passes the notebook's folder as
    ``cwd``.
    Interrupts (a cell's timeout) go as a message on the control channel: a signal to the
    process group does not reach a kernel in its own session.
    """

    memory_limit = Integer(MEMORY_LIMIT, config=True,
                           help="Bytes of address space the kernel may use (RLIMIT_AS).")
    wall_time = Integer(WALL_TIME, config=True,
                        help="Seconds the whole notebook may run; then the sandbox is killed.")
    hidden = List(Unicode(), config=True,
                  help="Folders the kernel must not see, besides the trainer's own "
                       "(private_folders): the course folder and the exchange.")

    _scratch: Scratch | None = None

    async def _async_pre_start_kernel(self, **kw):
        self._scratch = scratch = Scratch(Path(kw["cwd"]) if kw.get("cwd") else None)
        self.transport, self.ip = "ipc", str(scratch.runtime / "kernel")
        self.connection_file = str(scratch.runtime / "kernel.json")
        self.kernel_spec.interrupt_mode = "message"
        inner, kw = await super()._async_pre_start_kernel(**kw)
        kw["env"] = {k: v for k, v in kw["env"].items() if not SECRET.search(k)}
        kw["env"]["IPYTHONDIR"] = str(scratch.runtime / "ipython")
        mounts = scratch.mounts(_existing([*self.hidden, *private_folders()]),
                                _existing(library_folders()), _existing([Path.home()]))
        return command(inner, mounts, scratch.folder, self.memory_limit, self.wall_time), kw

    def cleanup_connection_file(self) -> None:
        """Remove the connection file and with it the kernel's private folder."""
        super().cleanup_connection_file()
        if self._scratch is not None:
            self._scratch.remove()
            self._scratch = None
