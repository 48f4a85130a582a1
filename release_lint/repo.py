"""The repository view: which files make up the release, and safe, lazy, capped reads of them.

This is the only module that touches the file system for the rules. Guarantees:
- nothing is written, executed or imported from the repository;
- a symlink that resolves outside the repository is never read;
- only regular files are opened (never FIFOs, sockets or devices), non-blocking;
- at most ``max_bytes`` of a file are read, and each file is read at most once by the cached reads
  (one uncached pass, :meth:`Repo.scan_text`, may read a file a second time rather than keep it).
"""

from __future__ import annotations

import bisect
import fnmatch
import os
import re
import stat
import subprocess
import sys
import time
from functools import lru_cache
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from release_lint.findings import printable
from release_lint.mdparse import MarkdownDoc, parse_markdown, split_lines

DEFAULT_MAX_BYTES = 1024 * 1024
# Documents are analysed line by line by many rules; beyond this a "card" is data, not documentation.
MAX_DOCUMENT_BYTES = 256 * 1024
DOCUMENT_SUFFIXES = (".md", ".markdown", ".mdx", ".rst")
HEAD_READS_WHOLE = 64 * 1024  # head() of a file this small reads and caches it whole (see Repo.head)
DEFAULT_GIT_TIMEOUT = 30.0  # seconds; listing 100k files takes about 0.5 s
LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/v1"
LFS_POINTER_MAX = 1024  # real pointers are about 130 bytes
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


# Bounds on .gitignore patterns matched by the walk outside git (see WorkTree._ignore_spec).
MAX_IGNORE_PATTERN = 1024
MAX_IGNORE_STARS = 3
_STAR_RUN_RE = re.compile(r"\*{3,}")
_DOUBLE_STAR_SEGMENT_RE = re.compile(r"(?<![^/])\*\*(?![^/])")  # `**` as a whole path segment
_UNOPENED_FOLDER_RE = re.compile(r"^warning: could not open directory '(.*)/': (.*)$", re.MULTILINE)  # git, LC_ALL=C
MAX_EXCLUDE_PATTERNS = 256  # `exclude` patterns of the configuration, each matched against every file


def ignore_pattern_problem(pattern: str) -> Optional[str]:
    """Why a gitignore-style *pattern* is not matched (too long, too many ``*``, invalid), or None.

    pathspec turns patterns into backtracking regular expressions, so a hostile pattern
    (``*a*a*a*a*a*b``, five thousand ``*``) could take hours on a long name, where git's own
    matcher does not. Runs of ``*`` count as one (as in git); a pattern with more than
    MAX_IGNORE_STARS single ``*`` or longer than MAX_IGNORE_PATTERN is refused.
    """
    import pathspec

    line = _STAR_RUN_RE.sub("*", pattern)
    if len(line) > MAX_IGNORE_PATTERN:
        return f"pattern longer than {MAX_IGNORE_PATTERN} characters"
    if _DOUBLE_STAR_SEGMENT_RE.sub("", line).count("*") > MAX_IGNORE_STARS:
        return f"pattern with more than {MAX_IGNORE_STARS} '*' (other than '**' folders)"
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except Exception:  # pathspec's own error types differ between versions
        return "invalid pattern"
    return None


# O_NONBLOCK: opening a FIFO that slipped in after the check must not hang.
# O_NOFOLLOW: the resolved path must not have become a symlink since it was checked.
SAFE_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0)


class RepoError(Exception):
    """The repository cannot be linted at all (e.g. the path does not exist)."""


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


def detector(function: Callable) -> Callable:
    """Memoise ``function(repo)`` on the repository, so a fact several rules need is computed once."""

    def memoised(repo: "Repo"):
        memo = repo.memo
        if function not in memo:
            memo[function] = function(repo)
        return memo[function]

    memoised.__name__ = function.__name__
    memoised.__doc__ = function.__doc__
    memoised.__wrapped__ = function
    return memoised


