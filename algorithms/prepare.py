"""Input preparation (methods.md 14) and the scenario projection (15):
temporalaggregate, reclassify, breakclasses, scenario. Each is made from its
declaration in core/runs/prepare.py; the work is core/prepare.py and
core/scenario.py."""
from ..core.runs import prepare
from .declared import algorithm_class

TemporalAggregateAlgorithm = algorithm_class(prepare.TEMPORALAGGREGATE)
ReclassifyAlgorithm = algorithm_class(prepare.RECLASSIFY)
BreakClassesAlgorithm = algorithm_class(prepare.BREAKCLASSES)
ScenarioAlgorithm = algorithm_class(prepare.SCENARIO)

ALGORITHMS = [TemporalAggregateAlgorithm, ReclassifyAlgorithm, BreakClassesAlgorithm]
