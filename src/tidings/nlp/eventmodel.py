"""The trained event model: does a clause report an event, and of which PLOVER type.

The dependency rules (``events.py``) find candidate frames: a predicate with its subject
and object, typed by the lexicon. The model reads the whole sentence and the frame and
scores each candidate: the probability that it reports an event, and a probability for
each of the 16 PLOVER types. The lexicon's type, CAMEO root and the frame's modality are
input features, so the rules inform the model rather than decide. The final type is
``argmax(log p_model(type) + rule_weight * [type == rule type])``, with ``rule_weight`` chosen
on the training data's dev split (see docs/model.md), and ``confidence`` is the isotonic
calibration of ``p_event * p_type`` on that dev split. A document-level topic head
(political or social news, or not) gates whole documents: sport results and product
launches yield no events however event-like a clause reads.

At run time everything is numpy: sentence vectors come from a static embedding table
(model2vec, distilled from all-MiniLM-L6-v2 at training time) with our own WordPiece
tokenizer, and the heads are small matrices. The files live in ``tidings/data/model/``.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tidings.event_types import type_names
from tidings.model import MODALITIES

# The types a new model is trained on: the type table's. A trained model keeps its own list
# (meta.json `types`), so a type added to the table later changes no model input.
TYPES = type_names()
RULE_TYPES = ("NONE", *TYPES)
MODALITY_FEATURES = ("none", *MODALITIES)
CAMEO_ROOTS = tuple(f"{i:02d}" for i in range(1, 21))
FLAGS = ("source_country", "target_country", "source_sector", "target_sector", "reporter")
MAX_TOKENS = 512  # as the distilled model: a 5,000-word run-on sentence is cut, not refused
FORMAT = "tidings-event-model/1"
TOPIC_MEMORY = 512  # documents whose topic score is remembered (a few batches)


@dataclass
class Candidate:
    """What the model reads about one candidate event."""

    sentence: str
    frame: str = ""  # "source trigger target" words from the parse
    rule_type: str = "NONE"
    cameo: str = ""
    modality: str = "none"
    flags: tuple[bool, ...] = (False,) * len(FLAGS)


@dataclass
class Decision:
    event: bool  # the model says the clause reports an event
    event_type: str
    confidence: float
    p_event: float
    p_type: float
    decided_by: str  # "model" (type changed from the rule's), "model+rules" (agreed)


class _CharRoles(dict):
    """A ``str.translate`` table, filled as characters are first seen, that splits text
    as BERT's basic tokenizer does: a combining accent is dropped, white space and control
    characters separate words, and punctuation, ASCII symbols and CJK ideographs are each a
    word of their own; every other character is part of a word."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        cat = unicodedata.category(ch)
        if cat == "Mn":
            role = None
        elif ch.isspace() or cat.startswith("C"):
            role = " "
        elif cat.startswith("P") or (ch.isascii() and not ch.isalnum()) or \
                0x4E00 <= code <= 0x9FFF:
            role = f" {ch} "
        else:
            role = ch
        self[code] = role
        return role


_CHAR_ROLES = _CharRoles()


