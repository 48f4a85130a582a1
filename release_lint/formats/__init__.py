"""Output formats, one module each: ``render(result, **options) -> str``.

Adding a format is adding a module here; the CLI lists them without importing them.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import List


def available() -> List[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def render(name: str, result, **options) -> str:
    module = importlib.import_module(f"{__name__}.{name}")
    return module.render(result, **options)
