"""Rules run as predicates: each check's outcome is PASS, FAIL or NOT_APPLICABLE.

A rule reports problems; its silence means "all is well" only where it had something to judge. A rule that
is silent when there is nothing to judge declares here when it applies (as OpenSSF Scorecard's probes answer
"not applicable"), so a grade never counts that silence as a pass. A rule that cannot run here (unknown, or it
needs git outside a repository) is NOT_APPLICABLE too.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Dict, List, Optional

from release_lint.detectors.licenses import declared_licenses
from release_lint.findings import Problem
from release_lint.registry import Context, get_rule
from release_lint.repo import Repo

if TYPE_CHECKING:  # the configuration sits above the verdict: a type here only
    from release_lint.config import Config


class Outcome(enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not applicable"


def _card_declares_licence(repo: Repo) -> bool:
    return any(entry.kind == "card" and entry.value for entry in declared_licenses(repo))


# Rule code -> when its silence is a pass. LIC005 (card licence agrees with the files) is silent without a card
# licence to compare, and without a card or a shipped model.
APPLIES_WHEN: Dict[str, Callable[[Repo], bool]] = {"LIC005": _card_declares_licence}


@dataclass
class Check:
    """One question the verdict asks and its outcome."""

    name: str
    rule: str
    outcome: Outcome = Outcome.FAIL
    problems: List[Problem] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASS

    def to_dict(self) -> dict:
        return {"check": self.name, "rule": self.rule, "passed": self.passed,
                "reason": None if self.passed else (self.problems[0].message if self.problems else "not found")}


class Evaluator:
    """Runs rules as predicates (memoised per code) against one repository."""

    def __init__(self, repo: Repo, config: Config, known: Optional[Dict[str, List[Problem]]] = None):
        self.repo = repo
        self.config = config
        # Rules the engine already ran need not run again.
        self._cache: Dict[str, Optional[List[Problem]]] = dict(known or {})

    def problems(self, code: str) -> Optional[List[Problem]]:
        """The rule's problems, or None when the rule cannot run here (unknown, or needs git)."""
        if code not in self._cache:
            rule = get_rule(code)
            if rule is None or (rule.needs_git and not self.repo.is_git):
                self._cache[code] = None
            else:
                try:
                    context = Context(self.repo, self.config, rule, self.config.options_for(rule))
                    self._cache[code] = list(rule.check(context) or ())
                except Exception:  # the engine reports the crash; the verdict just cannot count on it
                    self._cache[code] = None
        return self._cache[code]

    def outcome(self, code: str) -> Outcome:
        found = self.problems(code)
        if found is None:
            return Outcome.NOT_APPLICABLE
        if found:
            return Outcome.FAIL
        applies = APPLIES_WHEN.get(code)
        if applies is not None and not applies(self.repo):
            return Outcome.NOT_APPLICABLE
        return Outcome.PASS

    def passes(self, code: str) -> bool:
        return self.outcome(code) is Outcome.PASS

    def check(self, name: str, code: str) -> Check:
        return Check(name, code, self.outcome(code), list(self.problems(code) or []))
