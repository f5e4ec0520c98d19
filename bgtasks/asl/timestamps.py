"""RFC 3339 timestamps (Wait `Timestamp`, Choice `Timestamp*` comparisons)."""

from __future__ import annotations

import re
from datetime import datetime

# RFC 3339 section 5.6: full-date "T" full-time, with an upper-case T and Z as Step Functions
# requires; fractional seconds optional; offset Z or +hh:mm.
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def is_rfc3339(text: str) -> bool:
    """True for a valid RFC 3339 date-time (the calendar date and clock must exist)."""
    match = _RFC3339.fullmatch(text)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    try:
        # Leap seconds (60) are valid RFC 3339; check the rest with a clamped second.
        datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return False
    offset = match.group(8)
    if offset != "Z" and (int(offset[1:3]) > 23 or int(offset[4:6]) > 59):
        return False
    return second <= 60
