from factories import graph_of, make_briefing


def test_a_surname_alone_joins_the_full_name_from_another_briefing() -> None:
    graph = graph_of(
        [
            make_briefing(
                "a",
                "William Ruto met Rubio.",
                {"William Ruto": "person"},
                surfaces={"William Ruto": ("William Ruto", "Ruto")},
            ),
            make_briefing("b", "Ruto spoke.", {"Ruto": "person"}),
        ]
    )
    (ruto,) = graph.entities
    assert ruto.name == "William Ruto"
    assert ruto.key == "people/william-ruto"
    assert graph.entity_keys[("b", "Ruto")] == "people/william-ruto"
    assert sorted(a.slug for a in ruto.appearances) == ["a", "b"]


def test_an_ambiguous_surname_stays_apart() -> None:
    graph = graph_of(
        [
            make_briefing(
                "a",
                "Boris Johnson spoke.",
                {"Boris Johnson": "person"},
                surfaces={"Boris Johnson": ("Boris Johnson", "Johnson")},
            ),
            make_briefing(
                "b",
                "Lyndon Johnson spoke.",
                {"Lyndon Johnson": "person"},
                surfaces={"Lyndon Johnson": ("Lyndon Johnson", "Johnson")},
            ),
            make_briefing("c", "Johnson spoke.", {"Johnson": "person"}),
        ]
    )
    assert sorted(e.name for e in graph.entities) == ["Boris Johnson", "Johnson", "Lyndon Johnson"]


def test_tags_on_one_briefing_only_are_not_shown() -> None:
    graph = graph_of(
        [
            make_briefing("a", "One.", tags=("trade", "tea")),
            make_briefing("b", "Two.", tags=("trade",)),
        ]
    )
    assert [t.name for t in graph.tags] == ["trade"]
    assert graph.briefing_tags == {"a": ("trade",), "b": ("trade",)}


def test_related_briefings_rank_by_what_they_share_and_never_include_themselves() -> None:
    kenya = {"Kenya": "place", "William Ruto": "person"}
    briefings = [
        make_briefing(
            "a", "Kenya and William Ruto.", kenya, tags=("trade",), terms=(("tariff", 1.0),)
        ),
        make_briefing(
            "b", "Kenya and William Ruto again.", kenya, tags=("trade",), terms=(("tariff", 1.0),)
        ),
        make_briefing("c", "Kenya only.", {"Kenya": "place"}),
        make_briefing("d", "Nothing shared."),
    ] + [make_briefing(f"z{i}", f"Filler {i}.") for i in range(20)]
    graph = graph_of(briefings)
    related = graph.related["a"]
    assert [r.slug for r in related] == ["b", "c"]
    assert related[0].reason == ("Shared people: William Ruto; places: Kenya; topics: trade")
    assert all(r.slug != "a" for r in related)


def test_related_briefings_stay_put_when_an_unrelated_one_is_added() -> None:
    kenya = {"Kenya": "place", "William Ruto": "person"}
    base = [
        make_briefing("a", "Kenya and William Ruto.", kenya, terms=(("tariff", 1.0),)),
        make_briefing("b", "Kenya and William Ruto.", kenya, terms=(("tariff", 1.0),)),
        make_briefing("c", "Kenya.", {"Kenya": "place"}, terms=(("tariff", 1.0),)),
    ] + [make_briefing(f"z{i}", f"Filler {i}.") for i in range(20)]
    before = [r.slug for r in graph_of(base).related["a"]]
    after = [r.slug for r in graph_of(base + [make_briefing("new", "Tea.")]).related["a"]]
    assert before == after == ["b", "c"]


def test_a_surname_or_an_organisation_tail_joins_the_one_full_name_it_fits() -> None:
    people_and_bodies = {"Raila Odinga": "person", "US Congress": "organization"}
    short_names = {"Odinga": "person", "Congress": "organization"}
    lakes = {"Lake Naivasha": "place", "Naivasha": "place"}
    graph = graph_of(
        [
            make_briefing("a", "Raila Odinga met the US Congress.", people_and_bodies),
            make_briefing("b", "Odinga spoke to Congress.", short_names),
            make_briefing("c", "Lake Naivasha and Naivasha.", lakes),
        ]
    )
    names = sorted(e.name for e in graph.entities)
    assert names == ["Lake Naivasha", "Naivasha", "Raila Odinga", "US Congress"]
    assert graph.entity_keys[("b", "Congress")] == "organizations/us-congress"


def test_a_place_never_joins_an_organisation_named_after_it() -> None:
    graph = graph_of(
        [
            make_briefing(
                "a",
                "The Export-Import Bank of China and the Gang Suppression Force for Haiti.",
                {
                    "Export-Import Bank of China": "organization",
                    "Gang Suppression Force for Haiti": "organization",
                },
            ),
            make_briefing("b", "China and Haiti.", {"China": "place", "Haiti": "place"}),
            make_briefing("c", "China signed.", {"China": "organization"}),
        ]
    )
    assert graph.entity_keys[("b", "China")] == "places/china"
    assert graph.entity_keys[("b", "Haiti")] == "places/haiti"
    assert graph.entity_keys[("c", "China")] != "organizations/export-import-bank-of-china"


def test_a_lone_given_name_is_not_taken_for_a_full_name() -> None:
    graph = graph_of(
        [
            make_briefing("a", "William Ruto spoke.", {"William Ruto": "person"}),
            make_briefing("b", "Prince William spoke.", {"William": "person"}),
        ]
    )
    assert sorted(e.name for e in graph.entities) == ["William", "William Ruto"]
