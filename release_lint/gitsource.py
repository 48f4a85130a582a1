"""Release sources read straight from git objects: the tree of one revision (``--rev v1.0``), or
the index, i.e. the staged snapshot the next commit will hold (``--staged``, and under pre-commit).

Nothing is checked out and the work tree and index are never touched; no object is written.
Files come from one listing (``git ls-tree -r -l`` with sizes, or ``git ls-files -s`` whose
sizes one ``git cat-file --batch-check`` gives); small blobs are read through GitPython's
persistent ``cat-file --batch``; a blob larger than the read limit is streamed from its own
``git cat-file`` process that is stopped after the bytes needed, so a 5 GB blob is never read whole.
"""

from __future__ import annotations

import os
import subprocess
from typing import Dict, List, Optional, Tuple

from release_lint.findings import printable
from release_lint.gitcalls import GIT_ENV, git_command, git_env, safe_gitpython
from release_lint.repo import RepoError

SYMLINK_MODE = "120000"
SUBMODULE_MODE = "160000"
BATCH_READ_MAX = 1024 * 1024  # blobs up to this size go through the shared cat-file process
GIT_INDEX_TIMEOUT = 60  # seconds for one git command reading the index
EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # what an intent-to-add (`git add -N`) entry stages


def _open_git_repo(root: str, what: str):
    import git

    if not os.path.isdir(root):
        raise RepoError(f"{root}: not a directory")
    try:
        git_repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RepoError(f"{what}: {root} is not inside a git repository") from None
    return safe_gitpython(git_repo)


class _GitObjects:
    """What both sources share: entries ``path -> (mode, sha, size)`` and capped blob reads."""

    root: str
    git_repo: object

    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        self.notes: List[str] = []
        self.is_git = True
        self.submodules: List[str] = []
        self._entries: Dict[str, Tuple[str, str, Optional[int]]] = {}  # path -> (mode, sha, size)

    def note(self, message: str) -> None:
        message = printable(message)  # it may hold a file name that is not UTF-8
        if message not in self.notes:
            self.notes.append(message)

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


class GitTreeSource(_GitObjects):
    """The files of commit *rev* of the git repository containing *root* (paths relative to *root*)."""

    def __init__(self, root: str, rev: str):
        import git

        super().__init__(root)
        self.rev = rev
        self.git_repo = _open_git_repo(self.root, f"--rev {rev}")
        try:
            self.commit_sha = self.git_repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        except git.GitCommandError:
            raise RepoError(f"unknown revision {rev!r}: no tag, branch or commit of that name in {self.root}") from None

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


class GitIndexSource(_GitObjects):
    """The staged snapshot of the git repository containing *root*: every path of the index (paths
    relative to *root*) with its staged blob, as the next commit will hold it. Untracked files and
    unstaged edits are not part of it. ``GIT_INDEX_FILE`` is honoured (git sets it for the
    pre-commit hook of ``git commit -a`` or ``git commit PATH``).

    ``rev`` and ``commit_sha`` name HEAD, the commit the snapshot builds on: git facts (tags) come
    from it, and the work tree's uncommitted changes are not reported as the release's.
    """

    def __init__(self, root: str):
        import git

        super().__init__(root)
        self.git_repo = _open_git_repo(self.root, "--staged")
        self._env = git_env()
        index_file = self._env.get("GIT_INDEX_FILE")
        if index_file and not os.path.isabs(index_file):
            self._env["GIT_INDEX_FILE"] = os.path.abspath(index_file)  # git runs in root, maybe elsewhere
        try:
            self.commit_sha = self.git_repo.git.rev_parse("--verify", "--quiet", "HEAD^{commit}")
            self.rev: Optional[str] = "HEAD"
        except git.GitCommandError:  # no commit yet: the first commit is being made
            self.commit_sha, self.rev = None, None

    def _git(self, *args: str, stdin: Optional[bytes] = None) -> bytes:
        # Reading the index runs the program named by core.fsmonitor: git_command switches it off.
        command = git_command(self.root, *args)
        try:
            feed = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self._env,
                                  timeout=GIT_INDEX_TIMEOUT, check=False, **feed)
        except (OSError, subprocess.SubprocessError) as exc:  # no git, or a hung git (a FIFO in its config)
            raise RepoError(f"--staged: git {args[0]} did not run in {self.root} ({type(exc).__name__})") from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RepoError(f"--staged: git {args[0]} failed in {self.root}: {detail[-1] if detail else done.returncode}")
        return done.stdout

    def list_files(self) -> List[str]:
        # `ls-files -s` run in root lists the index entries under root, relative to it.
        staged: Dict[str, Tuple[str, str]] = {}
        conflicted = []
        for record in self._git("ls-files", "-s", "-z").split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, sha, stage = meta.decode("ascii").split()
            path = os.fsdecode(name)
            if mode == SUBMODULE_MODE:
                if path not in self.submodules:
                    self.submodules.append(path)  # listed, never descended into
                continue
            if stage == "0":
                staged[path] = (mode, sha)
            elif stage == "2" or path not in staged:  # unmerged: "ours" (stage 2) stands for the path
                if path not in conflicted:
                    conflicted.append(path)
                staged[path] = (mode, sha)
        if conflicted:
            self.note(f"{len(conflicted)} path(s) with unresolved merge conflicts in the index, e.g. "
                      f"{conflicted[0]}; their 'ours' version was linted")
        sizes = self._sizes({sha for _mode, sha in staged.values()})
        for path, (mode, sha) in staged.items():
            self._entries[path] = (mode, sha, sizes.get(sha))
        return sorted(staged)

    def _sizes(self, shas) -> Dict[str, Optional[int]]:
        """Sizes of the blobs, from one `git cat-file --batch-check`: 0 for the empty blob of an
        intent-to-add entry (which need not be stored), None for any other missing object."""
        if not shas:
            return {}
        ordered = sorted(shas)
        output = self._git("cat-file", "--batch-check", stdin="".join(f"{sha}\n" for sha in ordered).encode("ascii"))
        sizes: Dict[str, Optional[int]] = {}
        for line in output.decode("ascii", "replace").splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[2].isdigit():
                sizes[parts[0]] = int(parts[2])
            elif parts:
                sizes[parts[0]] = 0 if parts[0] == EMPTY_BLOB else None
        return sizes

    def read(self, relative: str, limit: int) -> Optional[bytes]:
        entry = self._entries.get(relative)
        if entry is not None and entry[1] == EMPTY_BLOB:
            return b""  # an intent-to-add entry's blob need not exist in the object store
        if entry is not None and entry[2] is None and entry[0] != SYMLINK_MODE:
            self.note(f"{relative}: staged blob {entry[1][:12]} is not in the object store; not read")
            return None
        return super().read(relative, limit)


def _first_line(stderr) -> str:
    """The last line git wrote that says what failed (``fatal: ...``), cut short, as one line."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else str(stderr or "")
    lines = [line.strip().strip("'") for line in text.splitlines() if line.strip()]
    line = next((l for l in reversed(lines) if l.startswith(("fatal:", "error:"))), lines[-1] if lines else "no message")
    line = line.replace("stderr: ", "")
    return line if len(line) <= 200 else line[:197] + "..."
