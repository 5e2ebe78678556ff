"""Citations of a piece in Chicago author-date, BibTeX, RIS and CSL-JSON.

Pure functions: each takes a publication (its authorships and their people may be prefetched) and the
piece's absolute URL, and returns text (or, for CSL-JSON, data ready for ``json.dumps``). The
institution's full name stands as publisher. Dates are the piece's publish date, or today's local date
for a piece not yet published. Output is in English whatever the active language, as reference
managers expect.
"""

import datetime
import re
import unicodedata

from django.conf import settings
from django.utils import timezone

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Words skipped when picking the title word of a BibTeX key.
KEY_STOPWORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "how", "if", "in"),
        *("into", "is", "it", "its", "nor", "not", "of", "on", "or", "so", "than", "that", "the"),
        *("their", "this", "to", "vs", "what", "when", "where", "which", "who", "why", "will", "with"),
    }
)
# Letters that Unicode decomposition does not reduce to ASCII.
ASCII_FALLBACKS = str.maketrans(
    {"ı": "i", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l"}
    | {"Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th"}
)

BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",  # not \{ : BibTeX counts every brace, escaped or not, when reading a value
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIALS_RE = re.compile("|".join(re.escape(char) for char in BIBTEX_SPECIALS))


# Shared pieces


def citation_date(publication) -> datetime.date:
    return publication.publish_date or timezone.localdate()


def publisher() -> str:
    return settings.INSTITUTION_FULL_NAME


def _authors(publication):
    return [authorship.person for authorship in publication.ordered_authorships]


def _one_line(text) -> str:
    return " ".join(str(text).split())


def _split_sort_name(person):
    """Return (family, given) from a sort name like "Borshchevskaya, Anna"; (None, name) without a comma."""
    sort_name = _one_line(person.sort_name)
    if "," in sort_name:
        family, given = (part.strip() for part in sort_name.split(",", 1))
        if family:
            return family, given
    return None, _one_line(person.name or sort_name)


def _inverted_name(person) -> str:
    family, given = _split_sort_name(person)
    if family is None:
        return given
    return f"{family}, {given}" if given else family


# Chicago author-date


def _with_period(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _quoted_title(title: str) -> str:
    """Return the title in double quotes, its own double quotes turned single, the period inside."""
    title = _one_line(title).replace("“", "‘").replace("”", "’").replace('"', "'")
    return f'"{_with_period(title)}"'


def _chicago_names(people) -> str:
    names = [_inverted_name(people[0])] + [_one_line(person.name) for person in people[1:]]
    if len(names) == 1:
        return names[0]
    # The first name is inverted ("Last, First"), so even two names take the serial comma.
    return ", ".join(names[:-1]) + ", and " + names[-1]


def chicago(publication, url) -> str:
    """Return a Chicago author-date reference list entry as plain text."""
    day = citation_date(publication)
    title = _quoted_title(publication.title)
    people = _authors(publication)
    if people:
        parts = [_with_period(_chicago_names(people)), f"{day.year}.", title]
    else:
        parts = [title, f"{day.year}."]
    parts += [
        _with_period(_one_line(publication.type.name)),
        _with_period(_one_line(publisher())),
        f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}.",
        url,
    ]
    return " ".join(parts)


# BibTeX


def bibtex_escape(text) -> str:
    """Escape BibTeX and LaTeX special characters, leaving other text (UTF-8 included) as it is."""
    return BIBTEX_SPECIALS_RE.sub(lambda match: BIBTEX_SPECIALS[match.group()], _one_line(text))


def _ascii_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(ASCII_FALLBACKS))
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode().lower())


def _key_title_word(publication) -> str:
    words = [_ascii_word(word) for word in re.split(r"[\s\-–—/:;,.!?\"'“”‘’()]+", publication.title)]
    words = [word for word in words if word]
    significant = [word for word in words if word not in KEY_STOPWORDS]
    if significant or words:
        return (significant or words)[0]
    # A title in a non-Latin script: fall back on the slug, which is ASCII.
    slug_words = [_ascii_word(word) for word in publication.slug.split("-")]
    slug_words = [word for word in slug_words if word and word not in KEY_STOPWORDS]
    return slug_words[0] if slug_words else ""


