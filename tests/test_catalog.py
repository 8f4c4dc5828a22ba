import datetime as dt
import math
import random
import sys
import types

import pytest

from briefs.catalog import RELATED_WINDOW, build_site, canonical_tags, paginate, related_briefs, story_of, tag_key, unique_slugs
from briefs.errors import OutputCollision
from briefs.model import Brief, slugify

UTC = dt.timezone.utc


def brief(title: str, day: int, tags: tuple[str, ...] = (), seed: str = "", **kw) -> Brief:
    return Brief(title=title, date=dt.datetime(2024, 1, day, tzinfo=UTC), tags=tags, seed=seed,
                 source=kw.pop("source", f"content/{title}.md"), **kw)


def test_paginate_sizes_and_numbers() -> None:
    pages = paginate(list(range(23)), 10)
    assert [p.number for p in pages] == [1, 2, 3]
    assert [len(p.items) for p in pages] == [10, 10, 3]
    assert all(p.total == 3 for p in pages)
    assert paginate([], 10)[0].items == ()


@pytest.mark.parametrize("text, slug", [
    ("US Embassy in Moscow urges Americans to leave Russia", "us-embassy-in-moscow-urges-americans-to-leave-russia"),
    ("Київ", "kiiv"),
    ("../../etc/passwd", "etc-passwd"),
    ("!!!", "untitled"),
])
def test_slugify_is_ascii_and_safe(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_cuts_at_word_boundary() -> None:
    slug = slugify("word " * 30)
    assert len(slug) <= 60 and not slug.endswith("-") and set(slug.split("-")) == {"word"}


def test_slugs_do_not_change_when_unidecode_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    before = slugify("Київ і Zürich")
    fake = types.ModuleType("unidecode")
    fake.unidecode = lambda text: "other"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "unidecode", fake)  # what python-slugify's "auto" would prefer
    assert slugify("Київ і Zürich") == before == "kiiv-i-zurich"


def test_duplicate_slugs_are_disambiguated_deterministically() -> None:
    briefs = [brief("Same title", 2, source="b.md"), brief("Same title", 1, source="a.md"), brief("Tags", 3)]
    result, warnings = unique_slugs(briefs)
    assert [b.slug for b in result] == ["same-title-2", "same-title", "tags-2"]
    assert any("a.md" in w and "b.md" in w for w in warnings)
    assert [b.slug for b in unique_slugs(list(reversed(briefs)))[0]] == ["tags-2", "same-title", "same-title-2"]


def test_tags_differing_in_case_or_space_are_one_tag_with_common_spelling() -> None:
    names, slugs = canonical_tags([brief("a", 1, ("Kremlin",)), brief("b", 2, ("kremlin ",)), brief("c", 3, ("Kremlin",))])
    assert names == {"kremlin": "Kremlin"}
    assert slugs == {"Kremlin": "kremlin"}
    assert tag_key("  New   York ") == "new york"


def test_different_tags_with_one_url_are_an_error_naming_both() -> None:
    with pytest.raises(OutputCollision) as err:
        canonical_tags([brief("a", 1, ("C++",)), brief("b", 2, ("C",))])
    assert "'C'" in str(err.value) and "'C++'" in str(err.value)


def test_site_order_drafts_future_and_same_story() -> None:
    briefs = [
        brief("old", 1, ("X",), seed="s1", section=0), brief("new", 5, ("x",), seed="s1", section=1),
        brief("draft", 3, draft=True), brief("future", 28),
    ]
    site = build_site(briefs, now=dt.datetime(2024, 1, 20, tzinfo=UTC))
    assert [b.title for b in site.briefs] == ["new", "old"]
    assert [b.tags for b in site.briefs] == [("X",), ("X",)]
    assert site.same_story == {0: (1,), 1: (0,)}
    with_all = build_site(briefs, now=dt.datetime(2024, 1, 20, tzinfo=UTC), drafts=True, future=True)
    assert [b.title for b in with_all.briefs] == ["future", "new", "draft", "old"]


def test_related_prefers_rare_shared_tags_and_skips_same_seed() -> None:
    briefs = [
        brief("me", 9, ("Common", "Rare"), seed="s"),
        brief("sibling", 8, ("Common", "Rare"), seed="s"),
        brief("rare match", 7, ("Rare",), seed="t"),
        brief("common match", 6, ("Common",), seed="u"),
        brief("nothing", 5, ("Other",), seed="v"),
        *[brief(f"filler {i}", 1, ("Common",), seed=f"f{i}") for i in range(4)],
    ]
    related = related_briefs(briefs, 5)
    assert related[0][0] == 2  # the rare tag outweighs the common one
    assert 1 not in related[0] and 4 not in related[0]
    assert len(related[0]) == 5
    assert related == related_briefs(briefs, 5)


def related_by_the_rule(briefs: list[Brief], count: int) -> dict[int, tuple[int, ...]]:
    """The rule stated plainly: score every brief of another story in any shared tag's window of
    RELATED_WINDOW neighbours by the idf of the shared tags; best score first, then nearest, then index."""
    postings: dict[str, list[int]] = {}
    for index, b in enumerate(briefs):
        for tag in b.tags:
            postings.setdefault(tag, []).append(index)
    weight = {tag: math.log((1 + len(briefs)) / len(ids)) + 0.01 for tag, ids in postings.items()}
    related = {}
    for index, b in enumerate(briefs):
        scores: dict[int, float] = {}
        for tag in b.tags:
            at = postings[tag].index(index)
            for other in postings[tag][max(0, at - RELATED_WINDOW // 2): at + RELATED_WINDOW // 2 + 1]:
                if story_of(briefs[other]) != story_of(b):
                    scores[other] = scores.get(other, 0.0) + weight[tag]
        ranked = sorted(scores, key=lambda other: (-scores[other], abs(other - index), other))
        related[index] = tuple(ranked[:count])
    return related


@pytest.mark.parametrize("seed", range(40))
def test_related_briefs_follow_the_rule(seed: int) -> None:
    rng = random.Random(seed)
    tags = [f"t{n}" for n in range(rng.randint(1, 12))]
    briefs = [brief(f"b{n}", 1 + n % 28, tuple(rng.sample(tags, rng.randint(0, min(4, len(tags))))),
                    seed=rng.choice(["", "a", "b", "c"])) for n in range(rng.randint(0, 150))]
    for count in (1, 3, 5):
        assert related_briefs(briefs, count) == related_by_the_rule(briefs, count)


def test_tags_differing_only_in_accents_are_one_tag() -> None:
    """An archive's seeds spell a place both ways: one tag page, under the spelling most briefs use."""
    names, slugs = canonical_tags([brief("a", 1, ("Brasília",)), brief("b", 2, ("Brasilia",)), brief("c", 3, ("Brasília",))])
    assert names == {"brasilia": "Brasília"} and slugs == {"Brasília": "brasilia"}
    assert tag_key("São Paulo") == tag_key("Sao Paulo") != tag_key("Sao Pablo")
