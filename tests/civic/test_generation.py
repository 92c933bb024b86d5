"""civic.generation: the one counter behind the page cache's and the leaderboards' invalidation."""

from django.core.cache import cache

from civic import generation, pagecache
from members import scoring


def test_a_bump_moves_only_its_own_counter_and_survives_eviction():
    cache.clear()
    assert generation.current("test:generation") == 0
    generation.bump("test:generation")
    assert generation.current("test:generation") == 1
    cache.delete("test:generation")  # evicted meanwhile: keys built on 0 or 1 must not come back
    generation.bump("test:generation")
    assert generation.current("test:generation") > 1


def test_the_page_cache_and_the_leaderboards_each_keep_their_own_generation():
    cache.clear()
    pages, boards = pagecache.generation(), scoring.generation()
    pagecache.invalidate()
    assert (pagecache.generation(), scoring.generation()) == (pages + 1, boards)
    scoring.invalidate()
    assert (pagecache.generation(), scoring.generation()) == (pages + 1, boards + 1)