def bibtex_key(publication) -> str:
    """Return an ASCII key like "borshchevskaya2015netanyahu": first author's family name, year, word."""
    people = _authors(publication)
    name = ""
    if people:
        family, given = _split_sort_name(people[0])
        name = _ascii_word(family or given) or _ascii_word(people[0].slug)
    name = name or "anon"
    return f"{name}{citation_date(publication).year}{_key_title_word(publication)}"


def _bibtex_name(person) -> str:
    family, given = _split_sort_name(person)
    if family is None:
        # A single name (or an organization): one brace group, so BibTeX takes it whole.
        return "{" + bibtex_escape(given) + "}"
    name = bibtex_escape(family) + (", " + bibtex_escape(given) if given else "")
    # An "and" inside a name would split it: hidden in braces, BibTeX passes over it.
    return re.sub(r"(?i)(?<=\s)(and)(?=\s)", r"{\1}", name)


def _bibtex_url(url: str) -> str:
    """Return the URL with the characters that would break a braced BibTeX value percent-encoded."""
    return "".join(f"%{ord(char):02X}" if char in "{}\\ \t\r\n" else char for char in url)


def bibtex(publication, url) -> str:
    """Return a BibTeX @misc entry, readable by BibTeX and by biblatex."""
    day = citation_date(publication)
    url = _bibtex_url(url)
    url_in_text = url.replace("%", r"\%").replace("#", r"\#")
    fields = []
    authors = " and ".join(_bibtex_name(person) for person in _authors(publication))
    if authors:
        fields.append(("author", f"{{{authors}}}"))
    fields += [
        ("title", f"{{{{{bibtex_escape(publication.title)}}}}}"),
        ("year", f"{{{day.year}}}"),
        ("month", BIBTEX_MONTHS[day.month - 1]),
        ("date", f"{{{day.isoformat()}}}"),
        ("howpublished", f"{{\\url{{{url_in_text}}}}}"),
        ("url", f"{{{url}}}"),
        ("note", f"{{{bibtex_escape(publication.type.name)}}}"),
        ("institution", f"{{{bibtex_escape(publisher())}}}"),
        ("publisher", f"{{{bibtex_escape(publisher())}}}"),
    ]
    lines = [f"@misc{{{bibtex_key(publication)},"]
    lines += [f"  {name} = {value}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


# RIS


def ris(publication, url) -> str:
    """Return a RIS record (LF line endings), each line "XX  - value"."""
    day = citation_date(publication)
    tags = [("TY", "ELEC")]
    tags += [("AU", _inverted_name(person)) for person in _authors(publication)]
    tags += [
        ("TI", publication.title),
        ("T2", publication.type.name),
        ("PY", f"{day.year:04d}"),
        ("DA", f"{day.year:04d}/{day.month:02d}/{day.day:02d}/"),
        ("PB", publisher()),
        ("UR", url),
        ("LA", publication.language),
    ]
    if publication.summary.strip():
        tags.append(("AB", publication.summary))
    tags.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}\n" for tag, value in tags)


# CSL-JSON


def _csl_name(person) -> dict:
    family, given = _split_sort_name(person)
    if family is None:
        return {"literal": given}
    return {"family": family, "given": given} if given else {"family": family}


def csl_json(publication, url) -> list[dict]:
    """Return CSL-JSON: a list holding one item, ready for ``json.dumps``."""
    day = citation_date(publication)
    item = {
        "id": bibtex_key(publication),
        "type": "report",
        "title": _one_line(publication.title),
        "author": [_csl_name(person) for person in _authors(publication)],
        "issued": {"date-parts": [[day.year, day.month, day.day]]},
        "publisher": publisher(),
        "genre": _one_line(publication.type.name),
        "URL": url,
        "language": publication.language,
    }
    if not item["author"]:
        del item["author"]
    if publication.summary.strip():
        item["abstract"] = publication.summary.strip()
    return [item]
