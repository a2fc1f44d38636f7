"""The lark side of `$filter`: the grammar (grammar.lark, LALR), literal values, and syntax errors in the
vendor envelope. Imported on the first `$filter` only, so the emulator starts without loading lark."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..errors import bad_request


@cache
def _parser() -> Lark:
    """Built once per process, in memory. Never with lark's `cache=True`: that loads a pickle from the shared
    temp directory, which anyone who can write there could turn into code execution."""
    grammar = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", maybe_placeholders=False)


# literals ---------------------------------------------------------------------------------------
class _Literals(Transformer[Token, Any]):
    def string(self, items: list[Token]) -> str:
        text = str(items[0])
        quote = text[0]
        return text[1:-1].replace(quote * 2, quote)

    def number(self, items: list[Token]) -> int | float:
        text = str(items[0])
        return float(text) if "." in text else int(text)

    def boolean(self, items: list[Token]) -> bool:
        return str(items[0]).lower() == "true"

    def null(self, _items: list[Token]) -> None:
        return None

    def values(self, items: list[Any]) -> list[Any]:
        return list(items)

    def column(self, items: list[Token]) -> tuple[str, str]:
        return ("column", str(items[0]))


def _syntax_message(text: str, exc: LarkError) -> str:
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return f"Syntax error in $filter '{text}': the expression ends too early."
    if isinstance(exc, UnexpectedInput):
        pos = getattr(exc, "pos_in_stream", None)
        if isinstance(exc, UnexpectedToken):
            pos = exc.token.start_pos
        found = text[pos:].split()[0] if isinstance(pos, int) and text[pos:].split() else ""
        where = f" at position {pos + 1}" if isinstance(pos, int) else ""
        return f"Syntax error in $filter '{text}'{where}: unexpected '{found}'."
    return f"Syntax error in $filter '{text}'."


def parse(text: str) -> Any:
    """The parse tree with literal values converted; 400 ArchiveException naming the syntax problem."""
    try:
        return _Literals().transform(_parser().parse(text))
    except (UnexpectedCharacters, UnexpectedToken, UnexpectedEOF, LarkError) as exc:
        raise bad_request(_syntax_message(text, exc), "ArchiveException") from None