class WorkTree:
    """Files as they are on disk: the git index plus untracked, unignored files, or a walk."""

    def __init__(self, root: str, notes: List[str]):
        self.root = root
        self.real_root = os.path.realpath(root)
        # root + "/" + a listed relative path is os.path.join's result, without its per-call cost.
        self._root_prefix = root if root.endswith(os.sep) else root + os.sep
        self.notes = notes
        self.is_git = False
        self.submodules: List[str] = []
        self._resolved: Dict[str, Optional[Tuple[Optional[str], int, int, bool]]] = {}
        self._plain_dirs: Dict[str, bool] = {"": True}

    def note(self, message: str) -> None:
        """Tell the user something once (e.g. an unreadable file), however often it is met."""
        message = printable(message)  # it may hold a file name that is not UTF-8
        if message not in self.notes:
            self.notes.append(message)

    def list_files(self) -> List[str]:
        listed = self._git_files()
        if listed is not None:
            self.is_git = True
            return listed
        return self._walk()

    def _git_files(self) -> Optional[List[str]]:
        # Two git processes at once, each costing about one pass over the work tree: tracked entries
        # with their mode (-s, to tell submodules) and untracked unignored files (-o), tagged (-t) "? "
        # for untracked; and tracked files deleted from the work tree (-d: an lstat per entry).
        timeout = git_list_timeout()
        errors: List[bytes] = []
        try:
            listed, deleted_listing = run_git_together(
                self.root, ("ls-files", "-z", "-t", "-s", "-c", "-o", "--exclude-standard"), ("ls-files", "-z", "-d"),
                timeout=timeout, errors=errors)
        except GitTimeout:
            self.note(f"git did not list the files within {timeout:g} s (a pathological .gitignore pattern?); "
                      "listed files by walking the folder")
            return None
        if listed is None or deleted_listing is None:
            inside = run_git(self.root, "rev-parse", "--is-inside-work-tree")
            if inside is not None and inside.strip() == b"true":
                self.note("git could not read the index (is .git/index corrupt?); listed files by walking the folder")
            elif os.path.lexists(os.path.join(self.root, ".git")):
                self.note("git cannot read this repository (owned by another user? see git's safe.directory); "
                          "listed files by walking the folder")
            return None
        files: List[str] = []
        deleted = [path for path in os.fsdecode(deleted_listing).split("\0") if path]
        # Decoded once as a whole (surrogateescape keeps undecodable bytes): per-entry work is str slicing.
        for entry in os.fsdecode(listed).split("\0"):
            tag = entry[:2]
            if tag == "? ":
                if entry.endswith("/"):  # a git repository nested in the work tree, not a submodule
                    self.note(f"{entry[2:]}: a nested git repository that is not a submodule; not linted")
                else:
                    files.append(entry[2:])
                continue
            if len(entry) < 3:
                continue
            meta, _, path = entry[2:].partition("\t")
            if meta.startswith("160000"):
                if path not in self.submodules:
                    self.submodules.append(path)  # listed, never descended into
            else:
                files.append(path)
        files.sort()  # two sorted runs (untracked, then the index): about linear
        unique = list(dict.fromkeys(files))  # an unmerged path has up to three index entries
        # git could not look into a folder (its permissions): its untracked files are not listed, and
        # its tracked files are listed as deleted. Say so, and keep those tracked files: they are part
        # of the release, only unreadable (reading them is refused with a note of its own).
        for match in _UNOPENED_FOLDER_RE.finditer(os.fsdecode(errors[0] if errors else b"")):
            self.note(f"{match.group(1)}/: cannot list folder ({match.group(2)}); its untracked files were not linted")
        if deleted:
            gone = {path for path in deleted if self.really_gone(path)}
            unique = [f for f in unique if f not in gone]
        return unique

    def really_gone(self, path: str) -> bool:
        """Whether a file git lists as deleted is absent, not merely unreachable (noted then)."""
        try:
            os.lstat(self._root_prefix + path)
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return True
        except PermissionError:
            self.note(f"{path}: permission denied; not read")
        except OSError as exc:
            self.note(f"{path}: cannot read ({exc.strerror or exc})")
        return False

    def _walk(self) -> List[str]:
        """A walk that honours .gitignore files, never follows directory symlinks, skips .git.

        Iterative (a folder nested thousands deep must not exhaust Python's recursion), and each
        path is checked against the .gitignore files of its own folders only (a tree with a
        .gitignore in every folder must not make the walk quadratic).
        """
        found: List[str] = []
        specs: Dict[str, object] = {}  # folder prefix ("" or "a/b/") -> its .gitignore patterns

        def ignored(relative: str, is_dir: bool) -> bool:
            cut = -1
            while True:
                prefix = relative[: cut + 1]
                spec = specs.get(prefix)
                if spec is not None and spec.match_file(relative[len(prefix) :] + ("/" if is_dir else "")):
                    return True
                cut = relative.find("/", cut + 1)
                if cut < 0:
                    return False

        pending = [(self.root, "")]
        while pending:
            directory, prefix = pending.pop()
            gitignore = os.path.join(directory, ".gitignore")
            if os.path.isfile(gitignore) and not os.path.islink(gitignore):
                patterns = self._read_small(gitignore)
                if patterns:
                    specs[prefix] = self._ignore_spec(patterns.splitlines(), f"{prefix}.gitignore")
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError as exc:
                self.note(f"{prefix or '.'}: cannot list folder ({exc.strerror or exc})")
                continue
            for entry in entries:
                relative = prefix + entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != ".git" and not ignored(relative, True):
                            pending.append((entry.path, relative + "/"))
                    elif entry.is_file(follow_symlinks=False) or entry.is_symlink():
                        if not ignored(relative, False):
                            found.append(relative)
                except OSError:
                    continue
        return sorted(found)

    def _ignore_spec(self, lines: List[str], where: str):
        """The patterns of one .gitignore, for the walk outside git: a pattern ignore_pattern_problem
        refuses is skipped and noted (git skips an invalid line silently)."""
        import pathspec

        good, bad = [], []
        for number, line in enumerate(lines, 1):
            if ignore_pattern_problem(line):
                bad.append(str(number))
                continue
            good.append(_STAR_RUN_RE.sub("*", line))
        if bad:
            self.note(f"{where}: invalid or too complex pattern on line {', '.join(bad)}; skipped")
        return pathspec.GitIgnoreSpec.from_lines(good)

    def _read_small(self, path: str) -> str:
        try:
            with open(path, "rb") as handle:
                return handle.read(256 * 1024).decode("utf-8", "replace")
        except OSError:
            return ""

    def _plain_dir(self, folder: str) -> bool:
        """True when every folder from the root down to *folder* is a real directory, not a symlink."""
        known = self._plain_dirs.get(folder)
        if known is None:
            parent = folder.rpartition("/")[0]
            try:
                info = os.lstat(os.path.join(self.root, folder))
                known = self._plain_dir(parent) and stat.S_ISDIR(info.st_mode)
            except (OSError, ValueError):
                known = False
            self._plain_dirs[folder] = known
        return known

    def _resolve(self, relative: str) -> Optional[Tuple[Optional[str], int, int, bool]]:
        """``(path to open or None for the listed path itself, st_mode, st_size, is a symlink)`` of what
        *relative* points to, or None when it must not be read (kept small: one per file of the release).

        The common case costs one lstat: a regular file in folders that are plain directories. Only a
        symlink (or a path under one) is resolved, and refused when it leads out of the repository.
        """
        try:
            return self._resolved[relative]
        except KeyError:
            pass
        full = self._root_prefix + relative
        resolved: Optional[Tuple[Optional[str], int, int, bool]] = None
        try:
            info = os.lstat(full)
            if not stat.S_ISLNK(info.st_mode) and self._plain_dir(relative.rpartition("/")[0]):
                resolved = (None, info.st_mode, info.st_size, False)
            else:
                real = os.path.realpath(full)
                if real != self.real_root and not real.startswith(self.real_root + os.sep):
                    self.note(f"{relative}: symlink points outside the repository; not read")
                else:
                    target = os.stat(real)
                    resolved = (real, target.st_mode, target.st_size, stat.S_ISLNK(info.st_mode))
        except FileNotFoundError:
            resolved = None  # deleted since it was listed, or a dangling symlink
        except PermissionError:
            self.note(f"{relative}: permission denied; not read")
        except OSError as exc:  # e.g. a symlink loop
            self.note(f"{relative}: cannot read ({exc.strerror or exc})")
        except ValueError:  # a NUL in the name
            resolved = None
        self._resolved[relative] = resolved
        return resolved

    def size(self, relative: str) -> Optional[int]:
        """Size of a regular file (symlinks inside the repository are followed), else None."""
        resolved = self._resolve(relative)
        if resolved is None or not stat.S_ISREG(resolved[1]):
            return None
        return resolved[2]

    def is_symlink(self, relative: str) -> bool:
        resolved = self._resolve(relative)
        return resolved[3] if resolved is not None else os.path.islink(os.path.join(self.root, relative))

    def read(self, relative: str, limit: int) -> Optional[bytes]:
        resolved = self._resolve(relative)
        if resolved is None or not stat.S_ISREG(resolved[1]):
            return None
        real = resolved[0] if resolved[0] is not None else self._root_prefix + relative
        try:
            fd = os.open(real, SAFE_OPEN_FLAGS)
        except PermissionError:
            self.note(f"{relative}: permission denied; not read")
            return None
        except OSError as exc:
            self.note(f"{relative}: cannot read ({exc.strerror or exc})")
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            return read_capped(fd, limit)
        except OSError as exc:
            self.note(f"{relative}: cannot read ({exc.strerror or exc})")
            return None
        finally:
            os.close(fd)


