"""The per-object cache: an entry counts only for the very object it was made for."""

from extractor.tables._memo import per_object


def test_an_entry_counts_only_for_its_own_object():
    calls = []

    @per_object(maxsize=4)
    def size(obj, extra=0):
        calls.append(obj)
        return len(obj) + extra

    first = tuple("abc")
    assert size(first) == size(first) == 3 and len(calls) == 1  # the second call is cached
    assert size(first, 1) == 4 and len(calls) == 2  # other arguments, another entry
    equal = tuple("abc")
    assert size(equal) == 3 and len(calls) == 3  # an equal tuple is another object
    for i in range(10):  # past maxsize the cache empties rather than grow
        size((i,))
    assert size(first) == 3 and len(calls) == 14
