"""A streamed answer: iterate for text pieces (``st.write_stream``), then read the Answer."""

from __future__ import annotations

from collections.abc import Generator, Iterator

from core.domain import Answer


class AnswerStream:
    """Wraps a generator that yields text and returns the final, post-checked ``Answer``.

    The streamed text is what the model produced; the final ``answer.answer`` may differ
    (invalid citations removed, or the offline answer after a provider failure), so a UI
    shows the stream while it runs and then replaces it with ``answer.answer``.
    """

    def __init__(self, generator: Generator[str, None, Answer]) -> None:
        self._generator = generator
        self._answer: Answer | None = None
        self._started = False

    def __iter__(self) -> Iterator[str]:
        if self._started:
            raise RuntimeError("an AnswerStream can be consumed only once")
        self._started = True
        self._answer = yield from self._generator

    @property
    def answer(self) -> Answer:
        """The final answer; consumes the rest of the stream if needed."""
        if self._answer is None:
            if not self._started:
                for _ in self:
                    pass
            if self._answer is None:
                raise RuntimeError("the stream was abandoned before it finished")
        return self._answer


def pieces(answer: Answer, lines_per_piece: int = 1) -> Generator[str, None, Answer]:
    """Yield a complete answer line by line (the offline path), then return it."""
    lines = answer.answer.split("\n")
    step = max(1, lines_per_piece)
    for i in range(0, len(lines), step):
        yield "\n".join(lines[i : i + step]) + ("\n" if i + step < len(lines) else "")
    return answer


def finished(answer: Answer) -> AnswerStream:
    """A stream over an answer that is already complete."""
    return AnswerStream(pieces(answer))
