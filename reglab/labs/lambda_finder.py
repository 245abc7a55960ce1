"""Tab 6 — lambda: the cross-validation curve, alpha_min and alpha_1se, and the refit.

Press ``a`` for advice on these data (ridge, lasso or elastic net, ``reglab.core.advise``),
computed off the UI thread by a runner of its own and shown under the charts.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from reglab.compute import JobDone, JobFailed, JobMessage, JobProgress, LabRunner
from reglab.core.advise import AdviseParams, AdviseResult, advise
from reglab.core.errors import ReglabError
from reglab.core.lambda_finder.params import LambdaParams
from reglab.errorlog import describe
from reglab.widgets.axes import SERIES_MARKERS, log_alpha_ticks, mark_line, roomy, short
from reglab.widgets.chart import Chart, mark_x
from reglab.widgets.lab_pane import LabPane
from reglab.widgets.metrics import Metrics

if TYPE_CHECKING:  # the result module imports scikit-learn: not before first paint
    from reglab.core.lambda_finder.compute import LambdaResult

Choice = Literal["min", "1se"]
CHOSEN_COLOR, OTHER_COLOR = "red", "gray"


class LambdaPane(LabPane[LambdaParams, "LambdaResult"]):
    EXPLANATION = (
        "Line: mean CV error (accuracy for logistic) against alpha, gray lines ±1 standard "
        "error. [b]α.min[/] scores best; [b]α.1se[/] is the strongest penalty still within one "
        "SE of it: a simpler model you cannot tell apart. Press [b]m[/] to refit at the other "
        "one; try splitter=timeseries, or fewer folds for a wider band."
    )
    # Logistic with an L1 share walks saga over 50 alphas per fold (seconds): new parameters
    # cancel the running search instead of queueing behind it.
    CANCEL_RUNNING = True
    BINDINGS = [
        Binding(
            "m",
            "toggle_choice",
            "α.min/1se",
            tooltip="Show the refit at alpha_min or alpha_1se (no recompute)",
            id="lambda.toggle-choice",
        ),
        Binding(
            "a",
            "advise",
            "advice",
            tooltip="Advise ridge, lasso or elastic net for these data (again: hide it)",
            id="lambda.advise",
        ),
    ]

    DEFAULT_CSS = """
    LambdaPane #cv-chart {
        height: 3fr;
    }
    LambdaPane #refit-chart {
        height: 2fr;
    }
    """

    # Which alpha the refit chart and the highlight show; kept across recomputes.
    chosen: reactive[Choice] = reactive("min", init=False)

    def compose_charts(self) -> ComposeResult:
        yield Chart("Cross-validation curve", id="cv-chart")
        yield Chart("Coefficients of the refit", id="refit-chart")
        yield AdvicePanel(id="advice")

    def action_advise(self) -> None:
        panel = self.query_one(AdvicePanel)
        panel.toggle(self.params)
        self.set_class(panel.display, "-advising")

    def refit(self, params: LambdaParams | None = None) -> None:
        super().refit(params)
        if self.built:
            self.query_one(AdvicePanel).follow(self.params if params is None else params)

    def action_toggle_choice(self) -> None:
        self.chosen = "1se" if self.chosen == "min" else "min"

    def watch_chosen(self) -> None:
        if self.result is not None:
            self.show_result(self.result)

    def show_result(self, result: LambdaResult) -> None:
        chosen = self.chosen
        label = score_label(result)
        cv_chart = self.query_one("#cv-chart", Chart)
        cv_chart.chart_title = (
            f"CV {label} ±1 SE: α.min={result.alpha_min:.3g}, α.1se={result.alpha_1se:.3g}"
        )
        cv_chart.show(lambda plt, size: draw_cv_curve(plt, result, chosen, size.width, roomy(size)))
        refit_chart = self.query_one("#refit-chart", Chart)
        alpha, nonzero = chosen_alpha(result, chosen), chosen_nonzero(result, chosen)
        refit_chart.chart_title = (
            f"Refit at α.{chosen}={alpha:.3g}: {nonzero}/{len(result.feature_names)} non-zero"
        )
        refit_chart.show(lambda plt, size: draw_refit(plt, result, chosen, size.width, roomy(size)))
        self.query_one(Metrics).show(metric_rows(result, chosen))


def score_label(result: LambdaResult) -> str:
    return "MSE" if result.score == "mse" else "accuracy"


def chosen_alpha(result: LambdaResult, chosen: Choice) -> float:
    return result.alpha_min if chosen == "min" else result.alpha_1se


def marker_index(result: LambdaResult, choice: Choice) -> int:
    return result.index_min if choice == "min" else result.index_1se


def chosen_nonzero(result: LambdaResult, chosen: Choice) -> int:
    return result.n_nonzero_min if chosen == "min" else result.n_nonzero_1se


def metric_rows(result: LambdaResult, chosen: Choice) -> list[tuple[str, str]]:
    params = result.params
    features = len(result.feature_names)
    label = score_label(result)
    rows = []
    for name, alpha, score, index, nonzero in (
        ("min", result.alpha_min, result.score_min, result.index_min, result.n_nonzero_min),
        ("1se", result.alpha_1se, result.score_1se, result.index_1se, result.n_nonzero_1se),
    ):
        mark = "▶" if name == chosen else " "
        rows += [
            (f"{mark} α.{name}", f"{alpha:.4g}"),
            (f"  {label}", format_score(result, score, result.cv_se[index])),
            ("  non-zero", f"{nonzero} / {features}"),
        ]
    rows += [
        ("folds", f"{params.splitter} × {params.folds}"),
        ("score", f"{label} {'↓' if result.score == 'mse' else '↑'}"),
        ("alphas", grid_summary(result.alphas)),
    ]
    return rows


def grid_summary(alphas: list[float]) -> str:
    """How many alphas, and the grid's ends (descending list)."""
    if len(alphas) == 1:
        return f"1, {short(alphas[0])}"
    return f"{len(alphas)}, {short(alphas[-1])}…{short(alphas[0])}"


