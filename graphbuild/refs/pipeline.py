"""The spaCy component "graphbuild_refs": find_refs results as doc.spans["doc_refs"]."""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .find import find_refs

SPAN_KEY = "doc_refs"
SPAN_ATTRS = ("key", "kind", "doc_no", "code", "year", "serial", "title")

for _attr in SPAN_ATTRS:
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, default=None)


@Language.component("graphbuild_refs")
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


def load() -> Language:
    """A blank Chinese pipeline (per-character tokens) with the graphbuild_refs component."""
    nlp = spacy.blank("zh")
    nlp.add_pipe("graphbuild_refs")
    return nlp
