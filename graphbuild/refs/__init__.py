"""Citation extraction from Chinese budget-disclosure text.

``find_refs(text)`` is the regex path; ``load()`` gives a spaCy pipeline whose
"graphbuild_refs" component puts the same references in ``doc.spans["doc_refs"]``.
"""
from .find import find_all, find_refs, rejected
from .models import Reference, Rejection
from .pipeline import load

__all__ = ["find_all", "find_refs", "rejected", "load", "Reference", "Rejection"]
