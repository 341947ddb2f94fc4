"""`tidings train`: rebuild the event model from the training manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tidings.cli_common import app, err


@app.command()
def train(
    manifest: Annotated[Path, typer.Option(help="Training manifest (YAML).")] = Path(
        "training/manifest.yaml"),
    raw: Annotated[Path | None, typer.Option(
        help="Folder with the downloaded public sources (training/SOURCES.md); converts "
             "them first. Without it the last conversion (training/cache) is used.")] = None,
    output: Annotated[Path | None, typer.Option(
        help="Where to write the model (default: the manifest's output, the shipped "
             "model).")] = None,
    card: Annotated[bool, typer.Option(help="Write the model card (docs/model.md).")] = True,
    check: Annotated[bool, typer.Option(
        "--check", help="Train, then compare the dev metrics with the shipped model's "
                        "(within 0.01) instead of writing anything.")] = False,
    card_only: Annotated[bool, typer.Option(
        "--card-only", help="Only rewrite the model card from the last run's "
                            "training/results/metrics.json.")] = False,
) -> None:
    """Train the event model (fixed seed: the same data gives the same model)."""
    from tidings.modelcard import write_model_card
    from tidings.train import load_manifest, same_metrics, train

    if not manifest.exists():
        raise typer.BadParameter(f"{manifest} not found", param_hint="--manifest")
    spec = load_manifest(manifest)
    root = spec["_root"]
    saved = root / "results" / "metrics.json"
    if card_only:
        from tidings.nlp.eventmodel import EventModel

        model = EventModel.from_dir((root / spec["output"]).resolve())
        write_model_card((root / spec["model_card"]).resolve(), model,
                         json.loads(saved.read_text(encoding="utf-8")))
        err.print("model card rewritten")
        return
    if raw is not None:
        import runpy

        convert = runpy.run_path(str(root / "convert.py"))
        counts = convert["convert"](raw, root / spec["examples"][0])
        err.print("converted: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if not (root / spec["examples"][0]).exists():
        raise typer.BadParameter(
            f"no training examples at {root / spec['examples'][0]}: give --raw",
            param_hint="--raw")
    target = output or (root / spec["output"]).resolve()
    model, metrics = train(spec, out_dir=None if check else target)
    shown = {k: v for k, v in metrics.items()
             if not k.startswith("reliability") and k != "gold_dev_grid"}
    err.print(json.dumps(shown, indent=1))
    if check:
        from tidings.nlp.eventmodel import EventModel

        shipped = EventModel.from_dir(target).meta.get("dev_metrics", {})
        off = same_metrics(shipped, metrics)
        if off:
            err.print(f"[red]differs from the shipped model by more than 0.01:[/] {off}")
            raise typer.Exit(code=1)
        err.print("[green]same dev metrics as the shipped model (within 0.01)[/]")
        return
    err.print(f"model written to {target}")
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(metrics, indent=1, default=float) + "\n", encoding="utf-8")
    if card:
        path = (root / spec["model_card"]).resolve()
        write_model_card(path, model, metrics)
        err.print(f"model card written to {path}")
