"""Regional carbon accounting (methods.md 12): pixelarea, zonalsummary,
transitionmatrix, carbonbudget, sinkscenario, ensemble, regrid. Each is made
from its declaration in core/runs (parameters, run, outputs); the analyses
are in core/accounting.py and core/ensemble.py."""
from ..core.runs import accounting as acc
from ..core.runs import ensemble as ens
from .declared import algorithm_class

PixelAreaAlgorithm = algorithm_class(acc.PIXELAREA)
ZonalSummaryAlgorithm = algorithm_class(acc.ZONALSUMMARY)
TransitionMatrixAlgorithm = algorithm_class(acc.TRANSITIONMATRIX)
CarbonBudgetAlgorithm = algorithm_class(acc.CARBONBUDGET)
SinkScenarioAlgorithm = algorithm_class(acc.SINKSCENARIO)
EnsembleAlgorithm = algorithm_class(ens.ENSEMBLE)
RegridAlgorithm = algorithm_class(ens.REGRID)

ALGORITHMS = [PixelAreaAlgorithm, ZonalSummaryAlgorithm, TransitionMatrixAlgorithm,
              CarbonBudgetAlgorithm, SinkScenarioAlgorithm, EnsembleAlgorithm, RegridAlgorithm]
