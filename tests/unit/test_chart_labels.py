"""The exported bar chart (PNG, SVG) writes every column label readably: the handovers' pairs are long names, and
twelve of them level under their bars ran into one black smear."""

from __future__ import annotations

import pandas as pd


def _overlaps(labels: list[str]) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from queries.analytics.exports import _bar_figure

    fig = _bar_figure(pd.DataFrame([list(range(10, 10 + len(labels)))], columns=labels, index=["Overdrachten"]),
                      title="Overdrachten per paar", ylabel="Overdrachten")
    fig.canvas.draw()  # type: ignore[attr-defined]
    ax = fig.axes[0]  # type: ignore[attr-defined]
    boxes = [t.get_window_extent() for t in [*ax.get_xticklabels(), *ax.get_yticklabels()] if t.get_text()]
    plt.close(fig)  # type: ignore[arg-type]
    return sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_long_pair_names_under_the_bars_do_not_run_into_each_other() -> None:
    pairs = [f"Organisatie {i} Enschede-Haaksbergen → Wijkcoaches Velve-Lindenhof (gemeente Enschede)"
             for i in range(12)]
    assert _overlaps(pairs) == 0


def test_short_labels_stay_level() -> None:
    assert _overlaps(["0", "1", "2", "3–4", "5–9", "10+"]) == 0
