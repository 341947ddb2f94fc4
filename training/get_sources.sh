#!/bin/sh
# Put the public training sources into RAW_DIR (default training/cache/raw) from local
# clones of their repositories (git clone https://github.com/OWNER/NAME, or a bare mirror):
#   sh training/get_sources.sh NGEC_GIT CONFLIBERT_GIT CAMEO_CONFLIBERT_GIT IPE_GIT GLOCON_GIT [RAW_DIR]
# Each *_GIT is a git directory (a clone's .git or a bare repository). Only the files named
# in training/SOURCES.md are exported; ConfliBERT's test split never is.
set -eu
RAW=${6:-training/cache/raw}
mkdir -p "$RAW/conflibert" "$RAW/cameo_conflibert_annotations"
git --git-dir="$1" show HEAD:setup/train_classifiers/gpt_synthetic_events_2023-10-19_19.csv.zip \
  > "$RAW/gpt_synthetic_events_2023-10-19_19.csv.zip"
git --git-dir="$2" show HEAD:data/cameo_class/train.tsv > "$RAW/conflibert/train.tsv"
for f in $(git --git-dir="$3" ls-tree -r --name-only HEAD annotations | grep '/summary.*\.csv$'); do
  mkdir -p "$RAW/cameo_conflibert_annotations/$(basename "$(dirname "$f")")"
  git --git-dir="$3" show "HEAD:$f" > "$RAW/cameo_conflibert_annotations/${f#annotations/}"
done
git --git-dir="$4" show HEAD:data/final/sents.jsonl > "$RAW/india_police_sents.jsonl"
git --git-dir="$5" show HEAD:sample/sentence/Sabinet.json > "$RAW/glocon_sentence_sample.json"
echo "sources in $RAW"
