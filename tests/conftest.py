import sys
from pathlib import Path

import pytest

# Test helpers such as factories.py sit beside the tests.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def extractions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source path of every article extracted from now on (cache hits are not)."""
    import generator.cache as cache

    calls: list[str] = []
    real = cache.extract

    def counting(article, settings):  # type: ignore[no-untyped-def]
        calls.append(article.source_path)
        return real(article, settings)

    monkeypatch.setattr(cache, "extract", counting)
    return calls
