"""Search: the archive's word list for "Did you mean ...?", and full-text search on SQLite.

- Both databases: SearchWord (the published archive's words and how many pieces hold each),
  SearchPieceWords (the words each piece counts for), SearchTrigram (used on SQLite only).
- PostgreSQL: the pg_trgm extension and a GIN trigram index on the words (similarity, %).
  It needs the right to create the extension: pg_trgm is a trusted extension (PostgreSQL 13+),
  so the database's owner may create it; otherwise a superuser runs CREATE EXTENSION pg_trgm
  first. The piece's tsvector (0004) is untouched.
- SQLite: an FTS5 table (porter stemming; title, summary with author names, body) the search
  queries, and a trigger that drops a deleted piece's row from it.
Then the index and the words are filled from the pieces already there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

SQLITE_INDEX = "publications_searchindex"


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS publications_searchword_trgm "
            "ON publications_searchword USING gin (word gin_trgm_ops)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_INDEX} USING fts5("
            "title, summary, body, tokenize = 'porter unicode61 remove_diacritics 0')"
        )
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {SQLITE_INDEX}_forget AFTER DELETE ON publications_publication "
            f"BEGIN DELETE FROM {SQLITE_INDEX} WHERE rowid = OLD.id; END"
        )


def drop_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS publications_searchword_trgm")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {SQLITE_INDEX}_forget")
        schema_editor.execute(f"DROP TABLE IF EXISTS {SQLITE_INDEX}")


def fill(apps, schema_editor):
    from publications.search import update_vectors

    update_vectors(apps.get_model("publications", "Publication").objects.all())


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0011_image_credits'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchPieceWords',
            fields=[
                ('publication_id', models.PositiveBigIntegerField(primary_key=True, serialize=False, verbose_name='piece')),
                ('words', models.TextField(blank=True, verbose_name='words')),
            ],
            options={
                'verbose_name': "piece's search words",
                'verbose_name_plural': "pieces' search words",
                'ordering': ('publication_id',),
            },
        ),
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('word', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='word')),
                ('pieces', models.PositiveIntegerField(default=0, verbose_name='published pieces holding it')),
                ('trigrams', models.PositiveSmallIntegerField(default=0, verbose_name='number of trigrams')),
            ],
            options={
                'verbose_name': 'search word',
                'verbose_name_plural': 'search words',
                'ordering': ('word',),
            },
        ),
        migrations.CreateModel(
            name='SearchTrigram',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('trigram', models.CharField(max_length=3, verbose_name='trigram')),
                ('word', models.CharField(max_length=40, verbose_name='word')),
            ],
            options={
                'verbose_name': 'search trigram',
                'verbose_name_plural': 'search trigrams',
                'ordering': ('trigram', 'word'),
                'constraints': [models.UniqueConstraint(fields=('trigram', 'word'), name='search_trigram_unique')],
            },
        ),
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
