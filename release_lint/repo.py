"""The repository view: which files make up the release, and safe, lazy, capped reads of them.

Rules touch the file system only through this view, which reads through its source (worktree.WorkTree,
or a gitsource for ``--rev`` and ``--staged``). Guarantees:
- nothing is written, executed or imported from the repository;
- a symlink that resolves outside the repository is never read;
- only regular files are opened (never FIFOs, sockets or devices), non-blocking;
- at most ``max_bytes`` of a file are read, and each file is read at most once by the cached reads
  (one uncached pass, :meth:`Repo.scan_text`, may read a file a second time rather than keep it).
"""

from __future__ import annotations

import bisect
import os
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from release_lint.filereads import decode_text
from release_lint.findings import printable
from release_lint.globs import glob_regex, ignore_pattern_problem, literal_folder, names_regex
from release_lint.mdparse import MarkdownDoc, parse_markdown, split_lines
from release_lint.worktree import WorkTree

DEFAULT_MAX_BYTES = 1024 * 1024
# Documents are analysed line by line by many rules; beyond this a "card" is data, not documentation.
MAX_DOCUMENT_BYTES = 256 * 1024
DOCUMENT_SUFFIXES = (".md", ".markdown", ".mdx", ".rst")
HEAD_READS_WHOLE = 64 * 1024  # head() of a file this small reads and caches it whole (see Repo.head)
LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/v1"
LFS_POINTER_MAX = 1024  # real pointers are about 130 bytes


class RepoError(Exception):
    """The repository cannot be linted at all (e.g. the path does not exist)."""


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
        prefixes = {literal_folder(p) for p in patterns}
        if "" in prefixes:
            # A pattern without `/` or `**` (`*report*.pdf`) can only match a root file; any other
            # pattern that may match at the root makes every path a candidate.
            if all(literal_folder(p) or ("/" not in p and "**" not in p) for p in patterns):
                candidates = set(self.root_files())
                for prefix in prefixes - {""}:
                    candidates.update(self.glob(*[p for p in patterns if literal_folder(p) == prefix]))
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
        match = names_regex(patterns).match
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
