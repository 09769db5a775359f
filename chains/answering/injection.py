"""Text in a passage that talks to an AI instead of informing a reader.

Retrieved text is data. A sentence such as "Ignore all previous instructions and ..." or
a fake "System:" line is never used as an answer point, and the passage it came from is
flagged in the sources, so the user sees that the document tried to steer the assistant.
The patterns live in one place, ``ingest.injection``, which flags such chunks when they
are stored; the answerer applies the same test per sentence, so passages ingested before
the flag existed are caught too, and both use the same flag text.
"""

from __future__ import annotations

from ingest.injection import INSTRUCTION_TEXT, looks_like_instruction

INSTRUCTION_FLAG = INSTRUCTION_TEXT

__all__ = ["INSTRUCTION_FLAG", "looks_like_instruction"]