def format_score(result: LambdaResult, score: float, se: float) -> str:
    if result.score == "accuracy":
        return f"{score:.3f} ± {se:.3f}"
    return f"{score:.4g} ± {se:.2g}"


def draw_cv_curve(
    plt, result: LambdaResult, chosen: Choice, width: int = 80, roomy: bool = True
) -> None:
    log_alphas = [math.log10(a) for a in result.alphas]
    mean, se = result.cv_mean, result.cv_se
    upper = [m + s for m, s in zip(mean, se, strict=True)]
    lower = [m - s for m, s in zip(mean, se, strict=True)]
    # MSE spans orders of magnitude between no penalty and alpha_max: a log axis keeps the
    # minimum (the part that matters) readable. The band's lower edge may cross zero there.
    log_y = result.score == "mse" and min(mean) > 0 and max(mean) / min(mean) > 20
    if log_y:
        plt.yscale("log")
        lower_x = [x for x, v in zip(log_alphas, lower, strict=True) if v > 0]
        lower = [v for v in lower if v > 0]
    else:
        lower_x = log_alphas

    # A short chart has no room for a legend: it would cover the curve.
    def legend(text: str) -> str | None:
        return text if roomy else None

    # Each fold's curve, faint, behind the mean (as scikit-learn's LassoCV example draws them).
    for fold in result.fold_scores:
        shown = [(x, v) for x, v in zip(log_alphas, fold, strict=True) if v > 0 or not log_y]
        plt.plot([x for x, _ in shown], [v for _, v in shown], color="gray", style="dim",
                 marker="braille")  # fmt: skip
    plt.plot(log_alphas, upper, color=OTHER_COLOR, marker="braille", label=legend("±1 SE"))
    if lower:
        plt.plot(lower_x, lower, color=OTHER_COLOR, marker="braille")
    plt.plot(
        log_alphas,
        mean,
        color="blue",
        marker="braille",
        label=legend(f"mean {score_label(result)}"),
    )
    if result.n_nonzero is not None:
        plt.plot(log_alphas, result.n_nonzero, color="green", marker="braille", yside="right")
        mark_line(
            plt, log_alphas, result.n_nonzero, "green", SERIES_MARKERS[1],
            legend("non-zero (right)"), yside="right",
        )  # fmt: skip
    # The chosen line last, so it stays visible where the two coincide.
    other: Choice = "1se" if chosen == "min" else "min"
    mark_x(plt, log_alphas[marker_index(result, other)], color=OTHER_COLOR)
    mark_x(plt, log_alphas[marker_index(result, chosen)], color=CHOSEN_COLOR)
    if roomy:
        y_range = (min(lower or mean), max(upper))
        label_markers(plt, result, chosen, log_alphas, y_range, log_y, width)
    index = marker_index(result, chosen)
    plt.scatter(
        [log_alphas[index]],
        [mean[index]],
        color=CHOSEN_COLOR,
        marker="●",
        label=legend(f"α.{chosen} (chosen)"),
    )
    ticks, labels = log_alpha_ticks(result.alphas)
    plt.xticks(ticks, labels)
    if roomy:
        plt.xlabel("alpha (log scale) — stronger penalty →")
        plt.ylabel(f"CV {score_label(result)}", yside="left")


