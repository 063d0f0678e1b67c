"""Toolbox algorithms: thin wrappers over carbonsink.core."""
from .capacity import CarryingCapacityAlgorithm
from .nep import NEPAlgorithm
from .trends import LinearTrendAlgorithm, SenMKAlgorithm

ALGORITHMS = [NEPAlgorithm, CarryingCapacityAlgorithm, LinearTrendAlgorithm, SenMKAlgorithm]
