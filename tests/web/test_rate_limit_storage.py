"""Rate limits live in memory by default and in Redis when REDIS_URL is set.

CI's PostgreSQL run sets REDIS_URL, so the throttling tests there go through a
real Redis, as several gunicorn workers would.
"""

from __future__ import annotations

from web.security import limiter


def test_limiter_storage_follows_configuration(app):
    redis_url = app.config.get("REDIS_URL")
    assert app.config["RATELIMIT_STORAGE_URI"] == (redis_url or "memory://")
    expected = "RedisStorage" if redis_url else "MemoryStorage"
    assert type(limiter.storage).__name__ == expected


def test_a_hit_is_counted_in_the_configured_storage(app):
    from limits import parse

    item = parse("2 per minute")
    assert limiter.limiter.hit(item, "storage-check")
    assert limiter.limiter.hit(item, "storage-check")
    assert not limiter.limiter.hit(item, "storage-check")
