"""Carbon sink (methods.md 1, 2), declared once: nep (NEP = NPP - Rh from
climate) and carryingcapacity (carrying capacity, potential, saturation).
Block engine or, from the command line with ``--dask``, dask: the same
functions of core/rasters.py."""
from .. import rasters
from .declare import (
    N_,
    Analysis,
    boolean,
    enum,
    integer,
    min_valid,
    number,
    outputs,
    raster_out,
    results,
    scaling,
    stack,
    years,
)

GROUP, GROUP_ID = N_("Carbon sink"), "carbonsink"

NEP_KEYS = {"nep": "OUTPUT_NEP", "rh": "OUTPUT_RH", "class": "OUTPUT_CLASS"}
MODES = [("auto", N_("Automatic (from the number of climate layers)")),
         ("monthly", N_("Monthly (sum of 12 monthly Rh; calibrated use)")),
         ("annual", N_("Annual (annual mean T and total P)"))]


def run_nep(a):
    npp = a.stack("NPP", a.tr("NPP stack"), "NPP")
    temp = a.stack("TEMPERATURE", a.tr("Temperature stack"))
    prec = a.stack("PRECIPITATION", a.tr("Precipitation stack"))
    yrs = a.years(npp.n)
    paths, used = rasters.nep_rasters(npp, temp, prec, outputs(a, NEP_KEYS), a.float("B"),
                                      MODES[a.enum("MODE")][0], yrs, a.progress, a.memory_mb,
                                      runner=a.runner)
    a.info(a.tr("Rh mode: {}").format(a.tr(dict(MODES)[used])))
    return results(paths, NEP_KEYS)


NEP = Analysis(
    "nep", N_("Net ecosystem production (NEP = NPP - Rh)"), GROUP, GROUP_ID, [
        stack("NPP", N_("Annual NPP stack")),
        stack("TEMPERATURE", N_("Air temperature stack (deg C; 12 layers per year, or one "
                                "per year)")),
        stack("PRECIPITATION", N_("Precipitation stack (mm; 12 layers per year, or one per "
                                  "year)")),
        enum("MODE", N_("Rh mode"), MODES),
        number("B", N_("Temperature coefficient b of the Rh model"), 0.0912),
        *years(),
        *scaling("NPP", N_("NPP"), short_flags=True),
        raster_out("OUTPUT_NEP", N_("NEP (g C m-2 yr-1, one band per year)"),
                   aliases=("--nep",)),
        raster_out("OUTPUT_RH", N_("Heterotrophic respiration Rh (g C m-2 yr-1)"), True,
                   aliases=("--rh",)),
        raster_out("OUTPUT_CLASS", N_("Sink / source class of the mean NEP"),
                   aliases=("--class",))],
    run_nep, "Net ecosystem production (NEP = NPP - Rh)",
    class_outputs={"OUTPUT_CLASS": "SINK_CLASSES"}, class_name="NEPAlgorithm", dask=True,
    any_outputs=True)


CAPACITY_KEYS = {"cscc": "OUTPUT_CSCC", "peak_year": "OUTPUT_PEAK_YEAR",
                 "potential": "OUTPUT_POTENTIAL", "saturation": "OUTPUT_SATURATION"}


def run_carryingcapacity(a):
    st = a.stack("INPUT", a.tr("NPP stack"), "INPUT")
    yrs = a.years(st.n)
    year = a.int("YEAR") if a.given("YEAR") else None
    return results(rasters.carrying_capacity_rasters(
        st, outputs(a, CAPACITY_KEYS), yrs, year, a.bool("ALL_YEARS"), a.int("MIN_VALID"),
        a.progress, a.memory_mb, runner=a.runner), CAPACITY_KEYS)


CARRYINGCAPACITY = Analysis(
    "carryingcapacity", N_("Carbon sink carrying capacity and potential"), GROUP, GROUP_ID, [
        stack("INPUT", N_("Annual NPP stack (g C m-2 yr-1)")),
        *years(),
        integer("YEAR", N_("Year for potential and saturation (empty = last year)"),
                optional=True),
        boolean("ALL_YEARS", N_("Potential and saturation for every year (one band per "
                                "year)")),
        min_valid(),
        *scaling("INPUT", N_("NPP"), short_flags=True),
        raster_out("OUTPUT_CSCC", N_("Carrying capacity CSCC (g C m-2 yr-1)"),
                   aliases=("--cscc",)),
        raster_out("OUTPUT_PEAK_YEAR", N_("Peak year"), aliases=("--peak-year",)),
        raster_out("OUTPUT_POTENTIAL", N_("Potential CSCC - NPP (g C m-2 yr-1)"),
                   aliases=("--potential",)),
        raster_out("OUTPUT_SATURATION", N_("Saturation NPP / CSCC (%)"),
                   aliases=("--saturation",))],
    run_carryingcapacity, "Carbon sink carrying capacity and potential",
    class_name="CarryingCapacityAlgorithm", dask=True, any_outputs=True)

ANALYSES = [NEP, CARRYINGCAPACITY]
