"""Mention detection with 5,000 entities on a 1,000-word article.

Builds the entities in a throw-away in-memory SQLite database, then prints:
- the one-off build of the matcher (Aho-Corasick automatons over every name and alias);
- the matching alone on a 1,000-word article (median and worst of many runs);
- ``article_detect_mentions`` end to end (matching plus the database writes).

The budget is 50 ms per article, excluding the one-off build. Exit status 1 when the
end-to-end median is over budget.

    .venv/bin/python benchmarks/mentions.py [--entities 5000] [--runs 50]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lenrnews.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

BUDGET_MS = 50
SYLLABLES = "ka lo ri ta ne mi so vu re da fi no ze pa tu ch sh ar el on ix um".split()
WORDS = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an "
    "they you were her she there been one all we their has would when if so no will can more other who also "
    "reactor excess heat claim report energy test patent license deal park government investment said company"
).split()


def made_up_name(rng, parts):
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize() for _ in range(parts))


def build_entities(count, rng):
    from organizations.models import Organization, Person, Technology

    thirds = count // 3
    orgs, people, techs, names = [], [], [], []
    for i in range(count - 2 * thirds):
        name = f"{made_up_name(rng, 2)} {rng.choice(['Energy', 'Labs', 'Power', 'Partners', 'Research'])}"
        acronym = "".join(w[0] for w in name.split()).upper() + str(i % 10)
        orgs.append(Organization(name=name, slug=f"org-{i}", aliases=f"{acronym}\n{name} LLC"))
        names.append(name)
    for i in range(thirds):
        first, last = made_up_name(rng, 1), made_up_name(rng, 1)
        people.append(Person(name=f"{first} {last}", slug=f"person-{i}", aliases=last))
        names.append(f"{first} {last}")
    for i in range(thirds):
        name = f"{made_up_name(rng, 1)}-{rng.choice(['Cat', 'Cell', 'Core', 'Reactor'])} {i}"
        techs.append(Technology(name=name, slug=f"tech-{i}", aliases=f"{name} Mk2"))
        names.append(name)
    Organization.objects.bulk_create(orgs, batch_size=1000)
    Person.objects.bulk_create(people, batch_size=1000)
    Technology.objects.bulk_create(techs, batch_size=1000)
    return names


def build_article_text(names, rng, words=1000, mentions=40):
    text = [rng.choice(WORDS) for _ in range(words - mentions * 2)]
    for name in rng.sample(names, mentions):
        position = rng.randrange(len(text))
        text.insert(position, name + rng.choice(["", "'s", "’s", ",", "."]))
    return " ".join(text)


def timed(function, runs):
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        durations.append((time.perf_counter() - start) * 1000)
    return durations, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(65)

    call_command("migrate", verbosity=0)
    from articles.models import Article
    from articles.services import (
        article_detect_mentions,
        get_mention_matcher,
        mention_matcher_invalidate,
    )

    names = build_entities(args.entities, rng)
    mention_matcher_invalidate()  # bulk_create sends no signals
    body = build_article_text(names, rng)
    article = Article.objects.create(title="Benchmark", slug="benchmark", body=body, standfirst="")

    start = time.perf_counter()
    matcher = get_mention_matcher()
    build_ms = (time.perf_counter() - start) * 1000

    match_ms, found = timed(lambda: matcher.entities_in(body), args.runs)
    detect_ms, _ = timed(lambda: article_detect_mentions(article=article), args.runs)
    # The first detection writes every mention; later runs find them in place.
    article.organizations.clear()
    article.people.clear()
    article.technologies.clear()
    first_ms, _ = timed(lambda: article_detect_mentions(article=article), 1)

    words = len(body.split())
    print(f"entities: {args.entities} ({matcher.size} distinct names and aliases)")
    print(f"article: {words} words, {len(found)} entities found")
    print(f"matcher build (one-off, cached per process): {build_ms:.1f} ms")
    print(f"matching only: median {statistics.median(match_ms):.2f} ms, max {max(match_ms):.2f} ms")
    print(
        f"article_detect_mentions (with database): median {statistics.median(detect_ms):.2f} ms, "
        f"max {max(detect_ms):.2f} ms; with every mention new: {first_ms[0]:.2f} ms"
    )
    verdict = statistics.median(detect_ms) < BUDGET_MS and first_ms[0] < BUDGET_MS
    print(f"budget {BUDGET_MS} ms per article: {'met' if verdict else 'NOT met'}")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
