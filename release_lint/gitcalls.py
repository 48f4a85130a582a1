"""Every git command release-lint runs, built so that it cannot run a program of the repository.

The repository's own .git/config may name programs (fsmonitor, hooks, filter and diff drivers, ssh);
each command overrides them on its command line, runs with a fixed environment, its stdin closed and a
timeout. Only the user's own (system and global) git configuration stays in force.
"""

from __future__ import annotations

import os
import subprocess
import time
from typing import Dict, Iterable, List, Optional, Tuple

DEFAULT_GIT_TIMEOUT = 30.0  # seconds; listing 100k files takes about 0.5 s
# Environment for every git command: never take optional locks (so `git status` does not
# refresh and rewrite the index), never prompt, never fetch a missing object of a partial clone.
GIT_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_NO_LAZY_FETCH": "1"}
# Settings of the repository's own .git/config that would make git run a program (or open a
# connection that runs one), overridden on every git command line: `-c` beats every config file.
# The system and global configuration stay in force: they are the user's, not the repository's
# (safe.directory lives there). Filter and textconv drivers have names chosen by the repository, so
# they cannot be listed here; see driver_overrides.
SAFE_GIT_CONFIG = (
    "core.fsmonitor=false",  # a command run on every index refresh (ls-files, status)
    "core.hooksPath=" + os.devnull,  # no hook of the repository, should a command ever run one
    "protocol.allow=never",  # no transport at all (a partial clone's lazy fetch runs core.sshCommand)
    "core.sshCommand=",
    "core.askPass=",
    "credential.helper=",
    "status.submoduleSummary=false",  # would run git log in submodules
)
MAX_GIT_DRIVERS = 256  # filter/diff drivers switched off by name; a config naming more is not trusted


def git_command(root: str, *args: str, config: Iterable[str] = ()) -> List[str]:
    """The argument list of a git command run in *root* that cannot run a program of the repository.

    Every git process release-lint starts is built here (GitPython's too, see safe_gitpython):
    SAFE_GIT_CONFIG plus *config* (e.g. driver_overrides) as ``-c`` settings.
    """
    settings = [part for setting in (*SAFE_GIT_CONFIG, *config) for part in ("-c", setting)]
    return ["git", *settings, "-C", root, *args]


def git_env() -> Dict[str, str]:
    return dict(os.environ, **GIT_ENV)


def safe_gitpython(gitrepo):
    """A GitPython ``Repo`` whose own git processes (``cat-file --batch``, ``rev-parse``) get the same
    settings and environment as :func:`git_command`; commands given as a full argument list must be
    built with :func:`git_command`."""
    gitrepo.git.update_environment(**GIT_ENV)
    gitrepo.git.set_persistent_git_options(c=list(SAFE_GIT_CONFIG))
    return gitrepo


def driver_overrides(root: str) -> Optional[List[str]]:
    """``-c`` settings that switch off every filter (clean, smudge, process) and diff driver (textconv,
    command) the git configuration of *root* defines, or None when they cannot all be switched off.

    ``git status`` runs a file's clean filter to compare a file whose stat data changed; the filter's
    name comes from .gitattributes and its command from the repository's .git/config. Reading the
    configuration runs nothing. A driver whose name holds ``=`` cannot be set with ``-c``, and more
    than MAX_GIT_DRIVERS of them would not fit a command line: None, so the caller does not run git.
    """
    listed = run_git(root, "config", "-z", "--name-only", "--get-regexp", r"^(filter|diff)\.")
    if listed is None:  # no such setting (exit 1) or no configuration git can read
        return []
    drivers = set()
    for name in os.fsdecode(listed).split("\0"):
        section, dot, rest = name.partition(".")
        subsection = rest.rpartition(".")[0]
        if dot and subsection:
            drivers.add((section.lower(), subsection))
    if len(drivers) > MAX_GIT_DRIVERS or any("=" in name or "\n" in name for _, name in drivers):
        return None
    overrides = []
    for section, name in sorted(drivers):
        if section == "filter":
            overrides += [f"filter.{name}.clean=", f"filter.{name}.smudge=", f"filter.{name}.process=",
                          f"filter.{name}.required=false"]
        else:
            overrides += [f"diff.{name}.textconv=", f"diff.{name}.command="]
    return overrides


def run_git(root: str, *args: str, timeout: float = 60, input: Optional[bytes] = None) -> Optional[bytes]:
    """Run git in *root* (fed *input*); its stdout, or None if git is missing or the command failed."""
    env = git_env()
    try:
        done = subprocess.run(
            git_command(root, *args),
            input=input,
            stdin=subprocess.DEVNULL if input is None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_list_timeout() -> float:
    """Seconds to wait for git to list the files before walking the folder instead.

    git's own matcher can take hours on a hostile .gitignore pattern (``*a*a*a...*b`` against a long
    name), so listing must not wait forever. ``RELEASE_LINT_GIT_TIMEOUT`` overrides it.
    """
    try:
        return max(0.1, float(os.environ.get("RELEASE_LINT_GIT_TIMEOUT", DEFAULT_GIT_TIMEOUT)))
    except ValueError:
        return DEFAULT_GIT_TIMEOUT


class GitTimeout(Exception):
    """A git command did not finish in time (and was killed)."""


def run_git_together(root: str, *commands: Tuple[str, ...], timeout: float = 60,
                     errors: Optional[List[bytes]] = None) -> List[Optional[bytes]]:
    """Run several git commands in *root* at the same time; the stdout of each, None where one failed
    (and the stderr of each appended to *errors*, if given).

    Raises GitTimeout when they have not all finished after *timeout* seconds (all are killed).

    Outputs are collected in order, so only the first may print much: the others must print little
    enough to fit their pipe while they wait (or they would stall until collected).
    """
    env = git_env()
    processes = []
    try:
        for args in commands:
            processes.append(subprocess.Popen(git_command(root, *args), stdin=subprocess.DEVNULL,
                                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env))
    except OSError:
        for process in processes:
            process.kill()
            process.communicate()
        return [None] * len(commands)
    outputs: List[Optional[bytes]] = []
    deadline = time.monotonic() + timeout
    try:
        for process in processes:
            out, err = process.communicate(timeout=max(0.0, deadline - time.monotonic()))
            outputs.append(out if process.returncode == 0 else None)
            if errors is not None:
                errors.append(err or b"")
    except subprocess.TimeoutExpired:
        for process in processes:
            process.kill()
            process.communicate()
        raise GitTimeout() from None
    return outputs
