"""Whoosh's ``SegmentWriter.add_document``, a field at a time into the packed posting pool.

Whoosh's writer hands its pool one posting per call: for each field it walks the field's
``index`` generator, multiplies each weight by the record's boost, builds a 5-tuple and calls
``pool.add``, half a million times at 1,000 pages. `add_document` does what it does, in the
same order (per-document values, stored fields, columns), but gives `search.pool` each field's
postings in one call, and asks a `search.analysis.StemmedText` field for them as a list.

The index files are Whoosh's, byte for byte (tests/unit/test_search_pool.py compares them with
an index plain Whoosh writes). With another writer or pool, or a field that keeps term vectors
or a separate spelling field (the schema has none), Whoosh's own ``add_document`` runs.
"""

from __future__ import annotations

from typing import Any

from whoosh.writing import SegmentWriter

from search.analysis import weighted_postings
from search.pool import PackedPostingPool


def add_document(writer: SegmentWriter, fields: dict[str, Any]) -> None:
    """``writer.add_document(**fields)``, with each field's postings added at once."""
    if type(writer) is not SegmentWriter or type(writer.pool) is not PackedPostingPool:
        writer.add_document(**fields)
        return
    writer._check_state()
    schema = writer.schema
    names = sorted(name for name in fields if not name.startswith("_"))
    writer._check_fields(schema, names)
    if any(schema[name].vector or schema[name].separate_spelling() for name in names):
        writer.add_document(**fields)
        return
    pool = writer.pool
    perdocwriter = writer.perdocwriter
    docnum = writer.docnum
    docboost = writer._doc_boost(fields)
    perdocwriter.start_doc(docnum)
    try:
        for name in names:
            value = fields.get(name)
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                fieldboost = writer._field_boost(fields, name, docboost)
                fast = getattr(field, "weighted_postings", None)
                if fast is not None:
                    postings, length = fast(value, fieldboost)
                else:
                    postings, length = weighted_postings(field.index(value), fieldboost)
                pool.add_terms(name, docnum, postings)
                if not field.scorable:
                    length = 0
            stored = fields.get(f"_stored_{name}", value)  # a custom stored or column value
            perdocwriter.add_field(name, field, stored if field.stored else None, length)
            column = field.column_type
            if column and stored is not None:
                perdocwriter.add_column_value(name, column, field.to_column_value(stored))
    except ValueError:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1
