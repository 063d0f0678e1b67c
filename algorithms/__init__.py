"""Toolbox algorithms: thin wrappers over carbonsink.core."""
from .accounting import (
                         CarbonBudgetAlgorithm,
                         EnsembleAlgorithm,
                         PixelAreaAlgorithm,
                         RegridAlgorithm,
                         SinkScenarioAlgorithm,
                         TransitionMatrixAlgorithm,
                         ZonalSummaryAlgorithm,
)
from .prepare import ALGORITHMS as PREPARE_ALGORITHMS
from .prepare import ScenarioAlgorithm
from .resilience import ResilienceAlgorithm, ResilienceCountsAlgorithm
from .spatial import GiniAlgorithm, HotspotsAlgorithm, LisaAlgorithm, MoranAlgorithm
from .temporal import (
    AbruptChangeAlgorithm,
    CarryingCapacityAlgorithm,
    HurstAlgorithm,
    LinearTrendAlgorithm,
    NEPAlgorithm,
    PartialCorrelationAlgorithm,
    SenMKAlgorithm,
    SeriesStatisticsAlgorithm,
    VariationAlgorithm,
)

ALGORITHMS = [NEPAlgorithm, CarryingCapacityAlgorithm, LinearTrendAlgorithm, SenMKAlgorithm,
              VariationAlgorithm, HurstAlgorithm, PartialCorrelationAlgorithm,
              AbruptChangeAlgorithm, SeriesStatisticsAlgorithm, ResilienceAlgorithm,
              ResilienceCountsAlgorithm,
              PixelAreaAlgorithm, ZonalSummaryAlgorithm, TransitionMatrixAlgorithm,
              CarbonBudgetAlgorithm, SinkScenarioAlgorithm, EnsembleAlgorithm, RegridAlgorithm,
              MoranAlgorithm, LisaAlgorithm, HotspotsAlgorithm, GiniAlgorithm,
              *PREPARE_ALGORITHMS, ScenarioAlgorithm]
