"""The archive's word list: "Did you mean ...?" from the words of the published pieces.

Each published piece (scheduled ones included: the suggestion is checked against what readers
can see before it is shown) counts once for every word it holds, in SearchWord. A save moves
the counts by the difference it makes to that one piece, read from SearchPieceWords: no save
rescans the archive. Close words are found by trigram similarity, pg_trgm's measure on both
databases: the pg_trgm extension and a GIN index on PostgreSQL, SearchTrigram rows on SQLite.
"""

import re
from collections import Counter

from django.db import connection

from .query import STOP_WORDS

WORD = re.compile(r"[^\W\d_]{3,40}")  # letters only: no numbers, no one- or two-letter words
MIN_SIMILARITY = 0.3  # pg_trgm's default similarity_threshold (the % operator)
CANDIDATES = 8


def words_of(text):
    """Return the set of words of ``text`` the list keeps: lower case, no stop words."""
    return {word for word in WORD.findall(text.lower()) if word not in STOP_WORDS}


def trigrams(word):
    """Return the word's trigrams as pg_trgm draws them: padded with two spaces before, one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a, b):
    """Return pg_trgm's similarity: shared trigrams over all the trigrams of either word."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta or tb else 0.0


def _models(apps):
    names = ("SearchWord", "SearchPieceWords", "SearchTrigram")
    return (apps.get_model("publications", name) for name in names)


def count(documents, apps):
    """Move the word counts by what changed in these pieces since they were last counted."""
    _word, piece_model, _trigram = _models(apps)
    delta, rows, gone = Counter(), [], []
    for doc in documents:
        now = words_of(doc.text()) if doc.published else set()
        then = set((doc.counted or "").split())
        if now == then and (doc.counted is not None) == bool(now):
            continue
        delta.update(dict.fromkeys(now - then, 1))
        delta.subtract(dict.fromkeys(then - now, 1))
        if now:
            rows.append(piece_model(publication_id=doc.pk, words=" ".join(sorted(now))))
        elif doc.counted is not None:
            gone.append(doc.pk)
    if gone:
        piece_model.objects.filter(publication_id__in=gone).delete()
    if rows:
        piece_model.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["publication_id"], update_fields=["words"]
        )
    _apply(delta, apps)


def forget(pks, apps):
    """Take deleted pieces' words out of the counts."""
    _word, piece_model, _trigram = _models(apps)
    counted = piece_model.objects.filter(publication_id__in=pks)
    delta = Counter()
    for words in counted.values_list("words", flat=True):
        delta.subtract(dict.fromkeys(words.split(), 1))
    if delta:
        counted.delete()
        _apply(delta, apps)


def _apply(delta, apps):
    """Add ``delta`` to the counts, one upsert per few hundred words; on SQLite, index the trigrams
    of words new to the list."""
    word_model, _piece, trigram_model = _models(apps)
    changes = sorted((word, n) for word, n in delta.items() if n)
    table = word_model._meta.db_table
    # The change of each word comes from the VALUES list, as a new row cannot hold a negative count.
    change = "(SELECT n FROM d WHERE d.word = excluded.word)"
    for start in range(0, len(changes), 500):
        chunk = changes[start : start + 500]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH d(word, n, t) AS (VALUES {', '.join(['(%s, %s, %s)'] * len(chunk))}) "
                f"INSERT INTO {table} (word, pieces, trigrams) "
                "SELECT word, CASE WHEN n > 0 THEN n ELSE 0 END, t FROM d WHERE true "
                f"ON CONFLICT (word) DO UPDATE SET pieces = CASE WHEN {table}.pieces + {change} > 0 "
                f"THEN {table}.pieces + {change} ELSE 0 END RETURNING word, pieces",
                [value for w, n in chunk for value in (w, n, len(trigrams(w)))],
            )
            after = dict(cursor.fetchall())
        if connection.vendor == "sqlite":
            # A word whose count is now just what this change added was not in the list before
            # (or was, at 0, with its trigrams: adding them again changes nothing).
            new = [w for w, n in chunk if n > 0 and after.get(w) == n]
            trigram_model.objects.bulk_create(
                [trigram_model(trigram=t, word=w) for w in new for t in sorted(trigrams(w))],
                ignore_conflicts=True,
            )


def _close_sql(word, apps):
    """Return the SQL and parameters finding the list's words closest to ``word``."""
    word_model, _piece, trigram_model = _models(apps)
    words = word_model._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT word, pieces FROM {words} WHERE word %% %s AND pieces > 0 "
            "ORDER BY similarity(word, %s) DESC, pieces DESC, word LIMIT %s"
        )
        return sql, [word, word, CANDIDATES * 2]
    grams = sorted(trigrams(word))
    shared = "CAST(COUNT(*) AS REAL)"
    sql = (
        "SELECT word, pieces FROM "
        f"(SELECT w.word, w.pieces, {shared} / (w.trigrams + %s - COUNT(*)) AS score "
        f"FROM {trigram_model._meta.db_table} t JOIN {words} w ON w.word = t.word "
        f"WHERE t.trigram IN ({', '.join(['%s'] * len(grams))}) AND w.pieces > 0 GROUP BY w.word, w.pieces) "
        "WHERE score >= %s ORDER BY score DESC, pieces DESC, word LIMIT %s"
    )
    return sql, [len(grams), *grams, MIN_SIMILARITY, CANDIDATES * 2]


def close_words(word, apps):
    """Return up to a few (similarity, pieces, word) of the list closest to ``word``, best first."""
    word = word.lower()
    with connection.cursor() as cursor:
        cursor.execute(*_close_sql(word, apps))
        found = [(similarity(word, other), pieces, other) for other, pieces in cursor.fetchall()]
    # The same measure, worked out exactly here, orders both databases' answers alike.
    found = [item for item in found if item[0] >= MIN_SIMILARITY and item[2] != word]
    return sorted(found, key=lambda item: (-item[0], -item[1], item[2]))[:CANDIDATES]


def pieces_holding(words, apps):
    """Return {word: published pieces holding it} for those of ``words`` the list has."""
    word_model, _piece, _trigram = _models(apps)
    return dict(word_model.objects.filter(word__in=[w.lower() for w in words]).values_list("word", "pieces"))
