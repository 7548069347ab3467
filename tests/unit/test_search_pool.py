"""The packed posting pool gives Whoosh's writer exactly what Whoosh's own pool gives it, and
the index `search.index` writes (packed pool, one-pass analysis) is the one plain Whoosh writes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.writing import PostingPool

from search.analysis import StemmedText
from search.documents import Document
from search.index import _fields, rebuild
from search.pool import PackedPostingPool
from search.schema import build_schema


def _postings(count: int, seed: int = 3) -> list[tuple]:
    """Postings as a writer adds them: docnums ascending, several fields and terms per doc."""
    rng = random.Random(seed)
    words = [f"w{i}".encode() for i in range(300)]
    items = []
    for docnum in range(count):
        for fieldname in ("body", "title", "id"):
            for term in rng.sample(words, 12):
                value = None if fieldname == "id" else bytes(rng.randrange(256) for _ in range(5))
                items.append((fieldname, term, docnum, rng.random() * 3, value))
    return items


def _whoosh_order(items: list[tuple]) -> list[tuple]:
    pool = PostingPool(RamStorage(), None, limitmb=1)
    for item in items:
        pool.add(item)
    return list(pool.iter_postings())


@pytest.mark.parametrize("limitmb", [32, 0], ids=["in memory", "a run per posting"])
def test_same_postings_in_the_same_order_as_whoosh(limitmb: int, tmp_path: Path) -> None:
    items = _postings(200)
    pool = PackedPostingPool(limitmb, tempdir=str(tmp_path))
    for item in items:
        pool.add(item)
    assert list(pool.iter_postings()) == _whoosh_order(items)
    assert list(tmp_path.iterdir()) == []  # runs are anonymous files, gone once read


def test_out_of_order_docnums_are_sorted(tmp_path: Path) -> None:
    # A merge of old segments may add a term's postings after newer ones.
    items = _postings(50)
    shuffled = items[:]
    random.Random(1).shuffle(shuffled)
    for limitmb in (32, 0):
        pool = PackedPostingPool(limitmb, tempdir=str(tmp_path))
        for item in shuffled:
            pool.add(item)
        assert list(pool.iter_postings()) == _whoosh_order(items)


def test_cleanup_drops_everything(tmp_path: Path) -> None:
    pool = PackedPostingPool(0, tempdir=str(tmp_path))
    for item in _postings(10):
        pool.add(item)
    pool.cleanup()
    assert list(pool.iter_postings()) == []


def _docs(count: int) -> list[Document]:
    rng = random.Random(9)
    vocabulary = [
        "ticket",
        "outage",
        "invoice",
        "password",
        "premium",
        "weekend",
        "release",
        "permit",
        "citation",
        # Stop words (positions renumbered after them), a word too short to index, a
        # wildcard character and an inner dot the tokenizer keeps, and non-ASCII case.
        "the",
        "a",
        "x",
        "tickets*",
        "v2.3",
        "İstanbul",
        "Straße",
    ]
    return [
        Document(
            id=f"p{i}/",
            url=f"p{i}/",
            title=" ".join(rng.choices(vocabulary, k=3)),
            body=" ".join(rng.choices(vocabulary, k=rng.randrange(5, 60))),
            headings=(rng.choice(vocabulary),),
        )
        for i in range(count)
    ]


TEXT_FIELDS = ("title", "headings", "body")


def _plain_whoosh_schema() -> Schema:
    """The index schema with Whoosh's own TEXT fields in place of `StemmedText`."""
    schema = build_schema()
    for name in TEXT_FIELDS:
        field = schema[name]
        assert isinstance(field, StemmedText)
        schema.remove(name)
        plain = TEXT(analyzer=field.analyzer, stored=True, field_boost=field.format.field_boost)
        schema.add(name, plain)
    return schema


def _index_content(folder: Path) -> list[tuple]:
    """Every posting of every field, with positions where the field keeps them."""
    content = []
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        for fieldname in sorted(reader.indexed_field_names()):
            positions = reader.schema[fieldname].format.supports("positions")
            for term in reader.lexicon(fieldname):
                matcher = reader.postings(fieldname, term)
                kind = "positions" if positions else "weight"
                content += [(fieldname, term, *p) for p in matcher.items_as(kind)]
                content.append(_block_statistics(reader.postings(fieldname, term)))
                info = reader.term_info(fieldname, term)
                content.append((info.min_length(), info.max_length(), info.max_weight()))
    return content


# 700 records: the common words' postings fill several of the codec's blocks (128 postings),
# which search.term_writer fills a block at a time. A pool of 0.05 MB writes runs to disk and
# merges them at commit.
@pytest.mark.parametrize(
    ("count", "limitmb"), [(120, 32), (700, 32), (700, 0.05)], ids=["120", "700", "700 in runs"]
)
def test_an_index_written_through_the_pool_is_the_one_whoosh_writes(
    tmp_path: Path, count: int, limitmb: float
) -> None:
    docs = _docs(count)
    plain = tmp_path / "plain"
    plain.mkdir()
    writer = whoosh_index.create_in(str(plain), _plain_whoosh_schema()).writer()
    for doc in docs:
        fields, _ = _fields(doc)
        for name in TEXT_FIELDS:  # the text itself, analysed by Whoosh's own chain
            fields[name] = fields.pop(f"_stored_{name}")
        writer.add_document(**fields)
    writer.commit()

    # search.index writes through the packed pool
    stats = rebuild(tmp_path / "kb", docs, limitmb=limitmb)
    assert stats.full
    assert _index_content(stats.generation) == _index_content(plain)
    assert _stored(stats.generation) == _stored(plain)


def _block_statistics(matcher) -> list[tuple]:
    """Each block's bounds (ids, lengths, weight): what lets a query skip a block unread."""
    blocks = []
    while matcher.is_active():
        blocks.append(
            (
                matcher.block_min_id(),
                matcher.block_max_id(),
                matcher.block_min_length(),
                matcher.block_max_length(),
                matcher.block_max_weight(),
            )
        )
        matcher.skip_to(matcher.block_max_id() + 1)
    return blocks


def _stored(folder: Path) -> list[dict]:
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        return list(reader.all_stored_fields())
