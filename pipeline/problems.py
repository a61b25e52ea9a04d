"""Problems found in rule files, reported all at once rather than on the first one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleProblem:
    """One thing wrong with a rule file: where it is and what is wrong."""

    file: str
    rule: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.rule:
            where += f" [{self.rule}]"
        return f"{where}: {self.message}"


class RuleError(Exception):
    """Raised when rule files cannot be used; carries every problem found."""

    def __init__(self, problems: list[RuleProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
