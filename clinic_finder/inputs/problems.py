"""What a parser reports when input breaks a rule: a problem tied to the field it belongs beside."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str
    # What kind of problem, for callers that answer machines as well as people (the search API's error codes):
    # "invalid_number", "out_of_range", "too_long", "invalid_characters", "markup", "missing"; None when no parser said.
    code: str | None = None


class InvalidInput(ValueError):
    """One or more problems, each tied to a field; the messages are polite sentences safe to show a person.

    Raised as InvalidInput("email", "Please …") for one problem, or InvalidInput.of(problems) for several.
    """

    def __init__(self, field: str, message: str, code: str | None = None):
        self.problems: tuple[FieldProblem, ...] = (FieldProblem(field, message, code),)
        super().__init__(message)

    @classmethod
    def of(cls, problems: Iterable[FieldProblem]) -> InvalidInput:
        problems = tuple(problems)
        if not problems:
            raise ValueError("InvalidInput needs at least one problem")
        err = cls(problems[0].field, problems[0].message, problems[0].code)
        err.problems = problems
        err.args = ("; ".join(f"{p.field}: {p.message}" for p in problems),)
        return err

    @property
    def field(self) -> str:
        return self.problems[0].field

    @property
    def message(self) -> str:
        return self.problems[0].message

    @property
    def code(self) -> str | None:
        return self.problems[0].code

    @property
    def errors(self) -> dict[str, str]:
        """{field: message}, the first message of each field (what a form shows beside the field)."""
        found: dict[str, str] = {}
        for p in self.problems:
            found.setdefault(p.field, p.message)
        return found


class ProblemCollector:
    """Runs field parsers one after another and keeps every problem, so a form can show them all at once."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def take(self, parse, *args, **kwargs):
        """parse(*args, **kwargs), or None after recording the problems it raised."""
        try:
            return parse(*args, **kwargs)
        except InvalidInput as err:
            self.problems.extend(err.problems)
            return None

    def add(self, field: str, message: str) -> None:
        self.problems.append(FieldProblem(field, message))

    def has(self, field: str) -> bool:
        return any(p.field == field for p in self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput.of(self.problems)
