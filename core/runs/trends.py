"""Trends (methods.md 3, 4, 5), declared once: lineartrend (least squares)
and senmk (Theil-Sen slope with the Mann-Kendall test and its modified
variants). Both run on the block engine or, from the command line with
``--dask``, on dask (``a.runner``): the same function of core/rasters.py,
the same kernels, the same numbers."""
from .. import rasters
from ..trend import METHODS
from .declare import (
    N_,
    Analysis,
    boolean,
    enum,
    min_valid,
    number,
    outputs,
    raster_out,
    results,
    scaling,
    stack,
    years,
)

GROUP, GROUP_ID = N_("Trends"), "trends"


def series_inputs(label=N_("Annual raster stack (one layer per year, or one multiband "
                           "raster)")):
    """INPUT, its years, MIN_VALID and its scaling (the per-pixel analyses)."""
    return [stack("INPUT", label), *years(), min_valid(),
            *scaling("INPUT", N_("Input"), short_flags=True)]


def read_series(a, label=N_("Input stack")):
    """(stack, years, min_valid) of :func:`series_inputs`, the layers logged."""
    st = a.stack("INPUT", a.tr(label), "INPUT")
    yrs = a.years(st.n)
    a.info(a.tr("{} layers, years {:g}..{:g}").format(st.n, yrs[0], yrs[-1]))
    return st, yrs, a.int("MIN_VALID")


LINEAR_KEYS = {"slope": "OUTPUT_SLOPE", "intercept": "OUTPUT_INTERCEPT", "r2": "OUTPUT_R2",
               "pvalue": "OUTPUT_P", "class": "OUTPUT_CLASS", "q": "OUTPUT_Q",
               "fdr_class": "OUTPUT_FDR_CLASS"}


def run_lineartrend(a):
    st, yrs, mv = read_series(a)
    alpha = a.float("ALPHA")
    strong = 0.01 if a.bool("EXTREME") and 0.01 < alpha else None
    return results(rasters.linear_trend_rasters(
        st, outputs(a, LINEAR_KEYS), yrs, mv, alpha, strong, a.progress, a.memory_mb,
        runner=a.runner), LINEAR_KEYS)


LINEARTREND = Analysis(
    "lineartrend", N_("Least-squares trend (slope, r2, p, classes)"), GROUP, GROUP_ID, [
        *series_inputs(),
        number("ALPHA", N_("Significance level alpha"), 0.05, minimum=1e-6, maximum=0.5),
        boolean("EXTREME", N_("Also mark extremely significant trends (p < 0.01)")),
        raster_out("OUTPUT_SLOPE", N_("Slope (units per year)"), aliases=("--slope",)),
        raster_out("OUTPUT_INTERCEPT", N_("Intercept (value at year 0)"), True,
                   aliases=("--intercept",)),
        raster_out("OUTPUT_R2", N_("Coefficient of determination r2"), aliases=("--r2",)),
        raster_out("OUTPUT_P", N_("p-value (two-sided t test)"), aliases=("--p",)),
        raster_out("OUTPUT_CLASS", N_("Trend classes"), aliases=("--class",)),
        raster_out("OUTPUT_Q", N_("FDR q-value (Benjamini-Hochberg over all valid pixels)"),
                   True, aliases=("--q",)),
        raster_out("OUTPUT_FDR_CLASS", N_("Trend classes at the FDR level"), True,
                   aliases=("--fdr-class",))],
    run_lineartrend, "Least-squares trend (slope, r2, p, classes)",
    class_outputs={"OUTPUT_CLASS": "LINEAR_CLASSES", "OUTPUT_FDR_CLASS": "LINEAR_FDR_CLASSES"},
    class_name="LinearTrendAlgorithm", dask=True, any_outputs=True)


MK_KEYS = {"slope": "OUTPUT_SLOPE", "z": "OUTPUT_Z", "pvalue": "OUTPUT_P", "tau": "OUTPUT_TAU",
           "class": "OUTPUT_CLASS", "q": "OUTPUT_Q", "fdr_class": "OUTPUT_FDR_CLASS",
           "intercept": "OUTPUT_INTERCEPT", "s": "OUTPUT_S"}
MK_TESTS = [("original", N_("Original Mann-Kendall")),
            ("hamed_rao", N_("Hamed-Rao variance correction (1998)")),
            ("yue_wang", N_("Yue-Wang variance correction (2004)")),
            ("pre_whitening", N_("Pre-whitening (Yue and Wang 2002)"))]
assert [k for k, _ in MK_TESTS] == list(METHODS)


def run_senmk(a):
    st, yrs, mv = read_series(a)
    index = a.enum("METHOD")
    # the option as the dialog shows it (translated), not the internal key
    a.info(a.tr("Test: {}").format(a.tr(MK_TESTS[index][1])))
    return results(rasters.mann_kendall_rasters(
        st, outputs(a, MK_KEYS), yrs, mv, MK_TESTS[index][0], a.progress, a.memory_mb,
        runner=a.runner), MK_KEYS)


SENMK = Analysis(
    "senmk", N_("Theil-Sen slope and Mann-Kendall test"), GROUP, GROUP_ID, [
        *series_inputs(),
        enum("METHOD", N_("Test (serial correlation)"), MK_TESTS),
        raster_out("OUTPUT_SLOPE", N_("Sen slope (units per year)"), aliases=("--slope",)),
        raster_out("OUTPUT_Z", N_("Mann-Kendall Z"), aliases=("--z",)),
        raster_out("OUTPUT_P", N_("p-value (two-sided)"), aliases=("--p",)),
        raster_out("OUTPUT_TAU", N_("Kendall tau"), aliases=("--tau",)),
        raster_out("OUTPUT_CLASS", N_("Trend classes (-4..4)"), aliases=("--class",)),
        raster_out("OUTPUT_Q", N_("FDR q-value (Benjamini-Hochberg over all valid pixels)"),
                   True, aliases=("--q",)),
        raster_out("OUTPUT_FDR_CLASS", N_("Trend classes at the FDR level (-4..4)"), True,
                   aliases=("--fdr-class",)),
        raster_out("OUTPUT_INTERCEPT", N_("Sen intercept (median of the values - slope x "
                                          "median year)"), True, aliases=("--intercept",)),
        raster_out("OUTPUT_S", N_("Mann-Kendall S"), True, aliases=("--s",))],
    run_senmk, "Theil-Sen slope and Mann-Kendall test",
    class_outputs={"OUTPUT_CLASS": "MK_CLASSES", "OUTPUT_FDR_CLASS": "MK_FDR_CLASSES"},
    class_name="SenMKAlgorithm", dask=True, any_outputs=True)

ANALYSES = [LINEARTREND, SENMK]
