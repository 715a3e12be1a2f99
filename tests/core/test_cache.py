"""The Redis cache backend (``core.cache``): one client per pool, and a working cache."""

import socket

import pytest

from withhold.core.cache import RedisCache

REDIS = "redis://127.0.0.1:6379/14"


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")


def test_the_cache_keeps_and_returns_values_through_one_client_per_pool():
    cache = RedisCache(REDIS, {"KEY_PREFIX": "withhold-test-cache"})
    cache.set("kept", {"roles": ["Case analyst"]}, 30)
    assert cache.get("kept") == {"roles": ["Case analyst"]}
    assert cache.add("kept", "other", 30) is False
    cache.delete("kept")
    assert cache.get("kept") is None
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
