"""Sorting names as a French reader expects: "Éducation" with the E, "Œuvres" with the O.

Databases sort by code point (SQLite) or by a collation that differs between
installations (PostgreSQL), so "Éducation" landed after "Vie locale". Quartiers sorts
the names a person reads (themes, communes, neighbourhoods, pages) with one key: the
text in lower case without its accents, ties broken by the text itself.

- `sort_key(text)` is that key in Python: `sorted(items, key=...)`;
- `by("title")` is the same order for a queryset: `queryset.order_by(*by("title"))`, so
  lists stay querysets (form choices, pagination) and sort in the database. On SQLite
  the database calls `fold` itself (registered on each connection by civic.apps); on
  PostgreSQL it is TRANSLATE(LOWER(...)) over the same table of letters.
"""

import unicodedata

from django.db.models import CharField, F, Func

# Ligatures Unicode does not decompose.
LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"}
# The accented letters of French and its neighbours, folded by PostgreSQL's TRANSLATE.
_ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ"
ACCENTED = _ACCENTED + _ACCENTED.upper()
SQLITE_FUNCTION = "QUARTIERS_FOLD"


def fold(text):
    """`text` in lower case, without accents, ligatures spelt out: "Œuvres d'Été" → "oeuvres d'ete"."""
    if text is None:
        return None
    text = "".join(LIGATURES.get(char, char) for char in str(text)).casefold()
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


PLAIN = "".join(fold(char) for char in ACCENTED)
assert len(PLAIN) == len(ACCENTED)  # noqa: S101 - TRANSLATE maps one letter to one letter


def sort_key(value):
    """The key of a name: folded, then the exact text (a deterministic order for "Eure" and "Éure")."""
    value = str(value or "")
    return (fold(value), value)


class Folded(Func):
    """`fold(field)` in the database."""

    arity = 1
    output_field = CharField()
    # Constant letters only (no quote can appear): written into the SQL, not passed as parameters.
    template = f"TRANSLATE(REPLACE(REPLACE(LOWER(%(expressions)s), 'œ', 'oe'), 'æ', 'ae'), '{ACCENTED}', '{PLAIN}')"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template=f"{SQLITE_FUNCTION}(%(expressions)s)", **extra_context)


def by(field):
    """order_by() arguments sorting on `field` as `sort_key` does: `queryset.order_by(*by("name"))`."""
    return (Folded(F(field)).asc(), F(field).asc())


def register_sqlite_function(sender, connection, **kwargs):
    """connection_created: give SQLite the `fold` of Python (PostgreSQL needs nothing)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)
