"""A sentence view from the morpheme embeddings of Kiwi's language model, fitted like a vectorizer."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import scipy.sparse


class MorphemeEmbeddings:
    """A sentence view from the morpheme embeddings of Kiwi's CoNg language model.

    The anchors are the content morphemes of the training data. A message is described by
    how similar its content morphemes are to each anchor: per anchor, the best similarity
    above `threshold` (max-pooled, L2-normalised). A word never seen in training but close
    to one that was (노고 ~ 수고, 조세 ~ 세금) then lights up the same features. Similarities
    are cached per morpheme; the analyser is not pickled and is set again on load.
    """

    CACHE_SIZE = 20_000

    def __init__(self, korean: Any, threshold: float, max_anchors: int | None = None) -> None:
        self.korean = korean
        self.threshold = threshold
        self.max_anchors = max_anchors
        self.anchors: list[int] = []
        self._cache: dict[int, np.ndarray | None] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "max_anchors": self.max_anchors, "anchors": self.anchors}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.max_anchors = None  # a state without the setting keeps every anchor
        self.__dict__.update(state)
        self.korean = None
        self._cache = {}

    def _similarities(self, morpheme: int) -> np.ndarray | None:
        if morpheme not in self._cache:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[morpheme] = self.korean.similarities(morpheme, self.anchors)
        return self._cache[morpheme]

    def fit(self, messages: list[list[int]]) -> MorphemeEmbeddings:
        counts: dict[int, int] = defaultdict(int)
        for morphemes in messages:
            for morpheme in set(morphemes):
                counts[morpheme] += 1
        candidates = sorted(counts, key=lambda m: (-counts[m], m))
        self.anchors = [m for m in candidates if self.korean.similarities(m, [m]) is not None][: self.max_anchors]
        self._cache = {}
        return self

    def transform(self, messages: list[list[int]]) -> scipy.sparse.csr_matrix:
        rows = np.zeros((len(messages), len(self.anchors)), dtype=np.float32)
        for row, morphemes in enumerate(messages):
            vectors = [v for v in (self._similarities(m) for m in morphemes) if v is not None]
            if not vectors:
                continue
            pooled = np.maximum(np.max(vectors, axis=0) - self.threshold, 0.0)
            norm = float(np.linalg.norm(pooled))
            if norm:
                rows[row] = pooled / norm
        return scipy.sparse.csr_matrix(rows)
