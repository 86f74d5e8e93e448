"""Write a whole file or nothing: temporary file beside it, fsync, rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mccompiler.maps.db import publish


def write_atomic(target: Path, data: bytes, default_mode: int = 0o644) -> None:
    """Replace *target* with *data*; keep its mode (and owner, as root).

    On any failure the temporary file is removed and *target* is untouched.
    """
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".mcc-tmp", dir=target.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        publish(temp, target, default_mode)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
