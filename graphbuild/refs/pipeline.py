"""The spaCy pipeline: a whitespace tokenizer and the component "graphbuild_refs".

The tokenizer makes one token per whitespace-separated chunk (a single space after a
chunk is its trailing whitespace, as in spaCy's tokenizers), not one per character as
spaCy's zh "char" segmenter does: that built ~340 k Python tokens for the sample and was
half the pipeline's time. The component runs find_refs on the text once, splits the
tokens a reference starts or ends inside, and puts one span per reference in
doc.spans["doc_refs"], with exactly find_refs' offsets; so each reference is whole tokens.
A disclosure's county and city (refs/region.py), which find_refs resolves its own 代字
with, ride on doc._.region: ``nlp.pipe(docs(nlp, texts, region))``.
Chunks are rarely repeated words: a long run should pipe inside ``nlp.memory_zone()``,
or every chunk stays in the vocab's string store.

spaCy is imported, and everything registered, only when ``load()`` is called: importing
it costs over a second, which every other command would otherwise pay.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Iterable, Iterator

from .find import find_refs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from .region import Region

SPAN_KEY = "doc_refs"
SPAN_ATTRS = ("key", "kind", "doc_no", "code", "year", "serial", "title")
COMPONENT = "graphbuild_refs"
TOKENIZER = "graphbuild.ChunkTokenizer.v1"

# A token and the single space after it, if any (spaCy's "whitespace" flag).
_CHUNK = re.compile(r"(\S+|\s+)( ?)")


def chunks(text: str) -> tuple[list[str], list[bool]]:
    """The words and spaces of ``text``: words joined with a space where flagged give it back."""
    pairs = _CHUNK.findall(text)
    return [w for w, _ in pairs], [s == " " for _, s in pairs]


def split_at(doc: Doc, offsets: set[int]) -> None:
    """Split every token that one of the character ``offsets`` falls inside."""
    at = sorted(offsets)
    cuts = []
    for token in doc:
        lo, hi = bisect_right(at, token.idx), bisect_left(at, token.idx + len(token))
        if lo < hi:
            cuts.append((token, [0, *(a - token.idx for a in at[lo:hi]), len(token)]))
    if cuts:
        with doc.retokenize() as retokenizer:
            for token, edges in cuts:
                orths = [token.text[a:b] for a, b in zip(edges, edges[1:])]
                retokenizer.split(token, orths, heads=[(token, k) for k in range(len(orths))])


def graphbuild_refs(doc: Doc) -> Doc:
    """Set doc.spans["doc_refs"], one span per reference, attributes on span._."""
    refs = find_refs(doc.text, doc._.region)
    spans = []
    if refs:
        split_at(doc, {r.start for r in refs} | {r.end for r in refs})
        for ref in refs:
            span = doc.char_span(ref.start, ref.end, label=ref.kind)
            ext = span._
            for attr in SPAN_ATTRS:
                setattr(ext, attr, getattr(ref, attr))
            spans.append(span)
    doc.spans[SPAN_KEY] = spans
    return doc


class ChunkTokenizer:
    """Text → Doc of chunks (see the module docstring); nothing to serialise."""

    def __init__(self, vocab: Vocab):
        from spacy.tokens import Doc

        self.vocab, self._doc = vocab, Doc

    def __call__(self, text: str) -> Doc:
        words, spaces = chunks(text)
        return self._doc(self.vocab, words=words, spaces=spaces)

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> ChunkTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> ChunkTokenizer:
        return self


def chunk_tokenizer():
    """The registered tokenizer factory: config ``@tokenizers = "graphbuild.ChunkTokenizer.v1"``."""
    return lambda nlp: ChunkTokenizer(nlp.vocab)


def docs(nlp: Language, texts: Iterable[str], region: Region | None) -> Iterator[Doc]:
    """``texts`` tokenized, with doc._.region set, for ``nlp.pipe``."""
    for text in texts:
        doc = nlp.make_doc(text)
        doc._.region = region
        yield doc


def register() -> None:
    """Register the tokenizer, the component and the extensions with spaCy (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Doc, Span
    from spacy.util import registry

    if not Doc.has_extension("region"):
        Doc.set_extension("region", default=None)
    for attr in SPAN_ATTRS:
        if not Span.has_extension(attr):
            Span.set_extension(attr, default=None)
    if not Language.has_factory(COMPONENT):
        Language.component(COMPONENT, func=graphbuild_refs)
    if TOKENIZER not in registry.tokenizers:
        registry.tokenizers.register(TOKENIZER, func=chunk_tokenizer)


def load() -> Language:
    """A blank Chinese pipeline: the chunk tokenizer and the graphbuild_refs component."""
    import spacy

    register()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    nlp.add_pipe(COMPONENT)
    return nlp
