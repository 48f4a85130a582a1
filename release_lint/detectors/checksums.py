"""Published checksums: checksum files (GNU and BSD lines), digests on the model card, LFS pointer
oids and the files shard indexes name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from release_lint.detectors.weights import WEIGHT_EXTENSIONS, shard_indexes, weight_files
from release_lint.repo import Repo, detector

CHECKSUM_FILE_RE = re.compile(
    r"^(?:(?:sha(?:1|224|256|384|512)|md5|b2|blake2b?)sums?|checksums?)(?:\.(?:txt|md|asc|sig))?$"
    r"|\.(?:sha256|sha512|sha1|md5)(?:sum)?$",
    re.IGNORECASE,
)
# GNU `digest  name` (greedy name, stripped after: a lazy name before `\s*$` is quadratic in spaces)
# and BSD `ALG (name) = digest`.
GNU_CHECKSUM_RE = re.compile(r"^\s*\\?([0-9a-fA-F]{32,128})\s+[ *]?(.+)$")
BSD_CHECKSUM_RE = re.compile(r"^\s*\w+\s*\((.+)\)\s*=\s*([0-9a-fA-F]{32,128})\s*$")
BSD_SHA256_RE = re.compile(r"\s*SHA-?256\s*\(", re.IGNORECASE)
MAX_CHECKSUM_LINE = 4096 + 256
PATH_TOKEN_RE = re.compile(r"[\w./-]+")
HEX_DIGEST_RE = re.compile(r"\b(?:[0-9a-fA-F]{128}|[0-9a-fA-F]{64}|[0-9a-fA-F]{40}|[0-9a-fA-F]{32})\b")


@dataclass
class Checksums:
    """Published checksums: ``covered`` {file name or path: where it is listed ("SHA256SUMS:3")},
    ``files`` the checksum files found, ``sha256`` {path: (hex digest, checksum file, line)} of the SHA-256
    lines of checksum files (not of MD5 or SHA-1 ones)."""

    covered: Dict[str, str] = field(default_factory=dict)
    files: List[str] = field(default_factory=list)
    sha256: Dict[str, Tuple[str, str, int]] = field(default_factory=dict)

    def covers(self, path: str) -> Optional[str]:
        return self.covered.get(path) or self.covered.get(path.rsplit("/", 1)[-1])


@detector
def checksums(repo: Repo) -> Checksums:
    """Files with a published checksum: GNU/BSD checksum files (SHA256SUMS, *.sha256, checksums.txt),
    a line of the model card naming a file next to a hex digest, LFS pointer oids and files named
    by a shard index."""
    from release_lint.detectors.files import model_card

    found = Checksums()
    for path in repo.files:
        name = path.rsplit("/", 1)[-1]
        if not CHECKSUM_FILE_RE.search(name):
            continue
        found.files.append(path)
        folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
        sha256_file = "md5" not in name.lower() and "sha1" not in name.lower()
        if name.lower().endswith((".sha256", ".sha512", ".sha1", ".md5", "sum")) and "." in name:
            target = name.rsplit(".", 1)[0]
            if repo.lines(path) and HEX_DIGEST_RE.search(repo.lines(path)[0]):
                found.covered.setdefault(folder + target, f"{path}:1")
        for number, line in enumerate(repo.lines(path), 1):
            if len(line) > MAX_CHECKSUM_LINE:  # a digest and a path: longer is not a checksum line
                continue
            gnu = GNU_CHECKSUM_RE.match(line)
            bsd = None if gnu else BSD_CHECKSUM_RE.match(line)
            target = gnu.group(2).rstrip() if gnu else bsd.group(1) if bsd else None
            if target:
                target = target[2:] if target.startswith("./") else target
                found.covered.setdefault(folder + target, f"{path}:{number}")
                digest = gnu.group(1) if gnu else bsd.group(2) if bsd else ""
                if sha256_file and len(digest) == 64 and (gnu or BSD_SHA256_RE.match(line)):
                    found.sha256.setdefault(folder + target, (digest.lower(), path, number))
    card = model_card(repo)
    if card:
        for number, line in enumerate(repo.lines(card), 1):
            if HEX_DIGEST_RE.search(line):
                for token in PATH_TOKEN_RE.findall(line):  # whole runs: no backtracking into a run
                    token = token.rstrip("./-")
                    if token.lower().endswith(WEIGHT_EXTENSIONS):
                        found.covered.setdefault(token.lstrip("./"), f"{card}:{number}")
    for weight in weight_files(repo):
        if weight.lfs is not None:
            found.covered.setdefault(weight.path, f"LFS pointer {weight.lfs.oid[:15]}…")
    for index in shard_indexes(repo):
        for shard in index.shards:
            found.covered.setdefault(shard, f"{index.path}")
    return found
