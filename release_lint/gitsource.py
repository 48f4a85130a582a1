"""A release source read straight from git objects: the tree of one revision (``--rev v1.0``).

Nothing is checked out and the work tree and index are never touched. Files come from
``git ls-tree -r -l`` (one listing, with sizes); small blobs are read through GitPython's
persistent ``cat-file --batch``; a blob larger than the read limit is streamed from its own
``git cat-file`` process that is stopped after the bytes needed, so a 5 GB blob is never read whole.
"""

from __future__ import annotations

import os
import subprocess
from typing import Dict, List, Optional, Tuple

from release_lint.findings import printable
from release_lint.repo import GIT_ENV, RepoError, git_command, git_env, safe_gitpython

SYMLINK_MODE = "120000"
SUBMODULE_MODE = "160000"
BATCH_READ_MAX = 1024 * 1024  # blobs up to this size go through the shared cat-file process


class GitTreeSource:
    """The files of commit *rev* of the git repository containing *root* (paths relative to *root*)."""

    def __init__(self, root: str, rev: str):
        import git

        self.root = os.path.abspath(root)
        self.rev = rev
        self.notes: List[str] = []
        self.is_git = True
        self.submodules: List[str] = []
        self._entries: Dict[str, Tuple[str, str, Optional[int]]] = {}  # path -> (mode, sha, size)
        if not os.path.isdir(self.root):
            raise RepoError(f"{self.root}: not a directory")
        try:
            self.git_repo = git.Repo(self.root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise RepoError(f"--rev {rev}: {self.root} is not inside a git repository") from None
        safe_gitpython(self.git_repo)
        try:
            self.commit_sha = self.git_repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        except git.GitCommandError:
            raise RepoError(f"unknown revision {rev!r}: no tag, branch or commit of that name in {self.root}") from None

    def note(self, message: str) -> None:
        message = printable(message)  # it may hold a file name that is not UTF-8
        if message not in self.notes:
            self.notes.append(message)

    def list_files(self) -> List[str]:
        # Run in root so the listing is limited to it and relative to it (as the work-tree listing is).
        import git

        try:
            output = self.git_repo.git.execute(
                git_command(self.root, "ls-tree", "-r", "-z", "-l", self.commit_sha),
                stdout_as_string=False,
                env=GIT_ENV,
            )
        except git.GitCommandError as exc:  # a corrupt or missing tree object
            raise RepoError(f"--rev {self.rev}: git cannot read the tree of commit {self.commit_sha[:12]} "
                            f"({_first_line(exc.stderr)})") from None
        files = []
        for record in output.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, kind, sha, size = meta.decode("ascii").split()
            path = os.fsdecode(name)
            if mode == SUBMODULE_MODE:
                self.submodules.append(path)  # listed, never descended into
                continue
            self._entries[path] = (mode, sha, int(size) if size.isdigit() else None)
            files.append(path)
        return sorted(files)

    def size(self, relative: str) -> Optional[int]:
        entry = self._entries.get(relative)
        if entry is None or entry[0] == SYMLINK_MODE:
            return None
        return entry[2]

    def is_symlink(self, relative: str) -> bool:
        entry = self._entries.get(relative)
        return entry is not None and entry[0] == SYMLINK_MODE

    def read(self, relative: str, limit: int) -> Optional[bytes]:
        """At most *limit* bytes of the blob; symlinks are not followed (None)."""
        entry = self._entries.get(relative)
        if entry is None or entry[0] == SYMLINK_MODE:
            return None
        _mode, sha, size = entry
        if size is not None and size <= BATCH_READ_MAX:
            try:
                return self.git_repo.odb.stream(bytes.fromhex(sha)).read()[:limit]
            except Exception as exc:  # a missing object (partial clone) must not stop the run
                self.note(f"{relative}: cannot read blob {sha[:12]} ({type(exc).__name__})")
                return None
        return self._read_prefix(relative, sha, limit)

    def _read_prefix(self, relative: str, sha: str, limit: int) -> Optional[bytes]:
        env = git_env()
        try:
            process = subprocess.Popen(
                git_command(self.root, "cat-file", "blob", sha),
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            )
        except OSError as exc:
            self.note(f"{relative}: cannot run git cat-file ({exc})")
            return None
        chunks, remaining = [], limit
        try:
            while remaining > 0:
                chunk = process.stdout.read(min(remaining, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
        finally:
            process.stdout.close()
            if process.poll() is None:
                process.kill()  # stop git streaming the rest of a large blob
            process.wait()
        return b"".join(chunks)

    def close(self) -> None:
        self.git_repo.close()


def _first_line(stderr) -> str:
    """The last line git wrote that says what failed (``fatal: ...``), cut short, as one line."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else str(stderr or "")
    lines = [line.strip().strip("'") for line in text.splitlines() if line.strip()]
    line = next((l for l in reversed(lines) if l.startswith(("fatal:", "error:"))), lines[-1] if lines else "no message")
    line = line.replace("stderr: ", "")
    return line if len(line) <= 200 else line[:197] + "..."
