"""Per-pixel and zone analyses of annual stacks (methods.md 1-9): nep,
carryingcapacity, lineartrend, senmk, variation, hurst, partialcorrelation,
abruptchange, seriesstatistics. Each is made from its declaration in
core/runs (carbon.py, trends.py, temporal.py, series.py); the analyses are in
core."""
from ..core.runs import carbon, series, temporal, trends
from .declared import algorithm_class

NEPAlgorithm = algorithm_class(carbon.NEP)
CarryingCapacityAlgorithm = algorithm_class(carbon.CARRYINGCAPACITY)
LinearTrendAlgorithm = algorithm_class(trends.LINEARTREND)
SenMKAlgorithm = algorithm_class(trends.SENMK)
VariationAlgorithm = algorithm_class(temporal.VARIATION)
HurstAlgorithm = algorithm_class(temporal.HURST)
PartialCorrelationAlgorithm = algorithm_class(temporal.PARTIALCORRELATION)
AbruptChangeAlgorithm = algorithm_class(temporal.ABRUPTCHANGE)
SeriesStatisticsAlgorithm = algorithm_class(series.SERIESSTATISTICS)
