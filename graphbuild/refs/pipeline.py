"""The spaCy component "graphbuild_refs": find_refs results as doc.spans["doc_refs"].

spaCy is imported, and the component registered, only when ``load()`` is called: importing
it costs over a second, which every other command would otherwise pay.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .find import find_refs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPAN_KEY = "doc_refs"
SPAN_ATTRS = ("key", "kind", "doc_no", "code", "year", "serial", "title")
COMPONENT = "graphbuild_refs"


def graphbuild_refs(doc: Doc) -> Doc:
    """Set doc.spans["doc_refs"], one span per reference, attributes on span._."""
    spans = []
    for ref in find_refs(doc.text):
        span = doc.char_span(ref.start, ref.end, label=ref.kind, alignment_mode="expand")
        for attr in SPAN_ATTRS:
            setattr(span._, attr, getattr(ref, attr))
        spans.append(span)
    doc.spans[SPAN_KEY] = spans
    return doc


def register() -> None:
    """Register the component and the span attributes with spaCy (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Span

    for attr in SPAN_ATTRS:
        if not Span.has_extension(attr):
            Span.set_extension(attr, default=None)
    if not Language.has_factory(COMPONENT):
        Language.component(COMPONENT, func=graphbuild_refs)


def load() -> Language:
    """A blank Chinese pipeline (per-character tokens) with the graphbuild_refs component."""
    import spacy

    register()
    nlp = spacy.blank("zh")
    nlp.add_pipe(COMPONENT)
    return nlp
