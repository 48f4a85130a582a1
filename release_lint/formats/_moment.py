"""When a bill of materials is made: now, or ``SOURCE_DATE_EPOCH`` for reproducible builds
(https://reproducible-builds.org/specs/source-date-epoch/), so two runs over one commit can write one document."""

from __future__ import annotations

import os
from datetime import datetime, timezone


def creation_moment() -> datetime:
    """The creation time of a document, in UTC, to the second."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return moment.replace(microsecond=0)
