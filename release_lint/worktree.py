"""The work-tree source: the files of the release as they are on disk, and their safe reads.

Files are listed by git (the index plus untracked, unignored files) or, outside git, by a walk that
honours .gitignore files. A symlink that resolves outside the repository is never read, only regular
files are opened, non-blocking, and a read stops at its cap.
"""

from __future__ import annotations

import os
import re
import stat
from typing import Dict, List, Optional, Tuple

from release_lint.filereads import read_capped
from release_lint.findings import printable
from release_lint.gitcalls import GitTimeout, git_list_timeout, run_git, run_git_together
from release_lint.globs import STAR_RUN_RE, ignore_pattern_problem

_UNOPENED_FOLDER_RE = re.compile(r"^warning: could not open directory '(.*)/': (.*)$", re.MULTILINE)  # git, LC_ALL=C

# O_NONBLOCK: opening a FIFO that slipped in after the check must not hang.
# O_NOFOLLOW: the resolved path must not have become a symlink since it was checked.
SAFE_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0)


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
            good.append(STAR_RUN_RE.sub("*", line))
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
