"""The answer cache: least recently used out first, computed once per key, off when its size is 0."""

from api.cache import AnswerCache


def test_computes_once_per_key_and_evicts_the_least_recently_used():
    calls: list[str] = []

    def compute(key: str):
        return lambda: calls.append(key) or key.encode()

    cache = AnswerCache(2)
    assert cache.get("a", compute("a")) == b"a"
    assert cache.get("b", compute("b")) == b"b"
    assert cache.get("a", compute("a")) == b"a"  # a hit; "b" is now the least recently used
    cache.get("c", compute("c"))  # evicts "b"
    assert len(cache) == 2
    cache.get("a", compute("a"))
    cache.get("b", compute("b"))
    assert calls == ["a", "b", "c", "b"]
    assert (cache.hits, cache.misses) == (2, 4)


def test_size_zero_caches_nothing():
    calls: list[int] = []
    cache = AnswerCache(0)
    for _ in range(3):
        cache.get("k", lambda: calls.append(1) or b"v")
    assert len(calls) == 3 and len(cache) == 0
