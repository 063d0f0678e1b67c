"""carbonsink:abruptchange: sequential Mann-Kendall and Pettitt on zone means,
made from its declaration in core/runs/temporal.py."""
from ..core.runs import temporal
from .declared import algorithm_class

AbruptChangeAlgorithm = algorithm_class(temporal.ABRUPTCHANGE)
