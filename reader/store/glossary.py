"""The glossary's rows: entries in, ``Glossary`` values out. The caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reader.core.glossary import Glossary, GlossaryEntry, GlossaryError, checked, key_of
from reader.store.models import GlossaryRow
from reader.store.repo import now


def glossary(session: Session) -> Glossary:
    """Every entry, canonical names in alphabetical order, variants in the order added."""
    rows = session.scalars(select(GlossaryRow).order_by(GlossaryRow.created_at, GlossaryRow.key)).all()
    canonical = {r.key: r.spelling for r in rows if r.key == r.canonical_key}
    variants: dict[str, list[str]] = {k: [] for k in canonical}
    for row in rows:
        if row.key != row.canonical_key and row.canonical_key in variants:
            variants[row.canonical_key].append(row.spelling)
    entries = sorted((GlossaryEntry(canonical[k], tuple(variants[k])) for k in canonical),
                     key=lambda e: key_of(e.canonical))
    return Glossary(tuple(entries))


def add(session: Session, canonical: str, variants: Sequence[str]) -> tuple[GlossaryEntry, list[str]]:
    """Add ``variants`` to the entry ``canonical`` (made if new). Returns the entry and the
    variants it already had. GlossaryError when a spelling belongs to another entry."""
    canonical = checked(canonical)
    spellings = [checked(v) for v in variants]
    key = key_of(canonical)
    rows = {r.key: r for r in session.scalars(select(GlossaryRow)).all()}
    spelled = {k: rows[r.canonical_key].spelling for k, r in rows.items() if r.canonical_key in rows}
    if key in rows and rows[key].canonical_key != key:
        raise GlossaryError(f"{canonical!r} is already a spelling of {spelled[key]!r}; "
                            f"add to that entry instead")
    if key not in rows:
        session.add(GlossaryRow(key=key, spelling=canonical, canonical_key=key, created_at=now()))
    already: list[str] = []
    seen = {key}
    for spelling in spellings:
        variant_key = key_of(spelling)
        if variant_key in seen:
            already.append(spelling)
            continue
        seen.add(variant_key)
        row = rows.get(variant_key)
        if row is not None:
            if row.canonical_key != key:
                raise GlossaryError(f"{spelling!r} is already a spelling of {spelled[variant_key]!r}")
            already.append(spelling)
            continue
        session.add(GlossaryRow(key=variant_key, spelling=spelling, canonical_key=key, created_at=now()))
    session.flush()
    entry = glossary(session).entry_for(canonical)
    assert entry is not None
    return entry, already


def remove(session: Session, terms: Sequence[str]) -> tuple[list[str], list[str]]:
    """Remove each term: a canonical name with its whole entry, a variant alone. Returns
    (removed, unknown)."""
    removed: list[str] = []
    unknown: list[str] = []
    for term in terms:
        key = key_of(term)
        row = session.get(GlossaryRow, key) if key else None
        if row is None:
            unknown.append(term)
            continue
        if row.canonical_key == key:
            session.execute(delete(GlossaryRow).where(GlossaryRow.canonical_key == key))
        else:
            session.delete(row)
        session.flush()
        removed.append(row.spelling)
    return removed, unknown


__all__ = ["GlossaryError", "add", "glossary", "remove"]
