"""What a domain service refuses, in the domain's own terms.

A service raises :class:`DomainError`: each :class:`Problem` names the input it is about
as the domain does (``contact_email``, ``store``; None for the request as a whole) and
its code from the one outcome vocabulary (:class:`.outcomes.Outcome`). The GraphQL layer
alone turns them into its camelCase field names and error codes (``graphql/errors.py``).
"""

from dataclasses import dataclass

from saleor_amazon_channel.outcomes import Outcome

__all__ = ["DomainError", "Problem", "refusal"]


@dataclass(frozen=True)
class Problem:
    field: str | None
    code: Outcome
    message: str


class DomainError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))

    @property
    def code(self) -> Outcome:
        """The first problem's code (most refusals have exactly one)."""
        return self.problems[0].code


def refusal(field: str | None, message: str, code: Outcome) -> DomainError:
    """One problem, ready to raise."""
    return DomainError([Problem(field, code, message)])