def label_markers(
    plt,
    result: LambdaResult,
    chosen: Choice,
    log_alphas: list[float],
    y_range: tuple[float, float],
    log_y: bool,
    width: int,
) -> None:
    """Name the two vertical lines, each on its own row, beside its line inside the frame."""
    left, right = min(log_alphas), max(log_alphas)
    # x distance a label needs: its characters over the plot's width (axes take ~16 columns).
    room = 7 / max(width - 16, 10) * (right - left)
    low, high = (math.log10(v) for v in y_range) if log_y else y_range
    for name, index, height in (("min", result.index_min, 0.5), ("1se", result.index_1se, 0.25)):
        x = log_alphas[index]
        # alpha_min <= alpha_1se: min reads to the left of its line, 1se to the right.
        to_left = x - left > room if name == "min" else right - x < room
        text = f"α.{name} " if to_left else f" α.{name}"
        y = low + height * (high - low)
        plt.text(
            text,
            x,
            10**y if log_y else y,
            color=CHOSEN_COLOR if name == chosen else OTHER_COLOR,
            alignment="right" if to_left else "left",
        )


def draw_refit(plt, result: LambdaResult, chosen: Choice, width: int, roomy: bool = True) -> None:
    coef = result.coef_min if chosen == "min" else result.coef_1se
    names = result.feature_names
    positions = list(range(len(coef)))
    plt.bar(positions, coef, color=CHOSEN_COLOR if chosen == "1se" else "blue")
    # Feature names when they fit under the bars, else every k-th feature number.
    room = max(width - 12, 10)
    longest = max(len(name) for name in names)
    if len(names) * (min(longest, 8) + 1) <= room:
        plt.xticks(positions, [name[:8] for name in names])
        if roomy:
            plt.xlabel("feature")
    else:
        stride = max(1, math.ceil(len(names) * 4 / room))
        shown = positions[::stride]
        plt.xticks(shown, [str(p) for p in shown])
        if roomy:
            plt.xlabel("feature number (names: export with e)")
    plt.ylabel("coefficient")


class AdvicePanel(VerticalScroll):
    """Which regularizer, and why: the advice for the lab's data settings, hidden until asked.

    Its own runner computes it (newest request wins, stale generations dropped); an advice
    whose settings are no longer the lab's is dropped too, when it arrives or when the
    settings change, so what is shown always answers the data on screen.
    """

    SCOPED_CSS = False  # the short-screen rule starts at the screen's class
    DEFAULT_CSS = """
    AdvicePanel {
        display: none;
        height: auto;
        max-height: 12;
        border: round $accent;
        border-title-color: $accent;
        padding: 0 1;
    }
    /* A short screen has no room for three charts' worth: the advice takes the refit's. */
    .-short AdvicePanel {
        max-height: 8;
    }
    .-short .-advising #refit-chart {
        display: none;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Which regularizer?"
        self.runner = LabRunner(self, "lambda-advice", advise, cancel_running=True)
        self.asked: AdviseParams | None = None  # the settings being or last computed
        self.advice: AdviseResult | None = None  # shown, for ``asked``

    def compose(self) -> ComposeResult:
        yield Static("", id="advice-text", markup=False)

    @property
    def text(self) -> str:
        return str(self.query_one("#advice-text", Static).content)

    def say(self, text: str) -> None:
        self.query_one("#advice-text", Static).update(text)

    def toggle(self, params: LambdaParams) -> None:
        """Show the advice for ``params`` (computing it unless it is on screen), or hide it
        when it is showing for these settings already."""
        try:
            wanted = AdviseParams.from_lambda(params)
        except ReglabError as error:
            self.runner.cancel()
            self.asked, self.advice = None, None
            self.display = True
            self.say(f"✗ {error}")
            return
        if self.display and wanted == self.asked:
            self.display = False
            return
        self.display = True
        if self.advice is not None and wanted == self.asked:
            self.show_advice(self.advice)
            return
        self.asked, self.advice = wanted, None
        self.say("Measuring the data and cross-validating ridge, lasso and elastic net…")
        self.runner.submit(wanted)

    def follow(self, params: LambdaParams) -> None:
        """The lab's settings changed: drop an advice (or a request) for other data."""
        if self.asked is None:
            return
        try:
            wanted = AdviseParams.from_lambda(params)
        except ReglabError:
            wanted = None
        if wanted != self.asked:
            self.runner.cancel()
            self.asked, self.advice = None, None
            self.say("The data settings changed: press a for advice on these data.")

    def show_advice(self, advice: AdviseResult) -> None:
        lines = [f"Advice: {advice.headline()}", *(f"• {r}" for r in advice.reasons)]
        self.say("\n".join(lines))

    @on(JobMessage)
    def _job_message(self, message: JobMessage) -> None:
        message.stop()  # the lab pane's runner must not see the advice's messages
        if not self.runner.accept(message):
            return
        if isinstance(message, JobProgress):
            self.say(f"Working out the advice… {message.progress.message}")
        elif isinstance(message, JobDone):
            if message.result.params != self.asked:
                return  # settings changed while it ran: follow() has said so
            self.advice = message.result
            self.show_advice(message.result)
        elif isinstance(message, JobFailed):
            error = message.error
            self.say(f"✗ {error if isinstance(error, ReglabError) else describe(error)}")

    def on_unmount(self) -> None:
        self.runner.shutdown()