class StaticEmbedder:
    """Mean of static token vectors, L2-normalised: model2vec's encoding, in numpy.

    The tokenizer is BERT's uncased WordPiece (lower-case, accents stripped, punctuation
    split off, greedy longest-match sub-words); unknown words are dropped, as model2vec
    does."""

    def __init__(self, vocab: list[str], vectors: np.ndarray):
        if len(vocab) != len(vectors):
            raise ValueError(f"vocabulary has {len(vocab)} entries, table {len(vectors)} rows")
        self.vocab = {token: i for i, token in enumerate(vocab)}
        self.vectors = vectors
        self.dim = vectors.shape[1]
        self.unk = self.vocab.get("[UNK]")
        self._cache: dict[str, list[int]] = {}

    def _words(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFD", text.lower())
        # One C-level pass: accents deleted, spaces and control characters made spaces,
        # punctuation spaced out as a word of its own (see ``_CharRoles``).
        return text.translate(_CHAR_ROLES).split()

    def _pieces(self, word: str) -> list[int]:
        found = self._cache.get(word)
        if found is not None:
            return found
        ids: list[int] = []
        if len(word) <= 100:
            start = 0
            while start < len(word):
                end = len(word)
                piece = None
                while start < end:
                    sub = word[start:end] if start == 0 else "##" + word[start:end]
                    if sub in self.vocab:
                        piece = self.vocab[sub]
                        break
                    end -= 1
                if piece is None:
                    ids = []  # the whole word is unknown
                    break
                ids.append(piece)
                start = end
        if len(self._cache) < 200_000:
            self._cache[word] = ids
        return ids

    def tokenize(self, text: str) -> list[int]:
        ids: list[int] = []
        for word in self._words(text):
            ids.extend(self._pieces(word))
            if len(ids) >= MAX_TOKENS:
                return ids[:MAX_TOKENS]
        return ids

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.tokenize(text) if text else []
            if ids:
                # the float32 mean without a float32 copy of every row (same sums)
                vec = self.vectors[ids].sum(axis=0, dtype=np.float32) / np.float32(len(ids))
                norm = float(np.linalg.norm(vec))
                out[row] = vec / norm if norm > 0 else vec
        return out

    @classmethod
    def from_dir(cls, path: Path) -> StaticEmbedder:
        vocab = (path / "vocab.txt").read_text(encoding="utf-8").split("\n")
        if vocab and vocab[-1] == "":
            vocab.pop()
        # memory-mapped: loading costs nothing; rows are read as sentences need them
        embedder = cls(vocab, np.load(path / "vectors.npy", allow_pickle=False, mmap_mode="r"))
        embedder.path = path
        return embedder

    def to_dir(self, path: Path) -> None:
        source = getattr(self, "path", None)
        if source is not None and Path(source).resolve() == Path(path).resolve():
            return  # already there (and memory-mapped: never write over it)
        path.mkdir(parents=True, exist_ok=True)
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
        np.save(path / "vectors.npy", self.vectors, allow_pickle=False)


def _onehot(value: str, values: tuple[str, ...]) -> list[float]:
    return [1.0 if value == v else 0.0 for v in values]


def rule_features(c: Candidate, rule_types: tuple[str, ...] = RULE_TYPES) -> np.ndarray:
    """The rules' part of the input: lexicon type, CAMEO root, modality, frame flags."""
    return np.array(_onehot(c.rule_type, rule_types) + _onehot(c.cameo[:2], CAMEO_ROOTS)
                    + _onehot(c.modality, MODALITY_FEATURES) + [float(f) for f in c.flags],
                    dtype=np.float32)


def build_features(candidates: list[Candidate], encode,
                   rule_types: tuple[str, ...] = RULE_TYPES) -> np.ndarray:
    """[sentence vector, frame vector, rule features]; each sentence is encoded once."""
    if not candidates:
        return np.zeros((0, 0), dtype=np.float32)
    sentences = list(dict.fromkeys(c.sentence for c in candidates))
    frames = list(dict.fromkeys(c.frame for c in candidates if c.frame))
    sent_vecs = encode(sentences)
    frame_vecs = encode(frames) if frames else np.zeros((0, sent_vecs.shape[1]), np.float32)
    s_row = {s: i for i, s in enumerate(sentences)}
    f_row = {f: i for i, f in enumerate(frames)}
    zero = np.zeros(sent_vecs.shape[1], dtype=np.float32)
    rows = [np.concatenate([sent_vecs[s_row[c.sentence]],
                            frame_vecs[f_row[c.frame]] if c.frame else zero,
                            rule_features(c, rule_types)]) for c in candidates]
    return np.stack(rows)


def forward(layers: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    """An MLP's logits (ReLU between layers); one layer is a linear model."""
    for i, (w, b) in enumerate(layers):
        x = x @ w + b
        if i < len(layers) - 1:
            x = np.maximum(x, 0.0)
    return x


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class EventModel:
    """The heads, the calibration and the settings, with the embedder they were trained on."""

    def __init__(self, embedder, event_layers, type_layers, *, mean: np.ndarray,
                 scale: np.ndarray, calibration: tuple[np.ndarray, np.ndarray],
                 meta: dict, topic_layers=None):
        self.embedder = embedder
        self.event_layers = event_layers
        self.type_layers = type_layers
        self.topic_layers = topic_layers or []  # document topic: political/social news?
        self.topic_threshold = float(meta.get("topic_threshold", 0.0))
        # documents shorter than this many words need a proportionally lower topic score:
        # on one sentence the topic head is less sure (0: the same threshold for all)
        self.topic_full_words = int(meta.get("topic_full_words", 0))
        self.mean, self.scale = mean, scale
        self.calibration = calibration
        self.meta = meta
        self.rule_weight = float(meta.get("rule_weight", 0.0))
        self.event_threshold = float(meta.get("event_threshold", 0.5))
        # P(event) x P(type) a sentence with no rule frame needs for the model to propose
        # an event there (tidings.nlp.eventscoring.propose); 0: never
        self.propose_threshold = float(meta.get("propose_threshold", 0.0))
        # the types it may propose (empty: any); the rules read material acts from their
        # verbs, what they miss is mostly what is said (docs/model.md)
        self.propose_types = tuple(meta.get("propose_types") or ())
        # "unframed": only sentences where the rules found no frame; "all": also a type
        # none of a sentence's rule events has
        self.propose_where = str(meta.get("propose_where") or "unframed")
        # the types the type head was trained on, in the order of its outputs
        self.types: tuple[str, ...] = tuple(meta.get("types") or TYPES)
        self.rule_types = ("NONE", *self.types)
        self._topic_seen: dict[str, float] = {}  # text -> topic score (see ``topic``)
        self._topic_seen_for = self.topic_layers

    def features(self, candidates: list[Candidate]) -> np.ndarray:
        x = build_features(candidates, self.embedder.encode, self.rule_types)
        return (x - self.mean) / self.scale if len(x) else x

    def predict(self, candidates: list[Candidate]) -> tuple[np.ndarray, np.ndarray]:
        """(p_event per candidate, p_type per candidate and type)."""
        if not candidates:
            return np.zeros(0), np.zeros((0, len(self.types)))
        x = self.features(candidates)
        p_event = sigmoid(forward(self.event_layers, x)[:, 0])
        p_types = softmax(forward(self.type_layers, x))
        return p_event, p_types

    def topic(self, texts: list[str]) -> np.ndarray:
        """P(the text is political or social news), from its first 512 word pieces; 1
        when the model has no topic head. Scores of recent texts are remembered: the
        pipeline asks before parsing a batch, the coder again for each document."""
        if not self.topic_layers or not texts:
            return np.ones(len(texts))
        if self._topic_seen_for is not self.topic_layers:  # new heads: forget
            self._topic_seen, self._topic_seen_for = {}, self.topic_layers
        new = [t for t in dict.fromkeys(texts) if t not in self._topic_seen]
        if new:
            if len(self._topic_seen) + len(new) > TOPIC_MEMORY:
                self._topic_seen.clear()
            scores = sigmoid(forward(self.topic_layers, self.embedder.encode(new))[:, 0])
            self._topic_seen.update(zip(new, scores.tolist(), strict=True))
        return np.array([self._topic_seen[t] for t in texts])

    def topic_thresholds(self, texts: list[str]) -> np.ndarray:
        """The topic score each text needs: the topic threshold, scaled down in proportion
        for texts shorter than ``topic_full_words`` words."""
        words = np.array([len(t.split()) for t in texts], dtype=float)
        if self.topic_full_words <= 0:
            return np.full(len(texts), self.topic_threshold)
        return self.topic_threshold * np.minimum(1.0, words / self.topic_full_words)

    def on_topic(self, texts: list[str]) -> list[bool]:
        """Whether each document is political or social news the coder should read: its
        topic score reaches the threshold for its length (``topic_thresholds``). The one
        place the gate is decided: ``decide`` applies it to a document's candidates, and
        the pipeline asks it before parsing, to leave an off-topic document's event
        sentences unparsed (they cannot become events)."""
        if not texts:
            return []
        if not self.topic_layers or self.topic_threshold <= 0:
            return [True] * len(texts)
        return [bool(s >= t) for s, t in zip(self.topic(texts), self.topic_thresholds(texts),
                                             strict=True)]

    def combine(self, p_types: np.ndarray, rule_types: list[str],
                rule_weight: float | None = None) -> np.ndarray:
        """Index of the final type: the model's log-probabilities plus a bonus for the
        lexicon's type."""
        weight = self.rule_weight if rule_weight is None else rule_weight
        scores = np.log(p_types + 1e-9)
        for row, rule in enumerate(rule_types):
            if rule in self.types:
                scores[row, self.types.index(rule)] += weight
        return scores.argmax(axis=1)

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        xs, ys = self.calibration
        return np.interp(raw, xs, ys) if len(xs) else raw

    def decide(self, candidates: list[Candidate], topic: float = 1.0,
               text: str | None = None) -> list[Decision]:
        """``text``: the document; when it is off topic (``on_topic``) no candidate is an
        event. Without it, ``topic`` (the document's P(political or social news)) is held
        against the plain topic threshold."""
        p_event, p_types = self.predict(candidates)
        if not candidates:
            return []
        on_topic = self.on_topic([text])[0] if text is not None else \
            topic >= self.topic_threshold
        final = self.combine(p_types, [c.rule_type for c in candidates])
        p_final = p_types[np.arange(len(candidates)), final]
        confidence = self.calibrate(p_event * p_final)
        out = []
        for i, c in enumerate(candidates):
            etype = self.types[final[i]]
            out.append(Decision(event=bool(p_event[i] >= self.event_threshold and on_topic),
                                event_type=etype, confidence=float(confidence[i]),
                                p_event=float(p_event[i]), p_type=float(p_final[i]),
                                decided_by="model+rules" if etype == c.rule_type else "model"))
        return out

    # -- files ----------------------------------------------------------------------------

    def to_dir(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        arrays = {"mean": self.mean, "scale": self.scale,
                  "calibration_x": self.calibration[0], "calibration_y": self.calibration[1]}
        for name, layers in (("event", self.event_layers), ("type", self.type_layers),
                             ("topic", self.topic_layers)):
            for i, (w, b) in enumerate(layers):
                arrays[f"{name}_w{i}"] = w.astype(np.float32)
                arrays[f"{name}_b{i}"] = b.astype(np.float32)
        np.savez(path / "heads.npz", **arrays)
        meta = dict(self.meta, format=FORMAT, event_layers=len(self.event_layers),
                    type_layers=len(self.type_layers), topic_layers=len(self.topic_layers),
                    rule_weight=self.rule_weight, event_threshold=self.event_threshold,
                    topic_threshold=self.topic_threshold,
                    propose_threshold=self.propose_threshold,
                    propose_types=list(self.propose_types),
                    propose_where=self.propose_where,
                    topic_full_words=self.topic_full_words)
        (path / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n",
                                        encoding="utf-8")
        if isinstance(self.embedder, StaticEmbedder):
            self.embedder.to_dir(path / "embeddings")

    @classmethod
    def from_dir(cls, path: Path, embedder=None) -> EventModel:
        path = Path(path)
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} model (format {meta.get('format')!r})")
        with np.load(path / "heads.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        layers = {name: [(arrays[f"{name}_w{i}"], arrays[f"{name}_b{i}"])
                         for i in range(meta.get(f"{name}_layers", 0))]
                  for name in ("event", "type", "topic")}
        if embedder is None:
            embedder = StaticEmbedder.from_dir(path / "embeddings")
        return cls(embedder, layers["event"], layers["type"], mean=arrays["mean"],
                   scale=arrays["scale"],
                   calibration=(arrays["calibration_x"], arrays["calibration_y"]), meta=meta,
                   topic_layers=layers["topic"])


def default_model_path() -> Path:
    from tidings.data import data_path

    return data_path("model/event")


_LOADED: dict[str, EventModel] = {}


def get_event_model(path: str | Path | None = None) -> EventModel | None:
    """The shipped model (loaded once per process), or None when no model is installed."""
    path = Path(path) if path is not None else default_model_path()
    key = str(path)
    if key not in _LOADED:
        if not (path / "meta.json").exists():
            return None
        _LOADED[key] = EventModel.from_dir(path)
    return _LOADED[key]
