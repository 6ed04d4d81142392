"""Telling a query that looks for a source from one that looks for an answer.

Lists of sources (a section's `## Sources`, the references section) rank after
prose, because for "how long does it last" the paragraph with the answer helps
and the line "Murrough 2013b" does not. A query that looks like a citation wants
the source itself, so for it they rank among everything else: a year ("Murrough
2013", "2019"), a DOI or PubMed number, or a trial name written in capitals
with a hyphen or a digit ("ESCAPE-TRD", "SUSTAIN-1", "KetECT").
"""

from __future__ import annotations

import re

_SOURCE_WORDS = re.compile(
    r"\b(?:1[89]\d\d|20\d\d)[a-z]?\b"  # a year, maybe with a letter: 2013b
    r"|\b10\.\d{4,9}/"  # a DOI
    r"|\b(?:doi|pmid|pubmed|et al)\b",
    re.IGNORECASE,
)
_TRIAL_NAME = re.compile(
    r"\b[A-Z][A-Z0-9]*-[A-Z0-9]+\b"  # ELEKT-D, ESCAPE-TRD, SUSTAIN-1, PCN-101
    r"|\b[A-Z][a-z]+[A-Z]{2,}\b"  # KetECT
)
"""Case matters here: "escape-trd" typed in lower case reads as two words."""


def looks_like_citation(query: str) -> bool:
    """True if `query` names a source: a year, a DOI, or a trial name in capitals."""
    return bool(_SOURCE_WORDS.search(query) or _TRIAL_NAME.search(query))