def read_capped(fd: int, limit: int) -> bytes:
    """At most *limit* bytes from the open file *fd*, read in bounded chunks."""
    chunks, remaining = [], limit
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class NotRegularFile(ValueError):
    """A FIFO, a device, a folder: never read (a FIFO would block, /dev/zero never ends)."""


class FileTooLarge(ValueError):
    """A file over the reader's cap: refused whole rather than read in part."""


def read_regular_file(path: str, limit: int) -> bytes:
    """The whole of *path*, a regular file of at most *limit* bytes, opened without blocking (for the
    configuration and baseline files named outside the file listing). Raises NotRegularFile,
    FileTooLarge or OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile("not a regular file")
        data = read_capped(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileTooLarge(f"larger than {limit} bytes")
    return data


def parse_toml(text: str) -> dict:
    """*text* as TOML (tomllib, or tomli before Python 3.11); raises ValueError when it is not valid TOML."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    return tomllib.loads(text)  # TOMLDecodeError is a ValueError


def decode_text(data: bytes) -> Optional[str]:
    """Decode file bytes as text, or None for binary data.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are recognised; undecodable
    bytes are replaced. A NUL byte in the first 8 KiB of non-UTF-16 data means binary.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", "replace")


class Repo:
    """The release under review: its file list and lazy, cached, capped reads."""

    def __init__(self, root: str, *, max_bytes: int = DEFAULT_MAX_BYTES, exclude: Iterable[str] = (), source=None):
        root = os.path.abspath(root)
        if source is None:
            if not os.path.exists(root):
                raise RepoError(f"{root}: no such file or directory")
            if not os.path.isdir(root):
                raise RepoError(f"{root}: not a directory")
        self.root = root
        self.max_bytes = max_bytes
        self.notes: List[str] = []
        self.source = source if source is not None else WorkTree(root, self.notes)
        if source is not None:
            source.notes = self.notes
        self.memo: Dict[object, object] = {}  # detector results, see @detector
        self._bytes: Dict[str, Optional[bytes]] = {}
        self._text: Dict[str, Optional[str]] = {}
        self._markdown: Dict[str, Optional[MarkdownDoc]] = {}
        self._lines: Dict[str, List[str]] = {}
        files = self.source.list_files()
        exclude = [p for p in exclude if p]
        for pattern in [p for p in exclude if ignore_pattern_problem(p)]:  # the configuration refuses these already
            self.note(f"exclude pattern {pattern[:80]!r}: {ignore_pattern_problem(pattern)}; skipped")
            exclude.remove(pattern)
        if exclude:
            import pathspec

            spec = pathspec.GitIgnoreSpec.from_lines(exclude)
            files = [f for f in files if not spec.match_file(f)]
        self.files: List[str] = files
        self._file_set = set(files)
        self._lower: Optional[Dict[str, str]] = None
        self._dirs: Optional[set] = None
        self._folded: Optional[List[Tuple[str, str]]] = None
        self._root_files: Optional[List[str]] = None
        self._root_lower: Optional[Dict[str, str]] = None
        self._lower_names: Optional[List[str]] = None
        self._lower_files: Optional[List[str]] = None

    def note(self, message: str) -> None:
        """Tell the user something once (a bound that was hit, a file not read), however often it is met."""
        message = printable(message)
        if message not in self.notes:
            self.notes.append(message)

    # --- what is in the release -------------------------------------------------
    @property
    def is_git(self) -> bool:
        return self.source.is_git

    @property
    def submodules(self) -> List[str]:
        return list(self.source.submodules)

    def exists(self, path: str) -> bool:
        return path in self._file_set

    def exists_ci(self, path: str) -> Optional[str]:
        """The release's path equal to *path* ignoring case (the first in sorted order), or None."""
        if "/" not in path:  # the common case, a top-level name: look among the root files only
            if self._root_lower is None:
                self._root_lower = {f.lower(): f for f in reversed(self.root_files())}
            return self._root_lower.get(path.lower())
        return self._by_lower().get(path.lower())

    def is_dir(self, path: str) -> bool:
        """Whether a file of the release lies under *path* (the root counts as a folder)."""
        if not path.strip("/"):
            return True
        if self._dirs is None:  # every folder holding a file, computed once: is_dir is then O(1)
            folders = set()
            for file in self.files:
                cut = file.rfind("/")
                while cut > 0 and file[:cut] not in folders:
                    folders.add(file[:cut])
                    cut = file.rfind("/", 0, cut)
            self._dirs = folders
        return path.strip("/") in self._dirs

    def _by_lower(self) -> Dict[str, str]:
        if self._lower is None:
            # Reversed, so the first path in sorted order wins among names equal but for case.
            self._lower = {path.lower(): path for path in reversed(self.files)}
        return self._lower

    def glob(self, *patterns: str) -> List[str]:
        """Paths matching any of the glob *patterns* against the whole path, ignoring case.

        ``*`` does not cross ``/``; ``**/`` matches any number of folders (including none).
        """
        regexes = [glob_regex(p) for p in patterns]
        prefixes = {_literal_folder(p) for p in patterns}
        if "" in prefixes:
            # A pattern without `/` or `**` (`*report*.pdf`) can only match a root file; any other
            # pattern that may match at the root makes every path a candidate.
            if all(_literal_folder(p) or ("/" not in p and "**" not in p) for p in patterns):
                candidates = set(self.root_files())
                for prefix in prefixes - {""}:
                    candidates.update(self.glob(*[p for p in patterns if _literal_folder(p) == prefix]))
                return [f for f in self.files if f in candidates and any(r.match(f) for r in regexes)]
            return [f for f in self.files if any(r.match(f) for r in regexes)]
        # Only paths under the patterns' literal folders (e.g. `docs/`) are candidates: a range of
        # the case-folded index each, so `docs/**/*.md` costs the size of docs/, not of the release.
        index = self._folded_index()
        found = set()
        for prefix in prefixes:
            position = bisect.bisect_left(index, (prefix,))
            while position < len(index) and index[position][0].startswith(prefix):
                path = index[position][1]
                if any(r.match(path) for r in regexes):
                    found.add(path)
                position += 1
        return sorted(found)

    def _folded_index(self) -> List[Tuple[str, str]]:
        """(lower-case path, path) for every file, sorted: built once, for prefix ranges."""
        if self._folded is None:
            self._folded = sorted((path.lower(), path) for path in self.files)
        return self._folded

    def find_names(self, *patterns: str, under: Optional[str] = None) -> List[str]:
        """Paths whose file name matches any glob in *patterns*, ignoring case, anywhere or *under* a folder."""
        match = _names_regex(patterns).match
        prefix = under.rstrip("/") + "/" if under else ""
        return [f for f, name in zip(self.files, self.lower_names()) if match(name) and f.startswith(prefix)]

    def lower_names(self) -> List[str]:
        """The lower-cased file name of every path of ``files``, in the same order (computed once)."""
        if self._lower_names is None:
            self._lower_names = [f[f.rfind("/") + 1 :].lower() for f in self.files]
        return self._lower_names

    def lower_files(self) -> List[str]:
        """Every path of ``files`` lower-cased, in the same order (computed once)."""
        if self._lower_files is None:
            self._lower_files = [f.lower() for f in self.files]
        return self._lower_files

    def root_files(self) -> List[str]:
        """Files at the top of the release (computed once; a new list each call)."""
        if self._root_files is None:
            self._root_files = [f for f in self.files if "/" not in f]
        return list(self._root_files)

    # --- reading ----------------------------------------------------------------
    def size(self, path: str) -> Optional[int]:
        return self.source.size(path)

    def read_bytes(self, path: str, limit: Optional[int] = None) -> Optional[bytes]:
        """The file's first ``max_bytes`` bytes (or fewer, *limit*); None if it cannot be read safely.

        The capped content is cached, so each file is read from disk at most once per run.
        Use :meth:`head` for a magic-number peek at a large file.
        """
        if path not in self._file_set:
            return None
        if path not in self._bytes:
            self._bytes[path] = self.source.read(path, self.max_bytes)
        data = self._bytes[path]
        return data if data is None or limit is None else data[:limit]

    def head(self, path: str, size: int = 512) -> bytes:
        """The first *size* bytes (for magic numbers).

        A file of at most HEAD_READS_WHOLE bytes is read whole (capped) and cached, so a later
        :meth:`text` does not read it again; of a larger file (a weight) only *size* bytes are read,
        uncached.
        """
        if path not in self._file_set:
            return b""
        if path in self._bytes:
            return (self._bytes[path] or b"")[:size]
        length = self.size(path)
        if length is None:
            return b""
        if length <= max(size, HEAD_READS_WHOLE):
            return (self.read_bytes(path) or b"")[:size]
        return self.source.read(path, size) or b""

    def text(self, path: str) -> Optional[str]:
        """The file as text (capped at ``max_bytes``), or None for binary, unreadable or absent files.

        Documents (Markdown, reStructuredText) are cut at ``MAX_DOCUMENT_BYTES``, at a line end: real
        model cards are far smaller, and every rule then sees the same prefix with the same line numbers.
        """
        if path not in self._text:
            data = self.read_bytes(path)
            if data is not None and len(data) > MAX_DOCUMENT_BYTES and path.lower().endswith(DOCUMENT_SUFFIXES):
                cut = data.rfind(b"\n", 0, MAX_DOCUMENT_BYTES)
                data = data[: cut + 1 if cut > 0 else MAX_DOCUMENT_BYTES]
                self.notes.append(f"{printable(path)}: larger than {MAX_DOCUMENT_BYTES // 1024} KiB; only the first "
                                  f"{MAX_DOCUMENT_BYTES // 1024} KiB were analysed")
            self._text[path] = decode_text(data) if data is not None else None
        return self._text[path]

    def scan_text(self, path: str) -> Optional[str]:
        """Like :meth:`text`, but a file not read yet is read without being cached: for one pass over
        every file (the secrets scan), whose texts no other rule needs. Documents are cached as by
        :meth:`text` (other rules read them, and their cut is noted once)."""
        if path in self._text:
            return self._text[path]
        if path in self._bytes or path.lower().endswith(DOCUMENT_SUFFIXES) or path not in self._file_set:
            return self.text(path)
        data = self.source.read(path, self.max_bytes)
        return decode_text(data) if data is not None else None

    def lines(self, path: str) -> List[str]:
        """The file's lines (cached: suppression comments are looked up once per finding)."""
        if path not in self._lines:
            text = self.text(path)
            self._lines[path] = split_lines(text) if text is not None else []
        return self._lines[path]

    def truncated(self, path: str) -> bool:
        size = self.size(path)
        return size is not None and size > self.max_bytes

    def is_lfs_pointer(self, path: str) -> bool:
        size = self.size(path)
        if size is None or size > LFS_POINTER_MAX:
            return False
        return self.head(path, len(LFS_POINTER_PREFIX)) == LFS_POINTER_PREFIX

    def markdown(self, path: str) -> Optional[MarkdownDoc]:
        """Parsed Markdown (front matter and headings), cached; None when the file has no text."""
        if path not in self._markdown:
            text = self.text(path)
            self._markdown[path] = parse_markdown(text) if text is not None else None
        return self._markdown[path]


@lru_cache(maxsize=512)
def _names_regex(patterns: Tuple[str, ...]) -> "re.Pattern[str]":
    """One regex for several lower-cased file-name globs (fnmatch syntax)."""
    return re.compile("|".join(fnmatch.translate(p.lower()) for p in patterns))


@lru_cache(maxsize=512)
def _literal_folder(pattern: str) -> str:
    """The lower-cased folders a glob starts with before any wildcard: `Docs/**/x.md` -> `docs/`."""
    pattern = pattern.lower()
    wildcard = min((i for i in (pattern.find("*"), pattern.find("?"), pattern.find("[")) if i >= 0), default=len(pattern))
    return pattern[: pattern.rfind("/", 0, wildcard) + 1]


@lru_cache(maxsize=512)
def glob_regex(pattern: str, ignore_case: bool = True) -> "re.Pattern[str]":
    """A regex for a path glob: ``*`` and ``?`` stay within a folder, ``**/`` spans any number of them.

    Shared by :meth:`Repo.glob` (case-insensitive) and ``.gitattributes`` matching (case-sensitive).
    """
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        else:
            char = pattern[index]
            out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
            index += 1
    return re.compile("".join(out) + r"\Z", re.IGNORECASE if ignore_case else 0)
